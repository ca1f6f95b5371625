package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronNextCommandTest {

  @Test
  void theDesignExample() {
    CliRun run =
        CliRun.of(
            "cron",
            "next",
            "30 2 * * *",
            "--zone",
            "America/New_York",
            "--from",
            "2026-03-07T12:00",
            "--count",
            "2");
    assertThat(run.code()).isZero();
    assertThat(run.lines())
        .containsExactly("2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void utcPrintsZAndCountDefaultsToFive() {
    CliRun run = CliRun.of("cron", "next", "0 3 * * *", "--zone", "UTC", "--from", "2026-01-01");
    assertThat(run.lines())
        .containsExactly(
            "2026-01-01T03:00:00Z",
            "2026-01-02T03:00:00Z",
            "2026-01-03T03:00:00Z",
            "2026-01-04T03:00:00Z",
            "2026-01-05T03:00:00Z");
  }

  @Test
  void fromDefaultsToTheClockAndZoneToTheSystemZone() {
    CliRun run =
        CliRun.in(ZoneId.of("Europe/Berlin"), "cron", "next", "0 12 * * *", "--count", "1");
    // The clock says 2026-11-24T12:00Z, which is 13:00 in Berlin: noon has passed.
    assertThat(run.lines()).containsExactly("2026-11-25T12:00:00+01:00");
  }

  @ParameterizedTest
  @CsvSource({
    "2026-03-07T12:00:00-05:00, 2026-03-08T03:00:00-04:00",
    "2026-03-07T17:00:00Z, 2026-03-08T03:00:00-04:00",
    "2026-03-08T07:00:00Z, 2026-03-09T02:30:00-04:00",
    "2026-03-07T12:00:30, 2026-03-08T03:00:00-04:00",
    "2026-03-07T18:00:00+01:00[Europe/Berlin], 2026-03-08T03:00:00-04:00",
  })
  void fromAcceptsOffsetAndLocalDateTimes(String from, String expected) {
    CliRun run =
        CliRun.of(
            "cron",
            "next",
            "30 2 * * *",
            "--zone",
            "America/New_York",
            "--from",
            from,
            "--count",
            "1");
    assertThat(run.lines()).containsExactly(expected);
  }

  @Test
  void strictlyAfterFromEvenOnAFireTimeAndADateMeansMidnight() {
    assertThat(
            CliRun.of("cron", "next", "0 0 * * *", "--zone", "UTC", "--from", "2026-01-01").lines())
        .first()
        .isEqualTo("2026-01-02T00:00:00Z");
    assertThat(
            CliRun.of(
                    "cron",
                    "next",
                    "0 0 * * *",
                    "--zone",
                    "Asia/Kolkata",
                    "--from",
                    "2026-01-01T00:00:00.5",
                    "--count",
                    "1")
                .lines())
        .containsExactly("2026-01-02T00:00:00+05:30");
  }

  @Test
  void aFromTheZoneCannotHoldIsRejected() {
    CliRun run =
        CliRun.of(
            "cron",
            "next",
            "0 3 * * *",
            "--zone",
            "Pacific/Kiritimati",
            "--from",
            "+999999999-12-31T23:59:59-18:00");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "chime: --from: '+999999999-12-31T23:59:59-18:00' is out of range in"
                + " Pacific/Kiritimati\n");
  }

  @Test
  void everyDialect() {
    assertThat(
            CliRun.of(
                    "cron",
                    "next",
                    "0 0 12 ? * 6L",
                    "--dialect",
                    "QUARTZ",
                    "--zone",
                    "UTC",
                    "--count",
                    "1")
                .lines())
        .containsExactly("2026-11-27T12:00:00Z");
    assertThat(
            CliRun.of(
                    "cron",
                    "next",
                    "*/20 * * * * *",
                    "--dialect",
                    "spring",
                    "--zone",
                    "UTC",
                    "--count",
                    "2")
                .lines())
        .containsExactly("2026-11-24T12:00:20Z", "2026-11-24T12:00:40Z");
    assertThat(
            CliRun.of(
                    "cron",
                    "next",
                    "0 0 * * 5L",
                    "--dialect",
                    "unix",
                    "--zone",
                    "UTC",
                    "--count",
                    "1")
                .lines())
        .containsExactly("2026-11-27T00:00:00Z");
  }

  private static CliRun quartzFrom2026(String expression) {
    return CliRun.of(
        "cron", "next", expression, "--dialect", "quartz", "--zone", "UTC", "--from", "2026-01-01");
  }

  @Test
  void aBoundedExpressionPrintsWhatItHas() {
    CliRun run = quartzFrom2026("0 0 0 1 1 ? 2027-2028");
    assertThat(run.code()).isZero();
    assertThat(run.lines()).containsExactly("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
  }

  @Test
  void anExpressionWhoseYearsAreOverExitsTwoSayingSo() {
    CliRun run = quartzFrom2026("0 0 0 1 1 ? 2020");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("chime: '0 0 0 1 1 ? 2020' never fires after 2026-01-01T00:00:00Z\n");
    assertThat(run.lines()).isEmpty();
  }

  @Test
  void anOffsetWithSecondsIsPrintedWhole() {
    assertThat(
            CliRun.of(
                    "cron",
                    "next",
                    "0 12 * * *",
                    "--zone",
                    "Europe/Berlin",
                    "--from",
                    "1890-06-01T00:00",
                    "--count",
                    "1")
                .lines())
        .containsExactly("1890-06-01T12:00:00+00:53:28");
  }

  @Test
  void hashedFieldsAreDeterministicPerKey() {
    String[] args = {"cron", "next", "H H * * *", "--key", "nightly-backup", "--zone", "UTC"};
    CliRun first = CliRun.of(args);
    assertThat(first.code()).isZero();
    assertThat(first.lines()).hasSize(5).isEqualTo(CliRun.of(args).lines());
    CliRun other = CliRun.of("cron", "next", "H H * * *", "--key", "another-job", "--zone", "UTC");
    assertThat(other.lines()).isNotEqualTo(first.lines());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 9 * * fry|--zone|UTC|chime: invalid cron expression '0 9 * * fry': day-of-week: 'fry'"
            + " is not a day name (column 9)",
        "0 0 30 2 *|--zone|UTC|chime: invalid cron expression '0 0 30 2 *': day-of-month: 30 never"
            + " occurs in February; the expression can never fire",
        "H H * * *|--zone|UTC|chime: invalid cron expression 'H H * * *': minute: 'H' needs a key"
            + " to hash (a job's id; --key on the command line) (column 1)",
        "0 3 * * *|--zone|Mars/Olympus|chime: --zone: 'Mars/Olympus' is not a time zone (use a"
            + " region such as Europe/Berlin, or UTC)",
        "0 3 * * *|--dialect|cronie|chime: --dialect: 'cronie' is not a dialect (unix, spring or"
            + " quartz)",
        "0 3 * * *|--from|yesterday|chime: --from: 'yesterday' is not a date-time (use"
            + " 2026-03-07T12:00, 2026-03-07T12:00:00-05:00,"
            + " 2026-03-07T12:00:00-05:00[America/New_York] or 2026-03-07)",
        "0 3 * * *|--count|0|chime: --count: must be 1-10000, was 0",
        "0 3 * * *|--count|10001|chime: --count: must be 1-10000, was 10001",
      })
  void invalidInputExitsTwoNamingTheBadPart(String expr, String option, String value, String err) {
    CliRun run = CliRun.of("cron", "next", expr, option, value);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.lines()).isEmpty();
    assertThat(run.err().strip()).isEqualTo(err);
  }

  @Test
  void usageErrorsExitTwo() {
    CliRun missing = CliRun.of("cron", "next");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter: 'EXPR'").contains("Usage:");
    CliRun notANumber = CliRun.of("cron", "next", "0 3 * * *", "--count", "many");
    assertThat(notANumber.code()).isEqualTo(2);
    assertThat(notANumber.err()).contains("--count");
    assertThat(CliRun.of("launch").code()).isEqualTo(2);
  }
}
