package dev.chime.testkit;

import static dev.chime.testkit.ChimeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Pipeline;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerEvent;
import dev.chime.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manual scheduler drives the engine through time with no threads and no sleeps. */
class ManualSchedulerTest {
  private final FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z");
  private final Recorder recorder = new Recorder(clock);
  private final ManualScheduler scheduler =
      ManualScheduler.builder(clock).historyLimit(100).build();

  private Instant at(long seconds) {
    return Instant.parse("2026-03-01T00:00:00Z").plusSeconds(seconds);
  }

  {
    scheduler.register(TestJobs.HANDLER, recorder);
  }

  @Test
  void runDueRunsWhatFellDueAndNothingElse() {
    scheduler.schedule(TestJobs.every("tick", Duration.ofMinutes(1), at(60)).build());
    assertThat(scheduler.runDue()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(scheduler.runDue()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(recorder.occurrences(JobId.of("tick"))).containsExactly(at(60), at(120));
    assertThat(scheduler.get(JobId.of("tick")).orElseThrow())
        .hasState(JobState.ACTIVE)
        .firesNextAt(at(180));
  }

  @Test
  void scheduleAndGetReturnsTheJobAsAReadReturnsIt() {
    var created =
        scheduler.scheduleAndGet(TestJobs.every("tick", Duration.ofMinutes(1), at(60)).build());
    assertThat(created).hasState(JobState.ACTIVE).firesNextAt(at(60));
    assertThat(scheduler.get(JobId.of("tick"))).contains(created);
  }

  @Test
  void retriesAreRecordedAttemptByAttempt() {
    recorder.failingFirst(1);
    scheduler.schedule(
        TestJobs.once("flaky", at(0))
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ofSeconds(30)))
            .build());
    scheduler.runDue();
    clock.advance(Duration.ofSeconds(30));
    scheduler.runDue();
    List<Run> runs = scheduler.runs(JobId.of("flaky"), 10);
    assertThat(runs.get(1)).hasState(RunState.FAILED).isAttempt(1).isFor(at(0));
    assertThat(runs.get(0)).hasState(RunState.SUCCEEDED).isAttempt(2).isFor(at(0));
    assertThat(recorder.calls()).extracting(Recorder.Call::at).containsExactly(at(0), at(30));
  }

  @Test
  void theSchedulerFacadeReachesEveryOperation() {
    List<SchedulerEvent> events = new ArrayList<>();
    scheduler.addListener(events::add);
    scheduler.schedule(TestJobs.once("a", at(3600)).labels("l").build());
    scheduler.schedule(TestJobs.on("b", Trigger.after(JobId.of("a"))).build());
    assertThat(scheduler.list(JobQuery.ALL)).hasSize(2);
    assertThat(scheduler.pause(JobId.of("a"), "note")).hasState(JobState.PAUSED);
    assertThat(scheduler.resume(JobId.of("a"))).hasState(JobState.ACTIVE);
    assertThat(scheduler.pauseLabeled("l", "n")).isEqualTo(1);
    assertThat(scheduler.resumeLabeled("l")).isEqualTo(1);
    scheduler.pauseAll("all");
    assertThat(scheduler.isPaused()).isTrue();
    scheduler.resumeAll();
    scheduler.update(TestJobs.once("a", at(7200)).build());
    RunId run = scheduler.runNow(JobId.of("a"));
    RunId forced = scheduler.runNow(JobId.of("a"), true);
    assertThat(scheduler.cancel(forced)).isTrue();
    scheduler.runDue();
    assertThat(scheduler.run(run).orElseThrow()).hasState(RunState.SUCCEEDED);
    assertThat(scheduler.run(forced).orElseThrow()).hasState(RunState.CANCELLED);
    List<Run> dependent = scheduler.runs(JobId.of("b"), 5);
    assertThat(dependent.get(1)).wasSkippedBecause("dependency a cancelled");
    assertThat(dependent.get(0)).hasState(RunState.SUCCEEDED);
    scheduler.definePipeline(Pipeline.of("p", List.of(List.of(JobId.of("a")))));
    long pipelineRun = scheduler.runPipeline("p");
    scheduler.runDue();
    assertThat(scheduler.pipelineRuns("p", 5).get(0).id()).isEqualTo(pipelineRun);
    assertThat(scheduler.delete(JobId.of("b"))).isTrue();
    assertThat(events).isNotEmpty();
    assertThatThrownBy(scheduler::start).hasMessageContaining("runDue");
    assertThat(scheduler.shutdown()).isTrue();
    scheduler.close();
  }

