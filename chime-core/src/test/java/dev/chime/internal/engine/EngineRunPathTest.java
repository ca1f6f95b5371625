package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.OverlapPolicy;
import dev.chime.Pipeline;
import dev.chime.PipelineRun;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerEvent;
import dev.chime.Trigger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How runs that no clock fires end, and who hears of it: a run now of a finished job, a pipeline
 * stage's skip, and an older occurrence's retry under replace with room for more than one run.
 */
class EngineRunPathTest {
  private final Harness h = new Harness();

  private JobInfo info(String id) {
    return h.engine.get(JobId.of(id)).orElseThrow();
  }

  /**
   * Every event heard, in order: a job's as change:state (with "no next" when it has no next fire
   * time), a run's as job#attempt:state.
   */
  private List<String> timeline() {
    return h.events.stream()
        .map(
            e ->
                switch (e) {
                  case SchedulerEvent.JobChanged j ->
                      j.change()
                          + ":"
                          + j.job().state()
                          + (j.job().nextFireAt() == null ? " no next" : "");
                  case SchedulerEvent.RunChanged r ->
                      r.run().jobId() + "#" + r.run().attempt() + ":" + r.run().state();
                  case SchedulerEvent.PipelineChanged p -> "pipeline:" + p.run().state();
                })
        .toList();
  }

  private List<String> jobChanges() {
    return timeline().stream().filter(e -> !e.contains("#") && !e.startsWith("pipeline")).toList();
  }

  /** A once job, finished after its one run at 0, with {@code attempts} attempts 10 s apart. */
  private void finishedOnceJob(int attempts) {
    finishedOnceJob("once", attempts);
  }

  private void finishedOnceJob(String id, int attempts) {
    h.engine.schedule(
        job(id, Trigger.once(h.at(0)))
            .retry(RetryPolicy.fixed(attempts, Duration.ofSeconds(10)))
            .build());
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(info(id).state()).isEqualTo(JobState.FINISHED);
    h.events.clear();
  }

  /**
   * A run now of a finished job is a manual run of it, retried by its policy like any other. While
   * its retry waits, the job is active with no next fire time (before, it showed finished with an
   * attempt still to come), so a pause holds the retry; it finishes again as the last attempt ends,
   * and the listeners hear both changes in order with the runs.
   */
  @Test
  void aRunNowOfAFinishedJobIsRetriedWithTheJobActiveUntilItsLastAttemptEnds() {
    finishedOnceJob(3);
    h.behaviour =
        ctx -> {
          if (ctx.attempt() < 3) {
            throw new IllegalStateException("boom " + ctx.attempt());
          }
        };
    h.clock.advance(Duration.ofMinutes(1));
    RunId manual = h.engine.runNow(JobId.of("once"));
    assertThat(info("once").state()).as("nothing is to come yet").isEqualTo(JobState.FINISHED);
    assertThat(h.engine.runDue()).isEqualTo(1);

    JobInfo waiting = info("once");
    assertThat(waiting.state()).isEqualTo(JobState.ACTIVE);
    assertThat(waiting.nextFireAt()).isNull();
    assertThat(waiting.runCount()).as("a run now is not counted").isEqualTo(1);
    assertThat(h.engine.pause(JobId.of("once"), "hold").state()).isEqualTo(JobState.PAUSED);
    assertThat(h.advanceAndRun(Duration.ofSeconds(30))).as("held by the pause").isZero();
    h.engine.resume(JobId.of("once"));
    assertThat(h.engine.runDue()).as("the held retry").isEqualTo(1);
    assertThat(info("once").state()).as("a third attempt is to come").isEqualTo(JobState.ACTIVE);
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);

