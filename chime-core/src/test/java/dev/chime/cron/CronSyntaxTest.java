package dev.chime.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets one exception type that names the field, the reason and the column. */
class CronSyntaxTest {

  @Test
  void theIssueExample() {
    assertThatThrownBy(() -> CronExpression.parse("0 9 * * fry"))
        .isInstanceOfSatisfying(
            CronSyntaxException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo("day-of-week: 'fry' is not a day name (column 9)");
              assertThat(e.field()).isEqualTo("day-of-week");
              assertThat(e.column()).isEqualTo(9);
              assertThat(e.reason()).isEqualTo("'fry' is not a day name");
              assertThat(e.expression()).isEqualTo("0 9 * * fry");
            });
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "60 * * * *|UNIX|minute: 60 is out of range 0-59 (column 1)",
        "0 24 * * *|UNIX|hour: 24 is out of range 0-23 (column 3)",
        "0 0 0 * *|UNIX|day-of-month: 0 is out of range 1-31 (column 5)",
        "0 0 1 13 *|UNIX|month: 13 is out of range 1-12 (column 7)",
        "0 0 1 janu *|UNIX|month: 'janu' is not a month name (column 7)",
        "0 0 * * 8|UNIX|day-of-week: 8 is out of range 0-7 (column 9)",
        "*/0 * * * *|UNIX|minute: step must be at least 1, was 0 (column 3)",
        "*/61 * * * *|UNIX|minute: step 61 is larger than the field's 60 values (column 3)",
        "x * * * *|UNIX|minute: 'x' is not a number (column 1)",
        "1,,2 * * * *|UNIX|minute: empty list element in '1,,2' (column 3)",
        "*,5 * * * *|UNIX|minute: '*' must stand alone, not in a list (column 1)",
        "0 0 ? * *|UNIX|day-of-month: '?' is not part of the unix dialect; use '*' (column 5)",
        "0 ? * * * *|SPRING|minute: '?' is only allowed in day-of-month or day-of-week (column 3)",
        "0 0 0 * * *|QUARTZ|day-of-week: the quartz dialect needs '?' in day-of-month or"
            + " day-of-week (e.g. '0 0 12 ? * MON') (column 11)",
        "0 0 0 ? * ?|QUARTZ|day-of-week: '?' may stand in only one of day-of-month and day-of-week"
            + " (column 11)",
        "0 0 0 ? * 0|QUARTZ|day-of-week: 0 is out of range 1-7 (column 11)",
        "0 0 0 1 * ? 1969|QUARTZ|year: 1969 is out of range 1970-2199 (column 13)",
        "0 0 L-31 * *|UNIX|day-of-month: L-31: the offset must be 0-30 (column 7)",
        "0 0 * * 5#6|UNIX|day-of-week: '#6': the week must be 1-5 (column 10)",
        "0 0 * * L|UNIX|day-of-week: 'L' alone is not a day; write e.g. '5L' for the last Friday"
            + " (column 9)",
        "0 5W * * *|UNIX|hour: '5W': 'W' belongs in day-of-month only (column 3)",
        "0 0 XL * *|UNIX|day-of-month: 'XL' is not a day of the month (1-31, L, L-n, LW, nW)"
            + " (column 5)",
        "H * * * *|QUARTZ|the quartz dialect expects 6 or 7 fields, found 5",
        "H * * * * ?|QUARTZ|second: 'H' is not part of the quartz dialect (column 1)",
        "H * * * *|UNIX|minute: 'H' needs a key to hash (a job's id; --key on the command line)"
            + " (column 1)",
        "H(5-1) * * * *|UNIX|minute: 'H(5-1)': H(a-b) needs a <= b (column 1)",
        "H/61 * * * *|UNIX|minute: 'H/61': step must be 1-60 (column 1)",
        "H(1 * * * *|UNIX|minute: 'H(1' is not H(a-b) (column 1)",
        "Hx * * * *|UNIX|minute: 'Hx' is not H, H(a-b), H/n or H(a-b)/n (column 1)",
        "* * * *|UNIX|the unix dialect expects 5 fields, found 4",
        "* * * * * * * *|SPRING|the spring dialect expects 6 fields, found 8",
        "@reboot|UNIX|'@reboot' has no fire times; schedule a once trigger at start-up (column 1)",
        "@often|UNIX|'@often' is not a macro (@yearly @monthly @weekly @daily @hourly) (column 1)",
        "@daily|QUARTZ|macros such as '@daily' are not part of the quartz dialect (column 1)",
      })
  void namesTheFieldTheTextAndTheColumn(String text, CronDialect dialect, String message) {
    assertThatThrownBy(() -> CronExpression.parse(text, dialect))
        .isInstanceOf(CronSyntaxException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|the expression is empty",
        "'   '|the expression is empty",
        "* * *|expected 5 fields (unix) or 6 (spring), found 3",
        "0 0 0 1 1 ? 2030|7 fields need the quartz dialect (the only one with a year field)",
      })
  void wholeTextErrorsWithoutDialect(String text, String message) {
    assertThatThrownBy(() -> CronExpression.parse(text))
        .isInstanceOf(CronSyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void nullTextIsAClearError() {
    assertThatThrownBy(() -> CronExpression.parse(null))
        .isInstanceOf(CronSyntaxException.class)
        .hasMessage("the expression is missing");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 0 30 2 *|UNIX|day-of-month: 30 never occurs in February; the expression can never fire",
        "0 0 30,31 2 *|UNIX|day-of-month: 30, 31 never occur in February; the expression can"
            + " never fire",
        "0 0 0 30 2 FRI|SPRING|day-of-month: no day matches in February; the expression can never"
            + " fire",
        "0 0 31 4,6,9,11 *|UNIX|day-of-month: 31 never occurs in April, June, September, November;"
            + " the expression can never fire",
        "0 0 0 30 2 ?|QUARTZ|day-of-month: 30 never occurs in February; the expression can never"
            + " fire",
        "0 0 0 29 2 ? 2025|QUARTZ|the expression can never fire: no matching day in the years given",
        "0 0 0 ? 2 5#5 2026-2027|QUARTZ|the expression can never fire: no matching day in the years"
            + " given",
      })
  void expressionsThatCanNeverFireAreRejectedAtParse(
      String text, CronDialect dialect, String message) {
    assertThatThrownBy(() -> CronExpression.parse(text, dialect))
        .isInstanceOf(CronSyntaxException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 0 H(29-31) 2 *|UNIX|day-of-month: for some keys (job ids) 'H(29-31)' draws 30, and 30"
            + " never occurs in February; the expression can never fire (column 5)",
        "0 0 31 H *|UNIX|month: for some keys (job ids) 'H' draws February, and 31 never occurs in"
            + " February; the expression can never fire (column 8)",
        "0 0 H(29-31) H *|UNIX|day-of-month: for some keys (job ids) 'H(29-31)' draws 30 and 'H'"
            + " draws February, and 30 never occurs in February; the expression can never fire"
            + " (column 5)",
        "0 0 0 LW * H|SPRING|day-of-week: for some keys (job ids) 'H' draws Sunday, and no day"
            + " matches in January, February, March, April, May, June, July, August, September,"
            + " October, November, December; the expression can never fire (column 12)",
        "0 0 0 H(29-31)/2 2 *|SPRING|day-of-month: for some keys (job ids) 'H(29-31)/2' draws 30,"
            + " and 30 never occurs in February; the expression can never fire (column 7)",
      })
  void hashedDaysThatSomeKeyWouldNeverFireAreRejectedWhateverTheKey(
      String text, CronDialect dialect, String message) {
    for (String key : java.util.List.of("a", "b", "c", "d", "job-7", "nightly-backup")) {
      assertThatThrownBy(() -> CronExpression.parse(text, dialect, key))
          .isInstanceOf(CronSyntaxException.class)
          .hasMessage(message);
    }
  }

  @Test
  void anExpressionThatFiresWhateverTheKeyIsTriedOnceAndARefusedOneEveryTime() {
    String fires = "0 0 H(2-27) H(1-3) *";
    assertThat(HashedDays.passed(CronDialect.UNIX, fires)).isFalse();
    CronExpression.parse(fires, null, "a");
    assertThat(HashedDays.passed(CronDialect.UNIX, fires)).as("kept once it passed").isTrue();
    assertThat(
            CronExpression.parse(fires, null, "b")
                .next(java.time.ZonedDateTime.parse("2026-01-01T00:00:00Z")))
        .isPresent();
    String never = "0 0 H(29-31) 2 *";
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> CronExpression.parse(never, null, "a"))
          .isInstanceOf(CronSyntaxException.class);
    }
    assertThat(HashedDays.passed(CronDialect.UNIX, never)).isFalse();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "0 0 H(28-29) 2 *",
        "0 0 H(29-31) 1,2 *",
        "0 0 H(29-31) H(1-2),3 *",
        "0 H H H H",
        "0 0 0 H(29-31) 1 H",
        "0 0 0 LW * H(1-5)",
        "0 0 0 15W * H(1-5)"
      })
  void hashedDaysThatEveryKeyFiresAreAccepted(String text) {
    for (String key : java.util.List.of("a", "b", "c", "d", "job-7", "nightly-backup")) {
      CronExpression cron = CronExpression.parse(text, null, key);
      assertThat(cron.next(java.time.ZonedDateTime.parse("2026-01-01T00:00:00Z"))).isPresent();
    }
  }

  @Test
  void rareButSatisfiableExpressionsAreAccepted() {
    // The fifth Friday of February happens only in leap years whose Feb 1 is a Friday.
    CronExpression cron = CronExpression.parse("0 0 * 2 5#5");
    assertThat(cron.next(java.time.ZonedDateTime.parse("2026-01-01T00:00:00Z")).orElseThrow())
        .hasToString("2036-02-29T00:00Z");
  }
}
