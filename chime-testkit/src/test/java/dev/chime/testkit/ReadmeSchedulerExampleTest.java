package dev.chime.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.Trigger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "Scheduling jobs in Java" example, run through a week with the manual scheduler. */
class ReadmeSchedulerExampleTest {
  @Test
  void theWeeklyReportRunsMondayMorningInBerlinAndPublishFollows() {
    FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z"); // a Sunday
    ManualScheduler scheduler = ManualScheduler.builder(clock).groupLimit("reports", 2).build();
    scheduler.register("report", ctx -> ctx.log("rendering " + ctx.params().get("name")));
    scheduler.schedule(
        Job.builder("weekly-sales")
            .handler("report")
            .params(Map.of("name", "sales"))
            .group("reports")
            .trigger(
                Trigger.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(8, 0), ZoneId.of("Europe/Berlin")))
            .retry(RetryPolicy.exponential(3, Duration.ofSeconds(30), Duration.ofMinutes(10)))
            .timeout(Duration.ofMinutes(20))
            .build());
    scheduler.schedule(
        Job.builder("publish")
            .handler("report")
            .trigger(Trigger.after(JobId.of("weekly-sales")))
            .build());

    clock.advance(Duration.ofDays(7));
    assertThat(scheduler.runDue()).isEqualTo(2);
    Run sales = scheduler.runs(JobId.of("weekly-sales"), 1).get(0);
    assertThat(sales.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(sales.scheduledFor()).hasToString("2026-03-02T07:00:00Z");
    assertThat(sales.log()).isEqualTo("rendering sales\n");
    assertThat(scheduler.runs(JobId.of("publish"), 1).get(0).state()).isEqualTo(RunState.SUCCEEDED);
  }
}
