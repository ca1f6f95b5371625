package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void explainDescribesAndListsTheNextTimes() {
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
  }

  @Test
  void explainNamesTheInstantPolicyAndTheDialect() {
    CliRun run = CliRun.of("cron", "explain", "*/15 * * * * *", "--zone", "UTC");
    assertThat(run.lines().get(0)).isEqualTo("Every 15 seconds");
    assertThat(run.lines()).contains("dialect:    spring");
    assertThat(run.lines().get(2)).startsWith("dst policy: instant");
  }

  @Test
  void explainStopsWhenTheExpressionRunsOut() {
    CliRun run = CliRun.of("cron", "explain", "0 0 0 1 1 ? 2027", "--dialect", "quartz");
    assertThat(run.code()).isZero();
    assertThat(run.lines()).endsWith("next:       2027-01-01T00:00:00Z");
  }

  @Test
  void explainRejectsBadInput() {
    CliRun run = CliRun.of("cron", "explain", "0 0 ? * *");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("chime: invalid cron expression '0 0 ? * *': day-of-month:");
  }

  @Test
  void helpAndVersion() {
    CliRun help = CliRun.of("--help");
    assertThat(help.code()).isZero();
    assertThat(String.join("\n", help.lines())).contains("Usage: chime").contains("cron");
    CliRun cronHelp = CliRun.of("cron", "next", "--help");
    assertThat(String.join("\n", cronHelp.lines())).contains("--from").contains("--key");
    CliRun version = CliRun.of("--version");
    assertThat(version.code()).isZero();
    assertThat(version.lines().get(0)).startsWith("chime ");
  }

  @Test
  void anOperationThatFailsExitsOne() {
    // A failure that is not bad input: the system zone cannot be used.
    CliRun run = CliRun.in(null, "cron", "next", "0 3 * * *", "--count", "1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("chime: ");
  }
}