    assertThat(info("once").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.runs("once"))
        .extracting(Run::scheduledFor, Run::attempt, Run::state)
        .containsExactly(
            tuple(h.at(0), 1, RunState.SUCCEEDED),
            tuple(h.at(60), 1, RunState.FAILED),
            tuple(h.at(60), 2, RunState.FAILED),
            tuple(h.at(60), 3, RunState.SUCCEEDED));
    assertThat(h.runs("once").get(1).id()).isEqualTo(manual);
    assertThat(timeline())
        .containsExactly(
            "once#1:CLAIMED",
            "once#1:RUNNING",
            "once#1:FAILED",
            "REOPENED:ACTIVE no next",
            "once#2:RETRYING",
            "PAUSED:PAUSED no next",
            "RESUMED:ACTIVE no next",
            "once#2:CLAIMED",
            "once#2:RUNNING",
            "once#2:FAILED",
            "once#3:RETRYING",
            "once#3:CLAIMED",
            "once#3:RUNNING",
            "once#3:SUCCEEDED",
            "FINISHED:FINISHED no next");
  }

  /** A run now of a finished job that succeeds, or fails with no retry left, leaves it finished. */
  @Test
  void aRunNowOfAFinishedJobWithNoRetryToComeLeavesItFinished() {
    finishedOnceJob("may-retry", 2);
    finishedOnceJob("single", 1);
    h.engine.runNow(JobId.of("may-retry"));
    assertThat(h.engine.runDue()).isEqualTo(1);
    h.behaviour =
        ctx -> {
          throw new IllegalStateException("boom");
        };
    h.engine.runNow(JobId.of("single"));
    assertThat(h.engine.runDue()).isEqualTo(1);

    assertThat(info("may-retry").state()).isEqualTo(JobState.FINISHED);
    assertThat(info("single").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.runs("may-retry")).extracting(Run::state).endsWith(RunState.SUCCEEDED);
    assertThat(h.runs("single")).extracting(Run::state).endsWith(RunState.FAILED);
    assertThat(jobChanges()).isEmpty();
  }

  /** A pipeline stage of a finished job is a run of it too: its retry reopens the job. */
  @Test
  void aPipelineStageOfAFinishedJobIsRetriedWithTheJobActive() {
    finishedOnceJob(2);
    h.behaviour =
        ctx -> {
          if (ctx.attempt() == 1) {
            throw new IllegalStateException("boom");
          }
        };
    h.engine.definePipeline(Pipeline.of("p", List.of(List.of(JobId.of("once")))));
    h.engine.runPipeline("p");
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(info("once").state()).isEqualTo(JobState.ACTIVE);
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(info("once").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.engine.pipelineRuns("p", 1).get(0).state()).isEqualTo(PipelineRun.State.SUCCEEDED);
    assertThat(jobChanges())
        .containsExactly("REOPENED:ACTIVE no next", "FINISHED:FINISHED no next");
  }

  /**
   * A pipeline stage's job skipped because it is paused is an ending of its occurrence, as every
   * other skip is: a dependent on success is skipped naming it, one on completion runs, one on
   * failure does not run for a skip (before, none of them heard of it).
   */
  @Test
  void aPipelineStageSkippedAsPausedIsAnEndingForItsDependents() {
    h.engine.schedule(job("x", Trigger.onEvent("never")).build());
    h.engine.schedule(job("on-success", Trigger.after(JobId.of("x"))).build());
    h.engine.schedule(
        job("on-completion", Trigger.after(JobId.of("x")).on(Trigger.After.Outcome.COMPLETION))
            .build());
    h.engine.schedule(
        job("on-failure", Trigger.after(JobId.of("x")).on(Trigger.After.Outcome.FAILURE)).build());
    h.engine.schedule(job("after-skip", Trigger.after(JobId.of("on-success"))).build());
    h.engine.pause(JobId.of("x"), "maintenance");
    h.engine.definePipeline(Pipeline.of("p", List.of(List.of(JobId.of("x")))));

    h.engine.runPipeline("p");
    assertThat(h.engine.runDue()).as("the dependent on completion").isEqualTo(1);

    assertThat(h.runs("x"))
        .extracting(Run::state, Run::reason)
        .containsExactly(tuple(RunState.SKIPPED, "paused: maintenance"));
    assertThat(h.runs("on-success"))
        .extracting(Run::state, Run::reason)
        .containsExactly(tuple(RunState.SKIPPED, "dependency x skipped"));
    assertThat(h.runs("after-skip"))
        .as("the dependent's skip reaches its own dependents")
        .extracting(Run::reason)
        .containsExactly("dependency on-success skipped");
    assertThat(h.runs("on-completion")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(h.runs("on-failure")).isEmpty();
    assertThat(h.engine.pipelineRuns("p", 1).get(0).state()).isEqualTo(PipelineRun.State.FAILED);
  }

  /** The same under pauseAll: a dependent that would run is paused too, and says so. */
  @Test
  void aPipelineStageSkippedByPauseAllIsAnEndingForItsDependents() {
    h.engine.schedule(job("x", Trigger.onEvent("never")).build());
    h.engine.schedule(
        job("on-completion", Trigger.after(JobId.of("x")).on(Trigger.After.Outcome.COMPLETION))
            .build());
    h.engine.definePipeline(Pipeline.of("p", List.of(List.of(JobId.of("x")))));
    h.engine.pauseAll("freeze");
    h.engine.runPipeline("p");
    assertThat(h.runs("on-completion"))
        .extracting(Run::state, Run::reason)
        .containsExactly(tuple(RunState.SKIPPED, "paused: freeze"));
  }

  /**
   * A job "sync" every minute from 60 s under replace with room for two runs, whose attempts are 10
   * s apart.
   */
  private void everyMinuteReplacingWithRoomForTwo(int attempts) {
    h.engine.schedule(
        job("sync", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .overlap(OverlapPolicy.replace(2))
            .retry(RetryPolicy.fixed(attempts, Duration.ofSeconds(10)))
            .build());
  }

  /**
   * Under replace with room for two runs, a newer occurrence that started (and here ended) while an
   * older one ran supersedes the retry the older one gets when it then fails: the retry is recorded
   * cancelled, "replaced by run N", and never runs (it ran 10 s later, after the newer one).
   */
  @Test
  void aNewerOccurrenceUnderReplaceOfTwoSupersedesTheRetryOfAnOlderOneThatFailsLater() {
    everyMinuteReplacingWithRoomForTwo(2);
    h.behaviour =
        ctx -> {
          if (ctx.scheduledFor().equals(h.at(60)) && ctx.attempt() == 1) {
            h.clock.advance(Duration.ofSeconds(60));
            assertThat(h.engine.runDue()).as("the newer occurrence, beside this one").isEqualTo(1);
            throw new IllegalStateException("the older occurrence fails after it");
          }
        };
    h.advanceAndRun(Duration.ofSeconds(60));
    assertThat(h.advanceAndRun(Duration.ofSeconds(50))).as("no retry at 130 s").isZero();

    Run newer =
        h.runs("sync").stream()
            .filter(r -> r.scheduledFor().equals(h.at(120)))
            .findFirst()
            .orElseThrow();
    assertThat(newer.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(h.runs("sync"))
        .filteredOn(r -> r.scheduledFor().equals(h.at(60)))
        .extracting(Run::attempt, Run::state, Run::reason, Run::startedAt)
        .containsExactly(
            tuple(1, RunState.FAILED, null, h.at(60)),
            tuple(2, RunState.CANCELLED, "replaced by run " + newer.id(), null));
    assertThat(h.calls).containsExactly("sync@" + h.at(60) + "#1", "sync@" + h.at(120) + "#1");
    assertThat(h.runEvents()).doesNotContain("sync:RETRYING");
  }

  /**
   * The same for a retry that was running when the newer occurrence came: its own retry, should it
   * fail, is superseded (it ran at 130 s, after the occurrence at 120 s).
   */
  @Test
  void underReplaceOfTwoANewerOccurrenceSupersedesTheNextRetryOfARunningRetry() {
    everyMinuteReplacingWithRoomForTwo(3);
    h.behaviour =
        ctx -> {
          if (!ctx.scheduledFor().equals(h.at(60))) {
            return;
          }
          if (ctx.attempt() == 2) {
            h.clock.advance(Duration.ofSeconds(50));
            assertThat(h.engine.runDue()).as("the occurrence at 120 s").isEqualTo(1);
          }
          throw new IllegalStateException("attempt " + ctx.attempt() + " fails");
        };
    h.advanceAndRun(Duration.ofSeconds(60));
    h.advanceAndRun(Duration.ofSeconds(10)); // attempt 2, at 70 s, runs past 120 s and fails
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).as("no third attempt at 130 s").isZero();
    assertThat(h.runs("sync"))
        .filteredOn(r -> r.scheduledFor().equals(h.at(60)))
        .extracting(Run::attempt, Run::state)
        .containsExactly(
            tuple(1, RunState.FAILED), tuple(2, RunState.FAILED), tuple(3, RunState.CANCELLED));
    assertThat(h.calls).doesNotContain("sync@" + h.at(60) + "#3");
  }
}
