package dev.chime.cron;

import static dev.chime.cron.CronTestSupport.next;
import static dev.chime.cron.CronTestSupport.previous;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Every worked example of docs/cron.md, "Daylight-saving time". */
class DstPolicyTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void autoPicksWallClockForFixedTimesAndInstantOtherwise() {
    assertThat(CronExpression.parse("30 2 * * *").effectiveDstPolicy())
        .isEqualTo(DstPolicy.WALL_CLOCK);
    assertThat(CronExpression.parse("0,30 1,2 * * *").effectiveDstPolicy())
        .isEqualTo(DstPolicy.WALL_CLOCK);
    assertThat(CronExpression.parse("*/15 * * * *").effectiveDstPolicy())
        .isEqualTo(DstPolicy.INSTANT);
    assertThat(CronExpression.parse("0 1-3 * * *").effectiveDstPolicy())
        .isEqualTo(DstPolicy.INSTANT);
    assertThat(CronExpression.parse("0 30 2 * * *", CronDialect.SPRING).effectiveDstPolicy())
        .isEqualTo(DstPolicy.WALL_CLOCK);
    assertThat(CronExpression.parse("* 30 2 * * *", CronDialect.SPRING).effectiveDstPolicy())
        .isEqualTo(DstPolicy.INSTANT);
    CronExpression forced = CronExpression.parse("30 2 * * *").withDstPolicy(DstPolicy.INSTANT);
    assertThat(forced.effectiveDstPolicy()).isEqualTo(DstPolicy.INSTANT);
  }

  @Test
  void newYorkGapFiresOnceAtTheEndOfTheGap() {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that day.
    assertThat(next(CronExpression.parse("30 2 * * *"), "America/New_York", "2026-03-07T12:00", 3))
        .containsExactly(
            "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00");
  }

  @Test
  void newYorkGapUnderInstantIsSkipped() {
    CronExpression cron = CronExpression.parse("30 2 * * *").withDstPolicy(DstPolicy.INSTANT);
    assertThat(next(cron, "America/New_York", "2026-03-07T12:00", 2))
        .containsExactly("2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00");
  }

  @Test
  void newYorkOverlapFiresOnTheFirstPassOnly() {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    CronExpression cron = CronExpression.parse("30 1 * * *");
    assertThat(next(cron, "America/New_York", "2026-10-31T12:00", 2))
        .containsExactly("2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00");
  }

  @Test
  void aCallDuringTheSecondPassDoesNotRepeatTheFirstPass() {
    CronExpression cron = CronExpression.parse("30 1 * * *");
    ZonedDateTime secondPass = ZonedDateTime.parse("2026-11-01T01:10:00-05:00[America/New_York]");
    assertThat(cron.next(secondPass).orElseThrow().toOffsetDateTime())
        .hasToString("2026-11-02T01:30-05:00");
    ZonedDateTime laterOnSecondPass =
        ZonedDateTime.parse("2026-11-01T01:45:00-05:00[America/New_York]");
    assertThat(cron.previous(laterOnSecondPass).orElseThrow().toOffsetDateTime())
        .hasToString("2026-11-01T01:30-04:00");
  }

  @Test
  void intervalExpressionsFollowRealTimeThroughTheOverlap() {
    CronExpression cron = CronExpression.parse("*/30 1 * * *");
    assertThat(next(cron, "America/New_York", "2026-10-31T12:00", 5))
        .containsExactly(
            "2026-11-01T01:00:00-04:00",
            "2026-11-01T01:30:00-04:00",
            "2026-11-01T01:00:00-05:00",
            "2026-11-01T01:30:00-05:00",
            "2026-11-02T01:00:00-05:00");
    assertThat(previous(cron, "America/New_York", "2026-11-01T12:00", 4))
        .containsExactly(
            "2026-11-01T01:30:00-05:00",
            "2026-11-01T01:00:00-05:00",
            "2026-11-01T01:30:00-04:00",
            "2026-11-01T01:00:00-04:00");
  }

  @Test
  void intervalExpressionsSkipTheGap() {
    CronExpression cron = CronExpression.parse("*/30 * * * *");
    assertThat(next(cron, "America/New_York", "2026-03-08T01:15", 3))
        .containsExactly(
            "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00");
  }

  @Test
  void wallClockWithAWildcardCollapsesTheGapIntoOneFire() {
    CronExpression cron = CronExpression.parse("*/30 * * * *").withDstPolicy(DstPolicy.WALL_CLOCK);
    assertThat(next(cron, "America/New_York", "2026-03-08T01:15", 3))
        .containsExactly(
            "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00");
    // and fires on the first pass of an overlap only
    assertThat(next(cron, "America/New_York", "2026-11-01T00:45", 4))
        .containsExactly(
            "2026-11-01T01:00:00-04:00",
            "2026-11-01T01:30:00-04:00",
            "2026-11-01T02:00:00-05:00",
            "2026-11-01T02:30:00-05:00");
  }

  @Test
  void berlinWeeklyJobInTheGapIsNotLost() {
    // Quartz, Spring and cron-utils lose this week: 2026-03-29 02:30 does not exist in Berlin.
    assertThat(next(CronExpression.parse("30 2 * * sun"), "Europe/Berlin", "2026-03-22T12:00", 2))
        .containsExactly("2026-03-29T03:00:00+02:00", "2026-04-05T02:30:00+02:00");
  }

  @Test
  void berlinOverlapFiresOnce() {
    assertThat(next(CronExpression.parse("30 2 * * *"), "Europe/Berlin", "2026-10-24T12:00", 3))
        .containsExactly(
            "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00", "2026-10-27T02:30:00+01:00");
  }

  @Test
  void cairoMidnightGap() {
    // 2026-04-24: 00:00 becomes 01:00 in Cairo; midnight does not exist that day.
    assertThat(next(CronExpression.parse("0 0 * * *"), "Africa/Cairo", "2026-04-23T12:00", 2))
        .containsExactly("2026-04-24T01:00:00+03:00", "2026-04-25T00:00:00+03:00");
  }

  @Test
  void lordHoweThirtyMinuteShift() {
    // 2026-10-04: 02:00 becomes 02:30 at Lord Howe; 02:15 does not exist, 02:30 does.
    assertThat(
            next(CronExpression.parse("15 2 * * *"), "Australia/Lord_Howe", "2026-10-03T12:00", 2))
        .containsExactly("2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00");
    // 2027-04-04: 02:00 falls back to 01:30; 01:45 happens twice and fires once.
    assertThat(
            next(CronExpression.parse("45 1 * * *"), "Australia/Lord_Howe", "2027-04-03T12:00", 2))
        .containsExactly("2027-04-04T01:45:00+11:00", "2027-04-05T01:45:00+10:30");
  }

  @Test
  void apiaMissingDay() {
    // Samoa skipped 2011-12-30: 23:59:59 on the 29th (-10:00) was followed by 00:00 on the 31st.
    assertThat(next(CronExpression.parse("0 12 * * *"), "Pacific/Apia", "2011-12-28T12:00", 3))
        .containsExactly(
            "2011-12-29T12:00:00-10:00", "2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00");
    CronExpression instant = CronExpression.parse("0 12 * * *").withDstPolicy(DstPolicy.INSTANT);
    assertThat(next(instant, "Pacific/Apia", "2011-12-28T12:00", 2))
        .containsExactly("2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00");
  }

  @Test
  void epochSecondPathAgreesWithTheZonedOne() {
    CronExpression cron = CronExpression.parse("30 2 * * *");
    long after = Instant.parse("2026-03-07T17:00:00Z").getEpochSecond();
    long next = cron.nextEpochSecond(after, NEW_YORK);
    assertThat(Instant.ofEpochSecond(next)).isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    assertThat(cron.previousEpochSecond(next, NEW_YORK))
        .isEqualTo(Instant.parse("2026-03-07T07:30:00Z").getEpochSecond());
    assertThat(cron.next(Instant.ofEpochSecond(after), NEW_YORK))
        .contains(Instant.ofEpochSecond(next));
    assertThat(cron.previous(Instant.ofEpochSecond(next), NEW_YORK))
        .contains(Instant.parse("2026-03-07T07:30:00Z"));
  }

  @Test
  void fixedOffsetZones() {
    assertThat(next(CronExpression.parse("0 9 * * *"), "+05:30", "2026-01-01T10:00", 1))
        .containsExactly("2026-01-02T09:00:00+05:30");
  }

  @Test
  void theEndsOfTimeAnswerNone() {
    CronExpression cron = CronExpression.parse("0 0 * * *");
    assertThat(cron.nextEpochSecond(Long.MAX_VALUE, ZoneId.of("UTC")))
        .isEqualTo(CronExpression.NONE);
    assertThat(cron.previousEpochSecond(Long.MIN_VALUE, ZoneId.of("UTC")))
        .isEqualTo(CronExpression.NONE);
    CronExpression bounded = CronExpression.parse("0 0 0 1 1 ? 1999", CronDialect.QUARTZ);
    assertThat(bounded.previousEpochSecond(0, ZoneId.of("UTC"))).isEqualTo(CronExpression.NONE);
    assertThat(bounded.previous(ZonedDateTime.parse("2000-01-01T00:00:00Z")))
        .contains(ZonedDateTime.parse("1999-01-01T00:00:00Z"));
    assertThat(bounded.next(ZonedDateTime.parse("1999-01-01T00:00:00Z"))).isEmpty();
  }
}
