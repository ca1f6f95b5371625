package dev.chime.cron;

import static dev.chime.cron.CronTestSupport.next;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each dialect means, one documented rule per test, checked in UTC. */
class CronDialectTest {

  private static CronExpression unix(String text) {
    return CronExpression.parse(text, CronDialect.UNIX);
  }

  @Test
  void fieldCountPicksTheDialect() {
    assertThat(CronExpression.parse("0 3 * * *").dialect()).isEqualTo(CronDialect.UNIX);
    assertThat(CronExpression.parse("0 0 3 * * *").dialect()).isEqualTo(CronDialect.SPRING);
    assertThat(CronExpression.parse("@daily").dialect()).isEqualTo(CronDialect.UNIX);
  }

  @Test
  void theImpliedDialectIsTheOneAReadWithoutADialectGives() {
    for (String text :
        java.util.List.of(
            "0 3 * * *", " 0\t3  * * * ", "0 0 3 * * *", "@daily", "  @hourly", "*/5 * * * MON")) {
      assertThat(CronDialect.impliedBy(text))
          .as(text)
          .contains(CronExpression.parse(text).dialect());
    }
    for (String text :
        java.util.List.of("", "   ", "0 3 * *", "0 0 3 * * ? 2030", "1 2 3 4 5 6 7 8")) {
      assertThat(CronDialect.impliedBy(text)).as(text).isEmpty();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> CronExpression.parse(text))
          .isInstanceOf(CronSyntaxException.class);
    }
  }

  @Test
  void unixEveryFiveMinutes() {
    assertThat(next(unix("*/5 * * * *"), "UTC", "2026-01-01T10:58", 3))
        .containsExactly("2026-01-01T11:00:00Z", "2026-01-01T11:05:00Z", "2026-01-01T11:10:00Z");
  }

  @ParameterizedTest
  @CsvSource({
    "0 12 * * 0, 2026-11-29T12:00:00Z", // Sunday as 0
    "0 12 * * 7, 2026-11-29T12:00:00Z", // Sunday as 7
    "0 12 * * SUN, 2026-11-29T12:00:00Z",
    "0 12 * * sun, 2026-11-29T12:00:00Z",
    "0 12 * jan-mar mon, 2027-01-04T12:00:00Z",
  })
  void unixNamesAndSundays(String text, String expected) {
    assertThat(next(unix(text), "UTC", "2026-11-24T00:00", 1)).containsExactly(expected);
  }

  @Test
  void unixRangesWrap() {
    assertThat(next(unix("0 22-2 * * *"), "UTC", "2026-01-01T12:00", 5))
        .containsExactly(
            "2026-01-01T22:00:00Z",
            "2026-01-01T23:00:00Z",
            "2026-01-02T00:00:00Z",
            "2026-01-02T01:00:00Z",
            "2026-01-02T02:00:00Z");
    // 2026-11-24 is a Tuesday: fri-mon is Fri, Sat, Sun, Mon.
    assertThat(next(unix("0 9 * * fri-mon"), "UTC", "2026-11-24T00:00", 5))
        .containsExactly(
            "2026-11-27T09:00:00Z",
            "2026-11-28T09:00:00Z",
            "2026-11-29T09:00:00Z",
            "2026-11-30T09:00:00Z",
            "2026-12-04T09:00:00Z");
  }

  @Test
  void unixStepFromAValueRunsToTheEndOfTheField() {
    assertThat(next(unix("50/4 * * * *"), "UTC", "2026-01-01T10:00", 4))
        .containsExactly(
            "2026-01-01T10:50:00Z",
            "2026-01-01T10:54:00Z",
            "2026-01-01T10:58:00Z",
            "2026-01-01T11:50:00Z");
    assertThat(next(unix("0 9-17/4 * * *"), "UTC", "2026-01-01T00:00", 3))
        .containsExactly("2026-01-01T09:00:00Z", "2026-01-01T13:00:00Z", "2026-01-01T17:00:00Z");
  }

  @Test
  void unixDayFieldsAreOredWhenBothAreRestricted() {
    // The 13th, or any Friday. 2026-11-24 is a Tuesday.
    assertThat(next(unix("0 0 13 * 5"), "UTC", "2026-11-24T00:00", 3))
        .containsExactly("2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z");
    assertThat(next(unix("0 0 13 * 5"), "UTC", "2026-12-11T01:00", 2))
        .containsExactly("2026-12-13T00:00:00Z", "2026-12-18T00:00:00Z");
  }

  @Test
  void unixStarStepCountsAsUnrestrictedSoBothMustMatch() {
    // cronie: "0 16 */2 * sat" is odd days that are Saturdays.
    assertThat(next(unix("0 16 */2 * sat"), "UTC", "2026-11-24T00:00", 3))
        .containsExactly("2026-12-05T16:00:00Z", "2026-12-19T16:00:00Z", "2027-01-09T16:00:00Z");
  }

  @ParameterizedTest
  @CsvSource({
    "@yearly, 2027-01-01T00:00:00Z",
    "@annually, 2027-01-01T00:00:00Z",
    "@monthly, 2026-12-01T00:00:00Z",
    "@weekly, 2026-11-29T00:00:00Z",
    "@daily, 2026-11-25T00:00:00Z",
    "@midnight, 2026-11-25T00:00:00Z",
    "@hourly, 2026-11-24T13:00:00Z",
  })
  void macros(String macro, String expected) {
    assertThat(next(CronExpression.parse(macro), "UTC", "2026-11-24T12:30", 1))
        .containsExactly(expected);
    assertThat(next(CronExpression.parse(macro, CronDialect.SPRING), "UTC", "2026-11-24T12:30", 1))
        .containsExactly(expected);
  }

  @Test
  void quartzSpecialsAreUnixExtensions() {
    assertThat(next(unix("0 0 L * *"), "UTC", "2026-01-15T00:00", 3))
        .containsExactly("2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z");
    assertThat(next(unix("0 0 L-2 * *"), "UTC", "2026-02-01T00:00", 2))
        .containsExactly("2026-02-26T00:00:00Z", "2026-03-29T00:00:00Z");
    // Last weekday: 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
    assertThat(next(unix("0 0 LW 1,5 *"), "UTC", "2026-01-01T00:00", 2))
        .containsExactly("2026-01-30T00:00:00Z", "2026-05-29T00:00:00Z");
    // Third Friday, last Friday.
    assertThat(next(unix("0 0 * * 5#3"), "UTC", "2026-11-01T00:00", 2))
        .containsExactly("2026-11-20T00:00:00Z", "2026-12-18T00:00:00Z");
    assertThat(next(unix("0 0 * * 5L"), "UTC", "2026-11-01T00:00", 2))
        .containsExactly("2026-11-27T00:00:00Z", "2026-12-25T00:00:00Z");
  }

  @Test
  void nearestWeekdayNeverLeavesTheMonth() {
    // 2026-08-01 is a Saturday: 1W is Monday the 3rd, not Friday July 31.
    assertThat(next(unix("0 0 1W 8 *"), "UTC", "2026-07-01T00:00", 1))
        .containsExactly("2026-08-03T00:00:00Z");
    // 2026-05-31 is a Sunday: 31W is Friday the 29th, not Monday June 1.
    assertThat(next(unix("0 0 31W 5 *"), "UTC", "2026-05-01T00:00", 1))
        .containsExactly("2026-05-29T00:00:00Z");
    // 2026-11-15 is a Sunday: 15W is Monday the 16th.
    assertThat(next(unix("0 0 15W * *"), "UTC", "2026-11-01T00:00", 1))
        .containsExactly("2026-11-16T00:00:00Z");
  }

  @Test
  void springHasSecondsAndAndsTheDayFields() {
    CronExpression friday13 = CronExpression.parse("0 0 0 13 * FRI", CronDialect.SPRING);
    assertThat(next(friday13, "UTC", "2026-01-01T00:00", 2))
        .containsExactly("2026-02-13T00:00:00Z", "2026-03-13T00:00:00Z");
    CronExpression seconds = CronExpression.parse("*/20 * * * * ?", CronDialect.SPRING);
    assertThat(next(seconds, "UTC", "2026-01-01T00:00:30", 2))
        .containsExactly("2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z");
  }

  @Test
  void springLeapDayOnAMonday() {
    CronExpression cron = CronExpression.parse("0 0 0 29 2 1", CronDialect.SPRING);
    assertThat(next(cron, "UTC", "2026-01-01T00:00", 2))
        .containsExactly("2044-02-29T00:00:00Z", "2072-02-29T00:00:00Z");
  }

  @Test
  void springLastDayOffsetStaysInShortMonths() {
    // Spring's own L-30 returns a day of the previous month in February; we follow Quartz.
    CronExpression cron = CronExpression.parse("0 0 0 L-30 * *", CronDialect.SPRING);
    assertThat(next(cron, "UTC", "2026-01-15T00:00", 3))
        .containsExactly("2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z", "2026-07-01T00:00:00Z");
  }

  @Test
  void springDayOfWeekStepStartsAtMonday() {
    // Spring reads */2 in day-of-week over 1-7: Monday, Wednesday, Friday, Sunday.
    CronExpression cron = CronExpression.parse("0 0 0 * * */2", CronDialect.SPRING);
    assertThat(next(cron, "UTC", "2026-11-23T01:00", 4))
        .containsExactly(
            "2026-11-25T00:00:00Z",
            "2026-11-27T00:00:00Z",
            "2026-11-29T00:00:00Z",
            "2026-11-30T00:00:00Z");
  }

  @Test
  void quartzWeekdaysCountFromSundayAndLAloneIsSaturday() {
    CronExpression monday = CronExpression.parse("0 0 12 ? * 2", CronDialect.QUARTZ);
    assertThat(next(monday, "UTC", "2026-11-24T00:00", 1)).containsExactly("2026-11-30T12:00:00Z");
    CronExpression saturday = CronExpression.parse("0 0 12 ? * L", CronDialect.QUARTZ);
    assertThat(next(saturday, "UTC", "2026-11-24T00:00", 2))
        .containsExactly("2026-11-28T12:00:00Z", "2026-12-05T12:00:00Z");
    CronExpression lastFriday = CronExpression.parse("0 15 10 ? * 6L", CronDialect.QUARTZ);
    assertThat(next(lastFriday, "UTC", "2026-11-01T00:00", 1))
        .containsExactly("2026-11-27T10:15:00Z");
  }

  @Test
  void quartzStepStartsAtTheGivenValueAndYearsBound() {
    CronExpression cron = CronExpression.parse("5/15 0 0 1 1 ? 2027-2028", CronDialect.QUARTZ);
    assertThat(next(cron, "UTC", "2026-06-01T00:00", 8))
        .containsExactly(
            "2027-01-01T00:00:05Z",
            "2027-01-01T00:00:20Z",
            "2027-01-01T00:00:35Z",
            "2027-01-01T00:00:50Z",
            "2028-01-01T00:00:05Z",
            "2028-01-01T00:00:20Z",
            "2028-01-01T00:00:35Z",
            "2028-01-01T00:00:50Z");
    assertThat(cron.next(java.time.Instant.parse("2028-01-01T00:00:50Z"), java.time.ZoneOffset.UTC))
        .isEmpty();
  }

  @Test
  void upcomingListsFireTimesAndStopsWhenTheyRunOut() {
    CronExpression cron = CronExpression.parse("0 0 0 1 1 ? 2027-2028", CronDialect.QUARTZ);
    java.time.ZonedDateTime from = java.time.ZonedDateTime.parse("2026-06-01T00:00:00Z");
    assertThat(cron.upcoming(from, 5))
        .containsExactly(
            java.time.ZonedDateTime.parse("2027-01-01T00:00:00Z"),
            java.time.ZonedDateTime.parse("2028-01-01T00:00:00Z"));
    assertThat(cron.upcoming(from, 0)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cron.upcoming(from, -1))
        .hasMessage("count must not be negative, was -1");
  }

  @Test
  void quartzHasNoYearPlusOneHundredLimit() {
    CronExpression cron = CronExpression.parse("0 0 0 1 1 ? 2199", CronDialect.QUARTZ);
    assertThat(next(cron, "UTC", "2026-01-01T00:00", 1)).containsExactly("2199-01-01T00:00:00Z");
  }

  @Test
  void matchesReadsLocalFields() {
    CronExpression cron = CronExpression.parse("30 9 * * mon-fri");
    java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
    assertThat(cron.matches(java.time.ZonedDateTime.of(2026, 11, 24, 9, 30, 0, 0, berlin)))
        .isTrue();
    assertThat(cron.matches(java.time.ZonedDateTime.of(2026, 11, 24, 9, 31, 0, 0, berlin)))
        .isFalse();
    assertThat(cron.matches(java.time.ZonedDateTime.of(2026, 11, 28, 9, 30, 0, 0, berlin)))
        .isFalse();
  }

  @Test
  void previousIsStrictlyBefore() {
    CronExpression cron = CronExpression.parse("0 3 * * *");
    assertThat(CronTestSupport.previous(cron, "UTC", "2026-11-24T03:00", 2))
        .containsExactly("2026-11-23T03:00:00Z", "2026-11-22T03:00:00Z");
    assertThat(cron.previous(java.time.ZonedDateTime.parse("2026-11-24T03:00:00.5Z")))
        .contains(java.time.ZonedDateTime.parse("2026-11-24T03:00:00Z"));
  }

  @Test
  void valueSemantics() {
    CronExpression a = CronExpression.parse(" 0 3 * * * ");
    CronExpression b = CronExpression.parse("0 3 * * *");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString("0 3 * * *");
    assertThat(a.text()).isEqualTo("0 3 * * *");
    assertThat(a.withDstPolicy(DstPolicy.INSTANT)).isNotEqualTo(b);
    assertThat(a.withDstPolicy(DstPolicy.INSTANT).dstPolicy()).isEqualTo(DstPolicy.INSTANT);
  }
}
