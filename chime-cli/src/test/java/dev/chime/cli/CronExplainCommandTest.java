package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CronExplainCommandTest {

  @Test
  void describesAndListsTheNextTimes() {
    CliRun run = CliRun.of("cron", "explain", "30 9 * * mon-fri", "--zone", "Europe/Berlin");
    assertThat(run.code()).isZero();
    assertThat(run.lines())
        .containsExactly(
            "At 09:30, Monday through Friday",
            "dialect:    unix",
            "dst policy: wall-clock (a time skipped by DST runs at the end of the gap; a repeated"
                + " time runs once)",
            "zone:       Europe/Berlin",
            "next:       2026-11-25T09:30:00+01:00",
            "            2026-11-26T09:30:00+01:00",
            "            2026-11-27T09:30:00+01:00");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void namesTheInstantPolicyAndTheDialect() {
    CliRun run = CliRun.of("cron", "explain", "*/15 * * * * *", "--zone", "UTC");
    assertThat(run.lines().get(0)).isEqualTo("Every 15 seconds");
    assertThat(run.lines()).contains("dialect:    spring");
    assertThat(run.lines().get(2))
        .isEqualTo(
            "dst policy: instant (runs at every real instant that matches: none in a DST gap,"
                + " twice in an overlap)");
  }

  @Test
  void usesTheSystemZoneByDefault() {
    CliRun run = CliRun.in(java.time.ZoneId.of("Asia/Tokyo"), "cron", "explain", "0 8 * * *");
    assertThat(run.lines())
        .contains("zone:       Asia/Tokyo", "next:       2026-11-25T08:00:00+09:00");
  }

  @Test
  void hashesWithTheKey() {
    String[] args = {"cron", "explain", "H H * * *", "--key", "nightly-backup", "--zone", "UTC"};
    assertThat(CliRun.of(args).lines()).isEqualTo(CliRun.of(args).lines()).hasSize(7);
  }

  @Test
  void stopsWhenTheExpressionRunsOut() {
    CliRun run = CliRun.of("cron", "explain", "0 0 0 1 1 ? 2027", "--dialect", "quartz");
    assertThat(run.code()).isZero();
    assertThat(run.lines()).endsWith("next:       2027-01-01T00:00:00Z");
  }

  @Test
  void anExpressionThatCanNeverFireAgainExitsTwoAsCronNextDoes() {
    CliRun run =
        CliRun.of("cron", "explain", "0 0 0 1 1 ? 2020", "--dialect", "quartz", "--zone", "UTC");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.lines())
        .containsExactly(
            "At 00:00, on day 1 of the month, in January, in 2020",
            "dialect:    quartz",
            "dst policy: wall-clock (a time skipped by DST runs at the end of the gap; a repeated"
                + " time runs once)",
            "zone:       UTC");
    assertThat(run.err())
        .isEqualTo("chime: '0 0 0 1 1 ? 2020' never fires after 2026-11-24T12:00:00Z\n");
    CliRun next =
        CliRun.of("cron", "next", "0 0 0 1 1 ? 2020", "--dialect", "quartz", "--zone", "UTC");
    assertThat(next.code()).isEqualTo(run.code());
    assertThat(next.err()).isEqualTo(run.err());
  }

  @Test
  void rejectsAnInvalidExpression() {
    CliRun run = CliRun.of("cron", "explain", "0 0 ? * *");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.lines()).isEmpty();
    assertThat(run.err()).startsWith("chime: invalid cron expression '0 0 ? * *': day-of-month:");
  }

  @Test
  void rejectsABadDialectZoneOrMissingKey() {
    CliRun dialect = CliRun.of("cron", "explain", "0 3 * * *", "--dialect", "vixie");
    assertThat(dialect.code()).isEqualTo(2);
    assertThat(dialect.err())
        .isEqualTo("chime: --dialect: 'vixie' is not a dialect (unix, spring or quartz)\n");
    CliRun zone = CliRun.of("cron", "explain", "0 3 * * *", "--zone", "Nowhere/Town");
    assertThat(zone.code()).isEqualTo(2);
    assertThat(zone.err()).startsWith("chime: --zone: 'Nowhere/Town' is not a time zone");
    CliRun key = CliRun.of("cron", "explain", "H 3 * * *");
    assertThat(key.code()).isEqualTo(2);
    assertThat(key.err()).contains("minute: 'H' needs a key").contains("--key");
  }
}