  @Test
  void assertionsExplainWhatWasExpected() {
    scheduler.schedule(TestJobs.once("x", at(0)).build());
    scheduler.runDue();
    Run run = scheduler.runs(JobId.of("x"), 1).get(0);
    assertThatThrownBy(() -> assertThat(run).hasState(RunState.FAILED))
        .hasMessageContaining("to be FAILED but was SUCCEEDED");
    assertThatThrownBy(() -> assertThat(run).wasSkippedBecause("overlap"))
        .hasMessageContaining("SKIPPED");
    assertThatThrownBy(() -> assertThat(run).isFor(at(1))).hasMessageContaining("it was for");
    assertThatThrownBy(() -> assertThat(run).isAttempt(2)).hasMessageContaining("attempt 2");
    assertThatThrownBy(
            () -> assertThat(scheduler.get(JobId.of("x")).orElseThrow()).hasState(JobState.PAUSED))
        .hasMessageContaining("to be PAUSED but was FINISHED");
    assertThatThrownBy(
            () -> assertThat(scheduler.get(JobId.of("x")).orElseThrow()).firesNextAt(at(5)))
        .hasMessageContaining("fire next at");
  }

  @Test
  void skippedRunsCanBeAssertedByReason() {
    scheduler.schedule(
        TestJobs.every("m", Duration.ofMinutes(1), at(60))
            .misfire(dev.chime.MisfirePolicy.skip(Duration.ZERO))
            .build());
    clock.advance(Duration.ofSeconds(90));
    scheduler.runDue();
    assertThat(scheduler.runs(JobId.of("m"), 1).get(0)).wasSkippedBecause("misfire");
  }

  @Test
  void builderSettingsAreChecked() {
    assertThatThrownBy(() -> ManualScheduler.builder(clock).historyLimit(0))
        .hasMessage("historyLimit must be 1-10000000, was 0");
    assertThatThrownBy(() -> ManualScheduler.builder(clock).retention(Duration.ofSeconds(59), 1))
        .hasMessage("retention maxAge must be at least 1 minute, was PT59S");
    assertThatThrownBy(() -> ManualScheduler.builder(clock).retention(Duration.ofDays(7), -1))
        .hasMessage("retention keepPerJob must be 0-1000000, was -1");
    assertThat(ManualScheduler.builder(clock).retention(Duration.ofDays(7), 10).build())
        .as("a store that cannot prune is fine: it is asked once")
        .isNotNull();
    assertThatThrownBy(() -> ManualScheduler.builder(clock).groupLimit("g", 0))
        .hasMessage("limit of group g must be 1-100000, was 0");
    ManualScheduler grouped =
        ManualScheduler.builder(clock)
            .groupLimit("g", 1)
            .store(dev.chime.spi.JobStore.inMemory(10))
            .build();
    grouped.register(TestJobs.HANDLER, recorder);
    grouped.schedule(TestJobs.once("g1", at(0)).group("g").build());
    assertThat(grouped.runDue()).isEqualTo(1);
    assertThat(new Recorder().count()).isZero();
  }

  @Test
  void aHistoryLimitBesideAGivenStoreIsRefused() {
    ManualScheduler.Builder both =
        ManualScheduler.builder(clock).historyLimit(5).store(dev.chime.spi.JobStore.inMemory(10));
    assertThatThrownBy(both::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("historyLimit is for the default store")
        .hasMessageContaining("JobStore.inMemory(limit)");
  }

  @Test
  void aRecorderRefusesANegativeFailureCount() {
    Recorder failing = new Recorder();
    assertThatThrownBy(() -> failing.failingFirst(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failingFirst count must not be negative, was -1");
    assertThat(failing.failingFirst(0)).isSameAs(failing);
  }
}
