package dev.chime.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** H is hashed from a key the way Jenkins' hudson.scheduler.Hash and BaseParser.doHash do it. */
class JenkinsHashTest {

  /** Jenkins' seed, computed a second way: MD5 halves XOR-ed as two big-endian longs. */
  private static long jenkinsSeed(String key) throws Exception {
    byte[] md5 = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
    long high = new BigInteger(1, java.util.Arrays.copyOfRange(md5, 0, 8)).longValue();
    long low = new BigInteger(1, java.util.Arrays.copyOfRange(md5, 8, 16)).longValue();
    return high ^ low;
  }

  @Test
  void seedIsMd5FoldedToEightBytes() throws Exception {
    for (String key : new String[] {"nightly-backup", "seed1", "folder/job", "ünïcode"}) {
      assertThat(CronParser.seed(key)).isEqualTo(jenkinsSeed(key));
    }
  }

  @Test
  void eachHTakesTheNextDrawInFieldOrder() throws Exception {
    Random random = new Random(jenkinsSeed("nightly-backup"));
    int minute = random.nextInt(60);
    int hour = random.nextInt(24);
    int day = 1 + random.nextInt(28);
    CronExpression cron = CronExpression.parse("H H H * *", CronDialect.UNIX, "nightly-backup");
    ZonedDateTime next = cron.next(ZonedDateTime.parse("2026-01-31T23:59:59Z")).orElseThrow();
    assertThat(next)
        .isEqualTo(
            ZonedDateTime.parse("2026-02-01T00:00:00Z")
                .withDayOfMonth(day)
                .withHour(hour)
                .withMinute(minute));
  }

  @Test
  void rangesAndStepsDrawLikeDoHash() throws Exception {
    Random random = new Random(jenkinsSeed("report"));
    int minuteStart = random.nextInt(15); // H/15: start in [0, 15)
    int hour = 9 + random.nextInt(9); // H(9-17)
    CronExpression cron = CronExpression.parse("H/15 H(9-17) * * *", CronDialect.UNIX, "report");
    ZonedDateTime at = ZonedDateTime.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 4; i++) {
      at = cron.next(at).orElseThrow();
      assertThat(at.getHour()).isEqualTo(hour);
      assertThat(at.getMinute()).isEqualTo(minuteStart + 15 * i);
    }
  }

  @Test
  void hourRangesMayRunFromEveningToMorning() throws Exception {
    Random random = new Random(jenkinsSeed("overnight"));
    random.nextInt(60); // minute H
    int hour = (22 + random.nextInt(5)) % 24; // H(22-2): 22, 23, 0, 1 or 2
    CronExpression cron = CronExpression.parse("H H(22-2) * * *", CronDialect.UNIX, "overnight");
    assertThat(cron.next(ZonedDateTime.parse("2026-01-01T03:00:00Z")).orElseThrow().getHour())
        .isEqualTo(hour);
  }

  @Test
  void dayOfWeekHashUsesZeroToSixAndSpreadsAHerd() {
    Set<Integer> minutes = new HashSet<>();
    for (int job = 0; job < 100; job++) {
      CronExpression cron = CronExpression.parse("H 0 * * H", CronDialect.UNIX, "job-" + job);
      ZonedDateTime next = cron.next(ZonedDateTime.parse("2026-01-01T00:00:00Z")).orElseThrow();
      minutes.add(next.getMinute());
      assertThat(cron.text()).isEqualTo("H 0 * * H");
    }
    assertThat(minutes).hasSizeGreaterThan(40);
  }

  @Test
  void sameKeySameSlotsAndSpringHashesSecondsFirst() {
    CronExpression a = CronExpression.parse("H H * * * *", CronDialect.SPRING, "k");
    CronExpression b = CronExpression.parse("H H * * * *", CronDialect.SPRING, "k");
    ZonedDateTime from = ZonedDateTime.parse("2026-01-01T00:00:00Z");
    assertThat(a.next(from)).isEqualTo(b.next(from));
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(CronExpression.parse("H H * * * *", CronDialect.SPRING, "other"));
  }
}
