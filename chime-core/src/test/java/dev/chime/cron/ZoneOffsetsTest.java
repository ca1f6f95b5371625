package dev.chime.cron;

import static dev.chime.cron.CronTestSupport.next;
import static dev.chime.cron.CronTestSupport.previous;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The offsets the cron search reads are java.time's ZoneRules', however far from today. */
class ZoneOffsetsTest {
  private static final int[] FAR_YEARS = {2399, 2400, 2401, 2488, 2489, 2500, 2801, 6000, 9998};

  @Test
  void newYorkKeepsDaylightSavingTimeIn2500() {
    // 2500-03-14: 02:00 EST jumps to 03:00 EDT; 2500-11-07: 02:00 EDT falls back to 01:00 EST.
    CronExpression daily = CronExpression.parse("30 2 * * *");
    assertThat(next(daily, "America/New_York", "2500-03-13T12:00", 2))
        .containsExactly("2500-03-14T03:00:00-04:00", "2500-03-15T02:30:00-04:00");
    assertThat(
            next(CronExpression.parse("*/30 1 * * *"), "America/New_York", "2500-11-07T00:00", 5))
        .containsExactly(
            "2500-11-07T01:00:00-04:00",
            "2500-11-07T01:30:00-04:00",
            "2500-11-07T01:00:00-05:00",
            "2500-11-07T01:30:00-05:00",
            "2500-11-08T01:00:00-05:00");
    assertThat(previous(daily, "America/New_York", "2500-07-04T12:00", 1))
        .containsExactly("2500-07-04T02:30:00-04:00");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Asia/Gaza",
        "Pacific/Apia"
      })
  void farFutureTransitionsAreTheZoneRules(String id) {
    ZoneId zone = ZoneId.of(id);
    ZoneRules rules = zone.getRules();
    CronExpression halfHours = CronExpression.parse("*/30 * * * *");
    for (int year : FAR_YEARS) {
      Instant yearStart = LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
      assertThat(halfHours.next(yearStart, zone))
          .as("%s %d", id, year)
          .contains(BruteForce.nextInstant(halfHours, yearStart, zone));
      for (ZoneOffsetTransition t : transitionsIn(rules, year)) {
        Instant from = t.getInstant().minusSeconds(2 * 3600);
        List<Instant> fires = upcoming(halfHours, from, zone, 8);
        assertThat(fires).as("%s at %s", id, t).isEqualTo(bruteForce(halfHours, from, zone, 8));
        for (int i = 1; i < fires.size(); i++) {
          assertThat(halfHours.previous(fires.get(i), zone)).contains(fires.get(i - 1));
        }
        CronExpression atTheChange =
            atLocalTime((t.isGap() ? t.getDateTimeBefore() : t.getDateTimeAfter()).plusMinutes(15));
        Instant dayBefore = t.getInstant().minusSeconds(86_400);
        assertThat(atTheChange.next(dayBefore, zone))
            .as("%s %s at %s", id, atTheChange, t)
            .contains(BruteForce.nextWallClock(atTheChange, dayBefore, zone));
      }
    }
  }

  private static CronExpression atLocalTime(LocalDateTime local) {
    return CronExpression.parse(local.getMinute() + " " + local.getHour() + " * * *");
  }

  private static List<ZoneOffsetTransition> transitionsIn(ZoneRules rules, int year) {
    List<ZoneOffsetTransition> transitions = new ArrayList<>();
    Instant end = LocalDateTime.of(year + 1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    ZoneOffsetTransition t =
        rules.nextTransition(LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC));
    while (t != null && t.getInstant().isBefore(end)) {
      transitions.add(t);
      t = rules.nextTransition(t.getInstant());
    }
    return transitions;
  }

  private static List<Instant> upcoming(CronExpression cron, Instant from, ZoneId zone, int n) {
    List<Instant> fires = new ArrayList<>();
    for (Instant at = from; fires.size() < n; ) {
      at = cron.next(at, zone).orElseThrow();
      fires.add(at);
    }
    return fires;
  }

  private static List<Instant> bruteForce(CronExpression cron, Instant from, ZoneId zone, int n) {
    List<Instant> fires = new ArrayList<>();
    for (Instant at = from; fires.size() < n; ) {
      at = BruteForce.nextInstant(cron, at, zone);
      fires.add(at);
    }
    return fires;
  }
}
