package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Job;
import dev.chime.JobFailedException;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.MisfirePolicy;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerEvent;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's behaviour, one synchronous cycle at a time, on a clock moved by hand. */
class EngineManualTest {
  private final Harness h = new Harness();

  private JobInfo info(String id) {
    return h.engine.get(JobId.of(id)).orElseThrow();
  }

  @Test
  void aOnceJobRunsWhenDueAndNotBefore() {
    h.engine.schedule(job("once", Trigger.once(h.at(10))).build());
    assertThat(h.engine.runDue()).isZero();
    h.clock.advance(Duration.ofSeconds(9));
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);
    Run run = h.runs("once").get(0);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.scheduledFor()).isEqualTo(h.at(10));
    assertThat(run.lateness()).isZero();
    assertThat(info("once").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.advanceAndRun(Duration.ofHours(1))).isZero();
  }

  @Test
  void scheduleAllAddsTheJobsTogetherAndRefusesABadBatchWhole() {
    List<JobId> ids =
        h.engine.scheduleAll(
            List.of(
                job("x", Trigger.once(h.at(5))).build(), job("y", Trigger.once(h.at(6))).build()));
    assertThat(ids).containsExactly(JobId.of("x"), JobId.of("y"));
    assertThat(h.advanceAndRun(Duration.ofSeconds(6))).isEqualTo(2);

    assertThatThrownBy(
            () ->
                h.engine.scheduleAll(
                    List.of(
                        job("z", Trigger.once(h.at(60))).build(),
                        job("z", Trigger.once(h.at(61))).build())))
        .hasMessage("job z is given twice");
    assertThatThrownBy(
            () ->
                h.engine.scheduleAll(
                    List.of(
                        job("z", Trigger.once(h.at(60))).build(),
                        job("x", Trigger.once(h.at(61))).build())))
        .hasMessageContaining("already exist");
    assertThatThrownBy(
            () -> h.engine.scheduleAll(List.of(job("w", Trigger.after(JobId.of("x"))).build())))
        .hasMessageContaining("schedule such jobs one at a time");
    assertThatThrownBy(
            () ->
                h.engine.scheduleAll(
                    List.of(
                        Job.builder("v").handler("nobody").trigger(Trigger.once(h.at(9))).build())))
        .hasMessageContaining("no handler named 'nobody'");
    assertThat(h.engine.get(JobId.of("z"))).isEmpty();
  }

  @Test
  void aOnceJobInThePastRunsAsACatchUp() {
    h.engine.schedule(job("past", Trigger.once(h.at(-30))).build());
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.runs("past").get(0).scheduledFor()).isEqualTo(h.at(-30));
  }

  @Test
  void aFixedRateIntervalFiresOnItsGrid() {
    h.engine.schedule(
        job("rate", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    for (int i = 0; i < 3; i++) {
      h.behaviour = ctx -> h.clock.advance(Duration.ofSeconds(7));
      h.advanceAndRun(Duration.ofSeconds(60 - (i == 0 ? 0 : 7)));
    }
    assertThat(h.runs("rate"))
        .extracting(Run::scheduledFor)
        .containsExactly(h.at(60), h.at(120), h.at(180));
  }

  @Test
  void aFixedDelayIntervalWaitsAfterEachRunEnds() {
    h.engine.schedule(
        job("delay", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)).fixedDelay())
            .build());
    h.behaviour = ctx -> h.clock.advance(Duration.ofSeconds(20));
    h.advanceAndRun(Duration.ofSeconds(60));
    assertThat(info("delay").nextFireAt()).isEqualTo(h.at(140));
    assertThat(h.advanceAndRun(Duration.ofSeconds(59))).isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(h.runs("delay")).extracting(Run::scheduledFor).containsExactly(h.at(60), h.at(140));
  }

  @Test
  void cronJobsFireInTheirZone() {
    h.engine.schedule(job("cron", Trigger.cron("30 2 * * *", ZoneId.of("Asia/Tokyo"))).build());
    assertThat(info("cron").nextFireAt())
        .isEqualTo(java.time.Instant.parse("2026-03-01T17:30:00Z"));
    assertThat(h.advanceAndRun(Duration.ofHours(18))).isEqualTo(1);
  }

  @Test
  void runOnceCatchesUpWithOneRunAndRecordsTheRestAsSkipped() {
    h.engine.schedule(
        job("m", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.runOnce(Duration.ofMinutes(1)))
            .build());
    h.clock.advance(Duration.ofMinutes(10));
    h.engine.runDue();
    List<Run> runs = h.runs("m");
    assertThat(runs.stream().filter(r -> r.state() == RunState.SUCCEEDED).map(Run::scheduledFor))
        .containsExactly(h.at(8 * 60), h.at(9 * 60), h.at(10 * 60));
    assertThat(runs.stream().filter(r -> r.state() == RunState.SKIPPED))
        .hasSize(7)
        .allSatisfy(r -> assertThat(r.reason()).contains("misfire").contains("one catch-up run"));
  }

  @Test
  void aCatchUpAfterTheEndTimeRunsTheLastOccurrenceBeforeTheEnd() {
    h.engine.schedule(
        job("ended", Trigger.every(Duration.ofSeconds(10)).startingAt(h.at(10)))
            .endAt(h.at(35))
            .misfire(MisfirePolicy.runOnce(Duration.ofSeconds(1)))
            .build());
    h.engine.schedule(
        job("ended-skip", Trigger.every(Duration.ofSeconds(10)).startingAt(h.at(10)))
            .endAt(h.at(35))
            .misfire(MisfirePolicy.skip(Duration.ZERO))
            .build());
    assertThat(h.advanceAndRun(Duration.ofSeconds(100))).as("the catch-up of 'ended'").isEqualTo(1);
    List<Run> runs = h.runs("ended");
    assertThat(runs)
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .extracting(Run::scheduledFor)
        .containsExactly(h.at(30));
    assertThat(runs)
        .filteredOn(r -> r.state() == RunState.SKIPPED)
        .extracting(Run::scheduledFor)
        .containsExactly(h.at(10), h.at(20));
    assertThat(runs)
        .filteredOn(r -> r.state() == RunState.SKIPPED)
        .allSatisfy(r -> assertThat(r.reason()).endsWith("one catch-up run for " + h.at(30)));
    assertThat(info("ended").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.runs("ended-skip"))
        .as("no occurrence after the end is recorded")
        .extracting(Run::scheduledFor)
        .containsExactly(h.at(10), h.at(20), h.at(30));
    assertThat(info("ended-skip").state()).isEqualTo(JobState.FINISHED);
  }

  @Test
  void skipRecordsEveryLateOccurrenceAndRunsNone() {
    h.engine.schedule(
        job("s", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.skip(Duration.ZERO))
            .build());
    h.clock.advance(Duration.ofSeconds(5 * 60 + 30));
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.runs("s")).hasSize(5).allMatch(r -> r.state() == RunState.SKIPPED);
    assertThat(info("s").nextFireAt()).isEqualTo(h.at(6 * 60));
  }

  @Test
  void runAllReplaysUpToTheCapOldestFirst() {
    h.engine.schedule(
        job("all", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.runAll(Duration.ZERO, 3))
            .build());
    h.clock.advance(Duration.ofSeconds(5 * 60 + 30));
    assertThat(h.engine.runDue()).isEqualTo(3);
    List<Run> runs = h.runs("all");
    assertThat(runs.stream().filter(r -> r.state() == RunState.SUCCEEDED).map(Run::scheduledFor))
        .containsExactly(h.at(60), h.at(120), h.at(180));
    assertThat(runs.stream().filter(r -> r.state() == RunState.SKIPPED))
        .extracting(Run::reason)
        .hasSize(2)
        .allMatch(reason -> reason.contains("cap of 3"));
  }

  @Test
  void runOnceAfterAHugeBacklogCatchesUpTheNewestMissedOccurrence() {
    h.engine.schedule(
        job("behind", Trigger.every(Duration.ofSeconds(1)).startingAt(h.at(1)))
            .misfire(MisfirePolicy.runOnce(Duration.ofSeconds(1)))
            .build());
    h.engine.schedule(
        job("behind-cron", Trigger.cron("*/7 * * * * *", ZoneId.of("Europe/Berlin")))
            .endAt(h.at(2 * 3600 - 100))
            .misfire(MisfirePolicy.runOnce(Duration.ofSeconds(1)))
            .build());
    h.clock.advance(Duration.ofHours(2));
    h.engine.runDue();
    assertThat(h.runs("behind"))
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .extracting(Run::scheduledFor)
        .as("the catch-up is for the newest missed second; 01:59:59 finds it running")
        .containsExactly(h.at(7198), h.at(7200));
    assertThat(h.runs("behind"))
        .filteredOn(r -> r.state() == RunState.SKIPPED && r.reason().startsWith("misfire"))
        .as("the occurrences the walk lists (records and the cap of one), and the rest in one")
        .hasSize(Engine.CATCH_UP_RECORDS + 2)
        .allSatisfy(r -> assertThat(r.reason()).endsWith("one catch-up run for " + h.at(7198)))
        .anyMatch(r -> r.reason().contains("too many to list"));
    // every 7 s of the minute, the end at 01:58:20: the last occurrence before it is 01:58:14
    assertThat(h.runs("behind-cron"))
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .extracting(Run::scheduledFor)
        .containsExactly(h.at(2 * 3600 - 106));
    assertThat(info("behind-cron").state()).isEqualTo(JobState.FINISHED);
  }

  @Test
  void runOnceOfAFixedDelayJobCatchesUpItsOneRealOccurrence() {
    h.engine.schedule(
        job("fd", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)).fixedDelay())
            .misfire(MisfirePolicy.runOnce(Duration.ofSeconds(1)))
            .build());
    h.clock.advance(Duration.ofHours(1));
    h.engine.runDue();
    assertThat(h.runs("fd"))
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .extracting(Run::scheduledFor)
        .containsExactly(h.at(60));
    assertThat(h.runs("fd")).noneMatch(r -> r.state() == RunState.SKIPPED);
  }

  /** An all trigger cannot be bisected: the catch-up walks it, as the on-time walk would go. */
  @Test
  void runOnceAfterAHugeBacklogOfAnAllTriggerCatchesUpAnOccurrenceOfIts() {
    h.engine.schedule(
        job(
                "both",
                Trigger.all(
                    Trigger.every(Duration.ofSeconds(10)).startingAt(h.at(0)),
                    Trigger.every(Duration.ofSeconds(7)).startingAt(h.at(0))))
            .misfire(MisfirePolicy.runOnce(Duration.ofSeconds(1)))
            .build());
    h.clock.advance(Duration.ofSeconds(11_013));
    h.engine.runDue();
    assertThat(h.runs("both"))
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .first()
        .satisfies(r -> assertThat(r.scheduledFor()).isEqualTo(h.at(11_010)));

    // too far to walk: the trigger's own next before the limit, not the point the walk gave up
    h.engine.schedule(
        job(
                "far",
                Trigger.all(
                    Trigger.every(Duration.ofSeconds(1)).startingAt(h.clock.instant()),
                    Trigger.every(Duration.ofSeconds(1)).startingAt(h.clock.instant())))
            .misfire(MisfirePolicy.runOnce(Duration.ofSeconds(1)))
            .build());
    Instant start = h.clock.instant();
    h.clock.advance(Duration.ofDays(30));
    h.engine.runDue();
    assertThat(h.runs("far"))
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .first()
        .satisfies(
            r ->
                assertThat(r.scheduledFor())
                    .isEqualTo(start.plus(Duration.ofDays(30)).minusSeconds(2)));
  }

  @Test
  void aHugeBacklogIsSummarisedAfterAThousandRecords() {
    h.engine.schedule(
        job("busy", Trigger.every(Duration.ofSeconds(1)).startingAt(h.at(1)))
            .misfire(MisfirePolicy.skip(Duration.ZERO))
            .build());
    h.engine.schedule(job("after-busy", Trigger.after(JobId.of("busy"))).build());
    h.clock.advance(Duration.ofHours(2));
    assertThat(h.engine.runDue())
        .as("02:00:00 itself is on time and runs, then its dependent")
        .isEqualTo(2);
    assertThat(h.runs("after-busy"))
        .as("one ending per skipped record, the summary included, then the run's")
        .hasSize(Engine.CATCH_UP_RECORDS + 2)
        .filteredOn(r -> r.state() == RunState.SKIPPED)
        .hasSize(Engine.CATCH_UP_RECORDS + 1);
    List<Run> runs = h.runs("busy");
    assertThat(runs)
        .filteredOn(r -> r.state() == RunState.SKIPPED)
        .hasSize(Engine.CATCH_UP_RECORDS + 1)
        .anyMatch(r -> r.reason().contains("too many to list"));
    assertThat(runs)
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .extracting(Run::scheduledFor)
        .containsExactly(h.clock.instant());
    assertThat(info("busy").nextFireAt()).isEqualTo(h.clock.instant().plusSeconds(1));
  }

  @Test
  void overlapSkipRecordsTheRunThatFoundOneRunning() {
    h.engine.schedule(job("o", Trigger.once(h.at(3600))).build());
    RunId[] inner = new RunId[1];
    h.behaviour =
        ctx -> {
          if (ctx.attempt() == 1 && inner[0] == null) {
            inner[0] = h.engine.runNow(JobId.of("o"));
          }
        };
    h.engine.runNow(JobId.of("o"));
    h.engine.runDue();
    assertThat(h.engine.run(inner[0]).orElseThrow().state()).isEqualTo(RunState.SKIPPED);
    assertThat(h.engine.run(inner[0]).orElseThrow().reason()).contains("overlap");
  }

  @Test
  void overlapQueueBuffersUpToItsLimit() {
    h.engine.schedule(
        job("q", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.queue(1, 1)).build());
    RunId[] inner = new RunId[2];
    h.behaviour =
        ctx -> {
          if (inner[0] == null) {
            inner[0] = h.engine.runNow(JobId.of("q"));
            inner[1] = h.engine.runNow(JobId.of("q"));
          }
        };
    h.engine.runNow(JobId.of("q"));
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.engine.run(inner[0]).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(h.engine.run(inner[1]).orElseThrow().reason()).contains("already queued");
  }

  @Test
  void overlapReplaceCancelsTheRunningOne() {
    h.engine.schedule(
        job("r", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.replace(1)).build());
    boolean[] sawCancel = new boolean[1];
    RunId[] replacement = new RunId[1];
    h.behaviour =
        ctx -> {
          if (replacement[0] == null) {
            replacement[0] = h.engine.runNow(JobId.of("r"));
            sawCancel[0] = ctx.isCancelled();
          }
        };
    RunId first = h.engine.runNow(JobId.of("r"));
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(sawCancel[0]).isTrue();
    Run replaced = h.engine.run(first).orElseThrow();
    assertThat(replaced.state()).isEqualTo(RunState.CANCELLED);
    assertThat(replaced.reason()).isEqualTo("replaced by run " + replacement[0]);
    assertThat(h.engine.run(replacement[0]).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void replacingARunThatHadNotStartedStartsTheNewOneAtOnce() {
    h.engine.schedule(
        job("r2", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.replace(1)).build());
    RunId first = h.engine.runNow(JobId.of("r2"));
    RunId second = h.engine.runNow(JobId.of("r2"));
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.engine.run(first).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
    assertThat(h.engine.run(second).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  /**
   * A run that replaced one that had not started is itself replaced by the next one: the job's runs
   * were dropped from the engine's table as the replaced one left it, the replacement went into the
   * dropped ones, and the third run found none and ran beside the second.
   */
  @Test
  void aReplacementOfAnUnstartedRunIsItselfReplacedByTheNextOne() {
    h.engine.schedule(
        job("r4", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.replace(1)).build());
    RunId first = h.engine.runNow(JobId.of("r4"));
    RunId second = h.engine.runNow(JobId.of("r4"));
    RunId third = h.engine.runNow(JobId.of("r4"));
    assertThat(h.engine.runDue()).as("only the newest runs").isEqualTo(1);
    assertThat(h.engine.run(first).orElseThrow().reason()).isEqualTo("replaced by run " + second);
    Run replaced = h.engine.run(second).orElseThrow();
    assertThat(replaced.state()).isEqualTo(RunState.CANCELLED);
    assertThat(replaced.reason()).isEqualTo("replaced by run " + third);
    assertThat(h.engine.run(third).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aReplacementWaitingForARunThatIgnoresItsCancelIsItselfReplacedByANewerOne() {
    h.engine.schedule(
        job("r3", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.replace(1)).build());
    RunId[] later = new RunId[2];
    h.behaviour =
        ctx -> {
          if (later[0] == null) { // the first run goes on past both replacements: it ignores them
            later[0] = h.engine.runNow(JobId.of("r3"));
            later[1] = h.engine.runNow(JobId.of("r3"));
          }
        };
    RunId first = h.engine.runNow(JobId.of("r3"));
    assertThat(h.engine.runDue()).as("the first run and the newest replacement").isEqualTo(2);
    assertThat(h.engine.run(first).orElseThrow().reason()).isEqualTo("replaced by run " + later[0]);
    Run superseded = h.engine.run(later[0]).orElseThrow();
    assertThat(superseded.state()).isEqualTo(RunState.CANCELLED);
    assertThat(superseded.reason()).isEqualTo("replaced by run " + later[1]);
    assertThat(superseded.startedAt()).isNull();
    assertThat(h.engine.run(later[1]).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  /**
   * Under replace, a new occurrence supersedes an older one's retry that waits out its backoff: the
   * retry is recorded as cancelled, "replaced by run N", and never runs after the newer occurrence
   * (it did, at 150 s, after the occurrence at 120 s had run).
   */
  @Test
  void aNewRunUnderReplaceSupersedesAnOlderOccurrencesRetryWaitingForItsBackoff() {
    h.engine.schedule(
        job("sync", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .overlap(dev.chime.OverlapPolicy.replace(1))
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ofSeconds(90)))
            .build());
    h.behaviour =
        ctx -> {
          if (ctx.scheduledFor().equals(h.at(60))) {
            throw new IllegalStateException("the first occurrence fails");
          }
        };
    h.advanceAndRun(Duration.ofSeconds(60));
    Run waiting = h.runs("sync").get(1);
    assertThat(waiting.state()).isEqualTo(RunState.RETRYING);

    h.advanceAndRun(Duration.ofSeconds(60));
    h.advanceAndRun(Duration.ofSeconds(30)); // the retry was due at 150 s
    Run newer =
        h.runs("sync").stream()
            .filter(r -> r.scheduledFor().equals(h.at(120)))
            .findFirst()
            .orElseThrow();
    assertThat(h.engine.run(waiting.id()).orElseThrow())
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(RunState.CANCELLED);
              assertThat(r.attempt()).isEqualTo(2);
              assertThat(r.reason()).isEqualTo("replaced by run " + newer.id());
              assertThat(r.startedAt()).isNull();
            });
    assertThat(h.calls).containsExactly("sync@" + h.at(60) + "#1", "sync@" + h.at(120) + "#1");
  }

  /**
   * Under replace, a new run cancels the running one and supersedes an older occurrence's retry
   * queued behind it, which would have run after the new run (it did). (A forced run now runs here:
   * it ignores the overlap policy, so it supersedes nothing, and the retry that falls due while it
   * runs waits for its turn.)
   */
  @Test
  void aNewRunUnderReplaceSupersedesARetryQueuedBehindTheRunItReplaces() {
    h.engine.schedule(
        job("sync", Trigger.once(h.at(0)))
            .overlap(dev.chime.OverlapPolicy.replace(1))
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ofSeconds(10)))
            .build());
    RunId[] replacement = new RunId[1];
    h.behaviour =
        ctx -> {
          if (ctx.scheduledFor().equals(h.at(0)) && ctx.attempt() == 1) {
            throw new IllegalStateException("the occurrence fails");
          }
          if (replacement[0] == null) { // a run now, running as the retry falls due
            h.clock.advance(Duration.ofSeconds(10));
            h.engine.cycleOnce(); // the retry is due: it waits for this run to end
            replacement[0] = h.engine.runNow(JobId.of("sync"));
          }
        };
    h.engine.runDue();
    h.clock.advance(Duration.ofSeconds(1));
    RunId running = h.engine.runNow(JobId.of("sync"), true);
    h.engine.runDue();

    Run retry = h.runs("sync").stream().filter(r -> r.attempt() == 2).findFirst().orElseThrow();
    assertThat(retry.state()).isEqualTo(RunState.CANCELLED);
    assertThat(retry.reason()).isEqualTo("replaced by run " + replacement[0]);
    assertThat(retry.startedAt()).isNull();
    assertThat(h.engine.run(running).orElseThrow().reason())
        .isEqualTo("replaced by run " + replacement[0]);
    assertThat(h.engine.run(replacement[0]).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(h.calls).doesNotContain("sync@" + h.at(0) + "#2");
  }

  @Test
  void maxConcurrentTwoAdmitsTwoRunsAndSkipsOrReplacesTheThird() {
    h.engine.schedule(
        job("two", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.skip(2)).build());
    RunId a = h.engine.runNow(JobId.of("two"));
    RunId b = h.engine.runNow(JobId.of("two"));
    RunId c = h.engine.runNow(JobId.of("two"));
    assertThat(h.engine.run(c).orElseThrow().state()).isEqualTo(RunState.SKIPPED);
    assertThat(h.engine.run(c).orElseThrow().reason())
        .isEqualTo("overlap: 2 run(s) of the job still running");
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.engine.run(a).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(h.engine.run(b).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    RunId d = h.engine.runNow(JobId.of("two")); // both places are free again
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.engine.run(d).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);

    h.engine.schedule(
        job("swap", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.replace(2)).build());
    RunId first = h.engine.runNow(JobId.of("swap"));
    RunId second = h.engine.runNow(JobId.of("swap"));
    RunId third = h.engine.runNow(JobId.of("swap"));
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.engine.run(first).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
    assertThat(h.engine.run(first).orElseThrow().reason()).isEqualTo("replaced by run " + third);
    assertThat(h.engine.run(second).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(h.engine.run(third).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void theDispatcherClaimsNoMoreThanTheWorkersCanSoonStart() {
    int jobs = 5_000;
    for (int i = 0; i < jobs; i++) {
      h.engine.schedule(job("b" + i, Trigger.once(h.at(1))).build());
    }
    int[] firedBeforeTheFirstRun = {-1};
    java.util.Set<String> ran = new java.util.HashSet<>();
    java.util.List<String> twice = new java.util.ArrayList<>();
    h.behaviour =
        ctx -> {
          if (firedBeforeTheFirstRun[0] < 0) {
            firedBeforeTheFirstRun[0] =
                h.engine.list(new JobQuery(JobState.FINISHED, null, null)).size();
          }
          if (!ran.add(ctx.jobId().value())) {
            twice.add(ctx.jobId().value());
          }
        };
    h.clock.advance(Duration.ofSeconds(1));
    assertThat(h.engine.runDue()).isEqualTo(jobs);
    // A claimed one-shot job finishes as it fires: at the first run, the dispatcher had stopped
    // claiming at READY_HIGH ready runs (without the hold, one cycle claimed 8 batches: 4,096).
    assertThat(firedBeforeTheFirstRun[0])
        .isBetween(Engine.READY_HIGH, Engine.READY_HIGH + Engine.CLAIM_BATCH - 1);
    assertThat(ran).hasSize(jobs);
    assertThat(twice).isEmpty();
  }

  @Test
  void aForcedRunIgnoresTheOverlapPolicy() {
    h.engine.schedule(job("f", Trigger.once(h.at(3600))).build());
    RunId[] inner = new RunId[1];
    h.behaviour =
        ctx -> {
          if (inner[0] == null) {
            inner[0] = h.engine.runNow(JobId.of("f"), true);
          }
        };
    h.engine.runNow(JobId.of("f"));
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.engine.run(inner[0]).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void retriesWaitTheirBackoffAndEveryAttemptIsRecorded() {
    h.engine.schedule(
        job("retry", Trigger.once(h.at(0)))
            .retry(
                dev.chime.RetryPolicy.exponential(3, Duration.ofSeconds(10), Duration.ofMinutes(1)))
            .build());
    h.behaviour = FAIL_TWICE;
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.advanceAndRun(Duration.ofSeconds(9))).isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(h.advanceAndRun(Duration.ofSeconds(19))).isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);
    List<Run> runs = h.runs("retry");
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 2, 3);
    assertThat(runs)
        .extracting(Run::state)
        .containsExactly(RunState.FAILED, RunState.FAILED, RunState.SUCCEEDED);
    assertThat(runs.get(0).error()).isEqualTo("java.lang.IllegalStateException: boom 1");
    assertThat(runs).allMatch(r -> r.scheduledFor().equals(h.at(0)));
    assertThat(h.runEvents()).contains("retry:RETRYING");
  }

  @Test
  void aJobFailedExceptionIsRecordedByItsMessageAloneAndOtherFailuresWithTheirClass() {
    h.engine.schedule(job("said", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("thrown", Trigger.once(h.at(0))).build());
    h.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("said")) {
            throw new JobFailedException("disk full");
          }
          throw new java.io.IOException("disk full");
        };
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.runs("said")).extracting(Run::state).containsExactly(RunState.FAILED);
    assertThat(h.runs("said").get(0).error()).isEqualTo("disk full");
    assertThat(h.runs("thrown").get(0).error()).isEqualTo("java.io.IOException: disk full");
    assertThat(new JobFailedException("x").getStackTrace()).isEmpty();
    for (String blank : new String[] {null, " "}) {
      assertThatThrownBy(() -> new JobFailedException(blank))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a job failure needs a message that says what went wrong");
    }
  }

  @Test
  void abortOnStopsRetrying() {
    h.engine.schedule(
        job("abort", Trigger.once(h.at(0)))
            .retry(
                dev.chime.RetryPolicy.fixed(5, Duration.ofSeconds(1))
                    .abortOn(java.util.Set.of(IllegalArgumentException.class)))
            .build());
    h.behaviour =
        ctx -> {
          throw new IllegalArgumentException("bad input");
        };
    h.engine.runDue();
    h.advanceAndRun(Duration.ofMinutes(1));
    assertThat(h.runs("abort"))
        .hasSize(1)
        .first()
        .extracting(Run::state)
        .isEqualTo(RunState.FAILED);
  }

  @Test
  void aRunPastItsTimeoutIsTimedOutAndThenRetried() {
    h.engine.schedule(
        job("slow", Trigger.once(h.at(0)))
            .timeout(Duration.ofSeconds(30))
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ZERO))
            .build());
    boolean[] cancelSeen = new boolean[2];
    h.behaviour =
        ctx -> {
          if (ctx.attempt() == 1) {
            h.clock.advance(Duration.ofSeconds(31));
            cancelSeen[0] = ctx.isCancelled();
          } else {
            cancelSeen[1] = ctx.isCancelled();
          }
        };
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(cancelSeen).containsExactly(true, false);
    assertThat(h.runs("slow"))
        .extracting(Run::state)
        .containsExactly(RunState.TIMED_OUT, RunState.SUCCEEDED);
    assertThat(h.runs("slow").get(0).reason()).contains("timeout PT30S");
  }

  /** retryOn and abortOn see a timeout as a TimeoutException, whatever the handler threw. */
  @Test
  void retryOnAndAbortOnNameATimeoutAsTimeoutException() {
    dev.chime.RetryPolicy twice = dev.chime.RetryPolicy.fixed(2, Duration.ZERO);
    h.engine.schedule(
        job("timeouts-retry", Trigger.once(h.at(0)))
            .timeout(Duration.ofSeconds(30))
            .retry(twice.retryOn(java.util.Set.of(java.util.concurrent.TimeoutException.class)))
            .build());
    h.engine.schedule(
        job("timeouts-abort", Trigger.once(h.at(0)))
            .timeout(Duration.ofSeconds(30))
            .retry(twice.abortOn(java.util.Set.of(java.util.concurrent.TimeoutException.class)))
            .build());
    h.behaviour =
        ctx -> {
          if (ctx.attempt() == 1) {
            h.clock.advance(Duration.ofSeconds(31));
            throw new IllegalStateException("interrupted", new InterruptedException());
          }
        };
    h.engine.runDue();
    assertThat(h.runs("timeouts-retry"))
        .extracting(Run::state)
        .containsExactly(RunState.TIMED_OUT, RunState.SUCCEEDED);
    assertThat(h.runs("timeouts-abort")).extracting(Run::state).containsExactly(RunState.TIMED_OUT);
  }

  @Test
  void readyRunsStartInPriorityOrder() {
    for (int p : new int[] {1, 9, 5}) {
      h.engine.schedule(job("p" + p, Trigger.once(h.at(5))).priority(p).build());
    }
    h.advanceAndRun(Duration.ofSeconds(5));
    assertThat(h.calls).extracting(c -> c.substring(0, 2)).containsExactly("p9", "p5", "p1");
  }

  @Test
  void scheduleAndGetReturnsTheJobAsAReadReturnsIt() {
    JobInfo active =
        h.engine.scheduleAndGet(
            job("minutely", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    assertThat(active.state()).isEqualTo(JobState.ACTIVE);
    assertThat(active.nextFireAt()).isEqualTo(h.at(60));
    assertThat(active).isEqualTo(info("minutely"));

    JobInfo ended =
        h.engine.scheduleAndGet(
            job("ended", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
                .endAt(h.at(30))
                .build());
    assertThat(ended.state())
        .as("a job that will never fire is finished as it is added")
        .isEqualTo(JobState.FINISHED);
    assertThat(ended).isEqualTo(info("ended"));
  }

  @Test
  void maxRunsFinishesTheJob() {
    h.engine.schedule(
        job("three", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).maxRuns(3).build());
    for (int i = 0; i < 5; i++) {
      h.advanceAndRun(Duration.ofMinutes(1));
    }
    assertThat(h.runs("three")).hasSize(3);
    assertThat(info("three").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.events)
        .anyMatch(
            e ->
                e instanceof SchedulerEvent.JobChanged j
                    && j.change() == SchedulerEvent.Change.FINISHED);
  }

  /**
   * An occurrence the overlap policy skips never ran, so it is not one of the max runs: the job
   * runs three times (it finished after two, the skipped one counted as the third).
   */
  @Test
  void maxRunsCountsOnlyTheRunsTheOverlapPolicyLetsRun() {
    h.engine.schedule(
        job("three", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).maxRuns(3).build());
    h.clock.advance(Duration.ofSeconds(59));
    h.engine.runNow(JobId.of("three")); // still waiting to start when the occurrence at 60 fires
    h.advanceAndRun(Duration.ofSeconds(1));
    assertThat(info("three").runCount()).as("a run now is not counted, nor the skip").isZero();
    for (int i = 0; i < 5; i++) {
      h.advanceAndRun(Duration.ofMinutes(1));
    }
    assertThat(h.runs("three"))
        .filteredOn(r -> !r.scheduledFor().equals(h.at(59)))
        .extracting(Run::scheduledFor, Run::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(h.at(60), RunState.SKIPPED),
            org.assertj.core.groups.Tuple.tuple(h.at(120), RunState.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple(h.at(180), RunState.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple(h.at(240), RunState.SUCCEEDED));
    assertThat(info("three").state()).isEqualTo(JobState.FINISHED);
    assertThat(info("three").runCount()).isEqualTo(3);
  }

  @Test
  void endAtFinishesTheJob() {
    h.engine.schedule(
        job("until", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .endAt(h.at(150))
            .build());
    for (int i = 0; i < 4; i++) {
      h.advanceAndRun(Duration.ofMinutes(1));
    }
    assertThat(h.runs("until")).extracting(Run::scheduledFor).containsExactly(h.at(60), h.at(120));
    assertThat(info("until").state()).isEqualTo(JobState.FINISHED);
  }

  @Test
  void aPausedJobDoesNotFireAndCatchesUpByItsMisfirePolicyOnResume() {
    h.engine.schedule(
        job("p", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.skip(Duration.ofSeconds(10)))
            .build());
    JobInfo paused = h.engine.pause(JobId.of("p"), "maintenance window");
    assertThat(paused.state()).isEqualTo(JobState.PAUSED);
    assertThat(paused.note()).isEqualTo("maintenance window");
    assertThat(h.advanceAndRun(Duration.ofSeconds(3 * 60 + 30))).isZero();
    h.engine.resume(JobId.of("p"));
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.runs("p"))
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.reason()).contains("while the job was paused"));
    assertThat(h.advanceAndRun(Duration.ofSeconds(30))).isEqualTo(1);
  }

  /**
   * Pausing a paused job with a new note gives it that note (stored, in a new version, with one
   * paused event); the same note again, or none, changes nothing and says nothing.
   */
  @Test
  void aPausedJobPausedAgainWithANewNoteTakesIt() {
    h.engine.schedule(job("again", Trigger.onEvent("ping")).build());
    JobId id = JobId.of("again");
    JobInfo first = h.engine.pause(id, "disk swap");

    JobInfo again = h.engine.pause(id, "disk swap, then a restore");

    assertThat(again.state()).isEqualTo(JobState.PAUSED);
    assertThat(again.note()).isEqualTo("disk swap, then a restore");
    assertThat(again.version()).isGreaterThan(first.version());
    assertThat(info("again").note()).as("stored").isEqualTo("disk swap, then a restore");
    assertThat(h.engine.publish("ping", null))
        .extracting(Run::reason)
        .containsExactly("paused: disk swap, then a restore");

    assertThat(h.engine.pause(id, "disk swap, then a restore").version())
        .isEqualTo(again.version());
    assertThat(h.engine.pause(id, null).note()).isEqualTo("disk swap, then a restore");
    assertThat(info("again").version()).isEqualTo(again.version());
    assertThat(
            h.events.stream()
                .filter(
                    e ->
                        e instanceof SchedulerEvent.JobChanged j
                            && j.change() == SchedulerEvent.Change.PAUSED)
                .map(e -> ((SchedulerEvent.JobChanged) e).job().note()))
        .containsExactly("disk swap", "disk swap, then a restore");

    JobInfo resumed = h.engine.resume(id);
    assertThat(resumed.state()).isEqualTo(JobState.ACTIVE);
    assertThat(resumed.note()).isNull();
  }

  /** Fails the first two attempts ("boom 1", "boom 2"), then succeeds. */
  private static final dev.chime.JobHandler FAIL_TWICE =
      ctx -> {
        if (ctx.attempt() < 3) {
          throw new IllegalStateException("boom " + ctx.attempt());
        }
      };

  /**
   * An hourly job "r" with {@code attempts} attempts 10 s apart whose first two attempts fail: its
   * first run fails, then it is paused.
   */
  private void failOncePauseAndRetryIn10s(int attempts) {
    h.engine.schedule(
        job("r", Trigger.every(Duration.ofHours(1)).startingAt(h.at(0)))
            .retry(dev.chime.RetryPolicy.fixed(attempts, Duration.ofSeconds(10)))
            .build());
    h.behaviour = FAIL_TWICE;
    assertThat(h.engine.runDue()).isEqualTo(1);
    h.engine.pause(JobId.of("r"), "hold");
  }

  @Test
  void aRetryDueWhileItsJobIsPausedWaitsForTheResume() {
    failOncePauseAndRetryIn10s(3);
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).as("due, but paused").isZero();
    assertThat(h.advanceAndRun(Duration.ofMinutes(5))).as("still paused").isZero();
    assertThat(h.runs("r"))
        .extracting(Run::attempt, Run::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, RunState.FAILED),
            org.assertj.core.groups.Tuple.tuple(2, RunState.RETRYING));
    h.engine.resume(JobId.of("r"));
    assertThat(h.engine.runDue()).as("the held retry, at once").isEqualTo(1);
    assertThat(h.calls).containsExactly("r@" + h.at(0) + "#1", "r@" + h.at(0) + "#2");
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).as("the third attempt").isEqualTo(1);
    assertThat(h.runs("r"))
        .extracting(Run::state)
        .containsExactly(RunState.FAILED, RunState.FAILED, RunState.SUCCEEDED);
  }

  /**
   * A once job whose run failed and waits for its retry is not finished: it is active, with no next
   * fire time, until its last attempt ends; pausing it holds the retry until the resume.
   */
  @Test
  void aOnceJobWaitingForItsRetryIsActiveAndAPauseHoldsTheRetry() {
    h.engine.schedule(
        job("once", Trigger.once(h.at(0)))
            .retry(dev.chime.RetryPolicy.fixed(3, Duration.ofSeconds(10)))
            .build());
    h.behaviour = FAIL_TWICE;
    assertThat(h.engine.runDue()).isEqualTo(1);
    JobInfo waiting = info("once");
    assertThat(waiting.state()).isEqualTo(JobState.ACTIVE);
    assertThat(waiting.nextFireAt()).isNull();
    assertThat(waiting.runCount()).isEqualTo(1);

    JobInfo paused = h.engine.pause(JobId.of("once"), "fixing the database");
    assertThat(paused.state()).isEqualTo(JobState.PAUSED);
    assertThat(paused.note()).isEqualTo("fixing the database");
    assertThat(h.advanceAndRun(Duration.ofSeconds(30))).as("held by the pause").isZero();
    assertThat(h.runs("once")).extracting(Run::state).endsWith(RunState.RETRYING);

    assertThat(h.engine.resume(JobId.of("once")).state()).isEqualTo(JobState.ACTIVE);
    assertThat(h.engine.runDue()).as("the held retry, at once").isEqualTo(1);
    assertThat(info("once").state()).as("a third attempt is to come").isEqualTo(JobState.ACTIVE);
    h.events.clear();
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(h.runs("once"))
        .extracting(Run::attempt, Run::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, RunState.FAILED),
            org.assertj.core.groups.Tuple.tuple(2, RunState.FAILED),
            org.assertj.core.groups.Tuple.tuple(3, RunState.SUCCEEDED));
    assertThat(info("once").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.events)
        .filteredOn(SchedulerEvent.JobChanged.class::isInstance)
        .extracting(e -> ((SchedulerEvent.JobChanged) e).change())
        .containsExactly(SchedulerEvent.Change.FINISHED);
  }

  /**
   * A job whose runs may retry finishes when its last run ends, not as the run that reaches max
   * runs fires: for clock and event triggers, whether that run succeeds or retries first.
   */
  @Test
  void aJobThatMayRetryFinishesWhenItsLastRunEnds() {
    dev.chime.RetryPolicy twice = dev.chime.RetryPolicy.fixed(2, Duration.ofSeconds(10));
    h.engine.schedule(
        job("two", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .retry(twice)
            .maxRuns(2)
            .build());
    h.engine.schedule(job("listener", Trigger.onEvent("e")).retry(twice).maxRuns(1).build());
    List<JobState> whileRunning = new java.util.ArrayList<>();
    h.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("two") && ctx.attempt() == 1) {
            whileRunning.add(info("two").state());
            if (ctx.scheduledFor().equals(h.at(120))) {
              throw new IllegalStateException("the last run fails once");
            }
          }
        };
    h.advanceAndRun(Duration.ofMinutes(1));
    h.advanceAndRun(Duration.ofMinutes(1));
    assertThat(whileRunning).containsExactly(JobState.ACTIVE, JobState.ACTIVE);
    assertThat(info("two").state()).as("its retry waits").isEqualTo(JobState.ACTIVE);
    assertThat(info("two").nextFireAt()).isNull();
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(info("two").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.runs("two")).hasSize(3);

    assertThat(h.engine.publish("e", null)).hasSize(1);
    assertThat(info("listener").state()).isEqualTo(JobState.ACTIVE);
    assertThat(h.engine.publish("e", null)).as("its one run is counted").isEmpty();
    h.engine.runDue();
    assertThat(info("listener").state()).isEqualTo(JobState.FINISHED);
  }

  /**
   * A retry a pause held past the job's grace is late as an occurrence would be: the skip policy
   * records it as skipped (the occurrence failed: its dependents hear so), and one resumed within
   * the grace runs.
   */
  @Test
  void aRetryHeldByAPausePastItsGraceGoesThroughTheMisfirePolicy() {
    for (String id : List.of("late", "in-time")) {
      h.engine.schedule(
          job(id, Trigger.once(h.at(0)))
              .retry(dev.chime.RetryPolicy.fixed(3, Duration.ofSeconds(10)))
              .misfire(MisfirePolicy.skip(Duration.ofMinutes(1)))
              .build());
    }
    h.engine.schedule(
        job("on-failure", Trigger.after(JobId.of("late")).on(Trigger.After.Outcome.FAILURE))
            .build());
    h.engine.schedule(job("on-success", Trigger.after(JobId.of("late"))).build());
    h.behaviour =
        ctx -> {
          if (ctx.attempt() == 1 && !ctx.jobId().value().startsWith("on-")) {
            throw new IllegalStateException("first try fails");
          }
        };
    assertThat(h.engine.runDue()).isEqualTo(2);
    h.engine.pause(JobId.of("late"), "hold");
    h.engine.pause(JobId.of("in-time"), "hold");
    h.clock.advance(Duration.ofSeconds(40)); // the retries fell due at 10 s: 30 s late
    h.engine.resume(JobId.of("in-time"));
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.runs("in-time")).extracting(Run::state).endsWith(RunState.SUCCEEDED);

    h.clock.advance(Duration.ofMinutes(5));
    h.engine.resume(JobId.of("late"));
    assertThat(h.engine.runDue()).as("only the dependent on failure").isEqualTo(1);
    assertThat(h.runs("late"))
        .extracting(Run::attempt, Run::state, Run::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, RunState.FAILED, null),
            org.assertj.core.groups.Tuple.tuple(
                2,
                RunState.SKIPPED,
                "misfire: later than the grace of PT1M while the job was paused"));
    assertThat(info("late").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.runs("on-failure")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(h.runs("on-success"))
        .extracting(Run::reason)
        .containsExactly("dependency late failed");
  }

  @Test
  void aRetryHeldByAPauseEndsWithTheDeletedJob() {
    failOncePauseAndRetryIn10s(2);
    assertThat(h.advanceAndRun(Duration.ofSeconds(11))).isZero();
    assertThat(h.engine.delete(JobId.of("r"))).isTrue();
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isZero();
    assertThat(h.runs("r"))
        .extracting(Run::state, Run::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunState.FAILED, null),
            org.assertj.core.groups.Tuple.tuple(RunState.CANCELLED, "the job was deleted"));
  }

  @Test
  void labelsSelectJobsToPauseAndResume() {
    h.engine.schedule(job("a", Trigger.once(h.at(60))).labels("team-a").build());
    h.engine.schedule(job("b", Trigger.once(h.at(60))).labels("team-a", "x").build());
    h.engine.schedule(job("c", Trigger.once(h.at(60))).build());
    assertThat(h.engine.pauseLabeled("team-a", "freeze")).isEqualTo(2);
    assertThat(h.engine.list(JobQuery.ALL.withState(JobState.PAUSED)))
        .extracting(i -> i.id().value())
        .containsExactly("a", "b");
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(h.engine.resumeLabeled("team-a")).isEqualTo(2);
    assertThat(h.engine.runDue()).isEqualTo(2);
  }

  @Test
  void runDueAlsoRunsTheOccurrenceACatchUpMovedTheJobTo() {
    h.engine.schedule(
        job("up", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.skip(Duration.ZERO))
            .build());
    assertThat(h.advanceAndRun(Duration.ofMinutes(3))).as("00:03 is on time").isEqualTo(1);
    assertThat(h.calls).containsExactly("up@" + h.at(180) + "#1");
    h.engine.pauseAll("hold");
    assertThat(h.advanceAndRun(Duration.ofMinutes(2))).as("returns while paused").isZero();
  }

  @Test
  void aWholeSchedulerPauseGivesItsNoteAsTheSkipsReason() {
    h.engine.schedule(job("ev", Trigger.onEvent("ping")).build());
    h.engine.schedule(job("own", Trigger.onEvent("ping")).build());
    h.engine.pause(JobId.of("own"), "its own");
    h.engine.pauseAll("deploy freeze");
    List<Run> runs = h.engine.publish("ping", null);
    assertThat(runs)
        .extracting(Run::reason)
        .containsExactly("paused: deploy freeze", "paused: its own");
  }

  @Test
  void pausingTheWholeSchedulerHoldsEverything() {
    h.engine.schedule(job("a", Trigger.once(h.at(60))).build());
    h.engine.pauseAll("deploy");
    assertThat(h.engine.isPaused()).isTrue();
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isZero();
    h.engine.resumeAll();
    assertThat(h.engine.isPaused()).isFalse();
    assertThat(h.engine.runDue()).isEqualTo(1);
  }

  @Test
  void updatesReplaceTheTriggerAndDeletesRemoveTheJob() {
    h.engine.schedule(job("u", Trigger.once(h.at(60))).build());
    JobInfo updated = h.engine.update(job("u", Trigger.once(h.at(120))).build());
    assertThat(updated.nextFireAt()).isEqualTo(h.at(120));
    assertThat(updated.version()).isGreaterThan(1);
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isZero();
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(h.engine.delete(JobId.of("u"))).isTrue();
    assertThat(h.engine.delete(JobId.of("u"))).isFalse();
    assertThat(h.engine.get(JobId.of("u"))).isEmpty();
    assertThatThrownBy(() -> h.engine.update(job("u", Trigger.once(h.at(1))).build()))
        .isInstanceOf(SchedulerException.class)
        .hasMessage("no job u");
  }

  @Test
  void anUpdateWithTheSameTriggerNeverRunsAnOccurrenceAgain() {
    Trigger minutely = Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60));
    h.engine.schedule(job("same", minutely).build());
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    JobInfo updated = h.engine.update(job("same", minutely).priority(7).build());
    assertThat(updated.nextFireAt()).isEqualTo(h.at(120));
    assertThat(h.engine.runDue()).as("00:01 ran already").isZero();
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    h.engine.schedule(job("done", Trigger.once(h.at(150))).build());
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(2); // done@150, same@180
    JobInfo finished = h.engine.update(job("done", Trigger.once(h.at(150))).priority(2).build());
    assertThat(finished.state()).isEqualTo(JobState.FINISHED);
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isZero();
    JobInfo moved = h.engine.update(job("done", Trigger.once(h.at(240))).build());
    assertThat(moved.state()).as("a new trigger starts afresh").isEqualTo(JobState.ACTIVE);
    assertThat(h.calls)
        .as("each occurrence once")
        .containsExactlyInAnyOrder(
            "same@" + h.at(60) + "#1",
            "same@" + h.at(120) + "#1",
            "done@" + h.at(150) + "#1",
            "same@" + h.at(180) + "#1");
  }

  @Test
  void badRequestsAreClearErrors() {
    assertThatThrownBy(
            () ->
                h.engine.schedule(
                    Job.builder("x").handler("nope").trigger(Trigger.once(h.at(1))).build()))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.INVALID))
        .hasMessage("job x: no handler named 'nope' is registered");
    h.engine.schedule(job("x", Trigger.once(h.at(1))).build());
    assertThatThrownBy(() -> h.engine.schedule(job("x", Trigger.once(h.at(1))).build()))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.CONFLICT));
    assertThatThrownBy(() -> h.engine.runNow(JobId.of("ghost")))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> h.engine.register("inline", ctx -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.engine.start()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void lambdaJobsRunTheirOwnCode() {
    int[] ran = new int[1];
    h.engine.schedule(Job.of("lambda", Trigger.once(h.at(0)), ctx -> ran[0]++));
    h.engine.runDue();
    assertThat(ran[0]).isEqualTo(1);
  }

  @Test
  void theContextReportsLogProgressAndResultIntoTheRun() {
    h.engine.schedule(job("ctx", Trigger.once(h.at(0))).params(Map.of("n", 3)).build());
    h.behaviour =
        ctx -> {
          ctx.log("n is " + ctx.params().get("n"));
          ctx.progress(50, "halfway");
          ctx.result(Map.of("rows", 42));
        };
    h.engine.runDue();
    Run run = h.runs("ctx").get(0);
    assertThat(run.log()).isEqualTo("n is 3\n");
    assertThat(run.progress()).isEqualTo(50);
    assertThat(run.progressMessage()).isEqualTo("halfway");
    assertThat(run.result()).isEqualTo(Map.of("rows", 42));
  }

  @Test
  void aDependentRunsAfterItsDependencySucceeds() {
    h.engine.schedule(job("a", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("b", Trigger.after(JobId.of("a"))).build());
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.calls).extracting(c -> c.substring(0, 1)).containsExactly("a", "b");
  }

  @Test
  void aDependentIsSkippedWhenItsDependencyFailsUnlessItRunsOnCompletion() {
    h.engine.schedule(job("a", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("b", Trigger.after(JobId.of("a"))).build());
    h.engine.schedule(
        job("c", Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.COMPLETION)).build());
    h.engine.schedule(
        job("d", Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.FAILURE)).build());
    h.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("a")) {
            throw new IllegalStateException("a broke");
          }
        };
    h.engine.runDue();
    assertThat(h.runs("b"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(RunState.SKIPPED);
              assertThat(r.reason()).isEqualTo("dependency a failed");
            });
    assertThat(h.runs("c")).singleElement().extracting(Run::state).isEqualTo(RunState.SUCCEEDED);
    assertThat(h.runs("d")).singleElement().extracting(Run::state).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aDependencyCycleIsRejectedNamingIt() {
    h.engine.schedule(job("a", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("b", Trigger.after(JobId.of("a"))).build());
    h.engine.schedule(job("c", Trigger.after(JobId.of("b"))).build());
    assertThatThrownBy(() -> h.engine.update(job("a", Trigger.after(JobId.of("c"))).build()))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.INVALID))
        .hasMessage("dependency cycle: a -> c -> b -> a");
    assertThatThrownBy(() -> h.engine.schedule(job("z", Trigger.after(JobId.of("nope"))).build()))
        .hasMessage("job z depends on nope, which does not exist");
    assertThatThrownBy(() -> h.engine.delete(JobId.of("a")))
        .hasMessageContaining("[b] depend on it");
  }

  /**
   * A finished dependent no longer holds its dependency: it can never fire again. Before, the
   * dependency could not be deleted while the finished job was kept.
   */
  @Test
  void aJobOnlyAFinishedDependentWaitsForCanBeDeleted() {
    h.engine.schedule(job("a", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(0))).build());
    Job b = job("b", Trigger.after(JobId.of("a"))).maxRuns(1).build();
    h.engine.schedule(b);
    h.engine.schedule(job("c", Trigger.after(JobId.of("a"))).build());
    h.engine.runDue();
    assertThat(h.engine.get(JobId.of("b")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
    assertThatThrownBy(() -> h.engine.delete(JobId.of("a")))
        .hasMessage("job a cannot be deleted: [c] depend on it"); // b, finished, is not named

    h.engine.delete(JobId.of("c"));
    assertThat(h.engine.delete(JobId.of("a"))).isTrue();
    assertThat(h.engine.get(JobId.of("b")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
    h.engine.schedule(job("a", Trigger.once(h.at(60))).build()); // a new a: b stays finished
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).as("a alone").isEqualTo(1);
    assertThat(h.runs("b")).hasSize(1);
  }

  @Test
  void aDependentWaitsForEveryJobItNames() {
    h.engine.schedule(job("a", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("b", Trigger.once(h.at(60))).build());
    h.engine.schedule(job("c", Trigger.after(JobId.of("a"), JobId.of("b"))).build());
    h.engine.runDue();
    assertThat(h.runs("c")).isEmpty();
    h.advanceAndRun(Duration.ofMinutes(1));
    assertThat(h.runs("c")).hasSize(1);
  }

  /** A dependent skipped for its dependency's failure ends there: its own dependents hear it. */
  @Test
  void aSkippedDependentIsAnEndingForTheJobsThatWaitForIt() {
    h.engine.schedule(job("a", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("b", Trigger.after(JobId.of("a"))).build());
    h.engine.schedule(
        job("c", Trigger.after(JobId.of("b")).on(Trigger.After.Outcome.COMPLETION)).build());
    h.engine.schedule(job("d", Trigger.after(JobId.of("b"))).build());
    h.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("a")) {
            throw new IllegalStateException("a broke");
          }
        };
    h.engine.runDue();
    assertThat(h.runs("b")).extracting(Run::reason).containsExactly("dependency a failed");
    assertThat(h.runs("c")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(h.runs("d")).extracting(Run::reason).containsExactly("dependency b skipped");
  }

  /** An update that keeps a dependent's trigger keeps what it has seen, and needs no check. */
  @Test
  void updatingAWaitingDependentKeepsWhatItHasSeen() {
    Harness small = new Harness(Map.of(), 2);
    small.engine.schedule(job("a", Trigger.once(small.at(0))).build());
    small.engine.schedule(job("b", Trigger.once(small.at(60))).build());
    small.engine.schedule(job("c", Trigger.after(JobId.of("a"), JobId.of("b"))).build());
    small.engine.runDue();
    for (int i = 0; i < 5; i++) { // finished jobs beyond the history: a may be gone from it
      small.engine.schedule(job("filler" + i, Trigger.once(small.at(1))).build());
    }
    small.advanceAndRun(Duration.ofSeconds(1));
    small.engine.update(job("c", Trigger.after(JobId.of("a"), JobId.of("b"))).priority(7).build());
    small.advanceAndRun(Duration.ofMinutes(1));
    assertThat(small.runs("c")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
  }

  @Test
  void aPipelineRunsItsStagesInOrder() {
    for (String id : List.of("x", "y", "z")) {
      h.engine.schedule(job(id, Trigger.once(h.at(99_999))).build());
    }
    h.engine.definePipeline(
        dev.chime.Pipeline.of(
            "etl", List.of(List.of(JobId.of("x"), JobId.of("y")), List.of(JobId.of("z")))));
    long run = h.engine.runPipeline("etl");
    h.engine.runDue();
    assertThat(h.calls).extracting(c -> c.substring(0, 1)).containsExactly("x", "y", "z");
    dev.chime.PipelineRun result = h.engine.pipelineRuns("etl", 10).get(0);
    assertThat(result.id()).isEqualTo(run);
    assertThat(result.state()).isEqualTo(dev.chime.PipelineRun.State.SUCCEEDED);
    assertThat(result.outcomes()).containsOnlyKeys(JobId.of("x"), JobId.of("y"), JobId.of("z"));
  }

  @Test
  void aFailFastPipelineSkipsItsLaterStages() {
    for (String id : List.of("x", "z")) {
      h.engine.schedule(job(id, Trigger.once(h.at(99_999))).build());
    }
    h.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("x")) {
            throw new IllegalStateException("x broke");
          }
        };
    h.engine.definePipeline(
        dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")), List.of(JobId.of("z")))));
    h.engine.runPipeline("p");
    h.engine.runDue();
    dev.chime.PipelineRun result = h.engine.pipelineRuns("p", 1).get(0);
    assertThat(result.state()).isEqualTo(dev.chime.PipelineRun.State.FAILED);
    assertThat(result.outcomes()).containsEntry(JobId.of("z"), RunState.SKIPPED);
    assertThat(h.runs("z")).isEmpty();

    h.engine.definePipeline(
        dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")), List.of(JobId.of("z"))))
            .continueOnFailure());
    h.engine.runPipeline("p");
    h.engine.runDue();
    assertThat(h.engine.pipelineRuns("p", 1).get(0).state())
        .isEqualTo(dev.chime.PipelineRun.State.FAILED);
    assertThat(h.runs("z")).hasSize(1);
  }

  /** Fail-fast ends the pipeline at the failure: the stage's other jobs are cancelled. */
  @Test
  void aFailFastPipelineEndsAtTheFailureAndCancelsTheRestOfTheStage() {
    for (String id : List.of("x", "y", "z")) {
      h.engine.schedule(job(id, Trigger.once(h.at(99_999))).build());
    }
    dev.chime.PipelineRun.State[] seenByY = new dev.chime.PipelineRun.State[1];
    h.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("x")) {
            throw new IllegalStateException("x broke");
          }
          seenByY[0] = h.engine.pipelineRuns("p", 1).get(0).state();
        };
    h.engine.definePipeline(
        dev.chime.Pipeline.of(
            "p", List.of(List.of(JobId.of("x"), JobId.of("y")), List.of(JobId.of("z")))));
    h.engine.runPipeline("p");
    h.engine.runDue();
    dev.chime.PipelineRun result = h.engine.pipelineRuns("p", 1).get(0);
    assertThat(result.state()).isEqualTo(dev.chime.PipelineRun.State.FAILED);
    assertThat(seenByY[0]).as("y never ran: cancelled before it started").isNull();
    assertThat(h.runs("y"))
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.CANCELLED))
        .satisfies(r -> assertThat(r.reason()).isEqualTo("pipeline p failed: x failed"));
    assertThat(result.outcomes())
        .containsEntry(JobId.of("y"), RunState.CANCELLED)
        .containsEntry(JobId.of("z"), RunState.SKIPPED);
  }

  /** Fail-fast also cancels what the first stage admitted, and a stage job's pending retry. */
  @Test
  void failFastCancelsTheFirstStagesRunsAndPendingRetriesToo() {
    for (String id : List.of("x", "y", "z")) {
      h.engine.schedule(job(id, Trigger.once(h.at(99_999))).build());
    }
    h.engine.pause(JobId.of("x"), null); // skipped as the pipeline starts: a failure at once
    h.engine.definePipeline(
        dev.chime.Pipeline.of(
            "p", List.of(List.of(JobId.of("x"), JobId.of("y")), List.of(JobId.of("z")))));
    h.engine.runPipeline("p");
    h.engine.runDue();
    assertThat(h.runs("y")).extracting(Run::state).containsExactly(RunState.CANCELLED);

    h.engine.schedule(
        job("a", Trigger.once(h.at(99_999)))
            .retry(dev.chime.RetryPolicy.fixed(3, Duration.ofMinutes(1)))
            .build());
    h.engine.schedule(job("b", Trigger.once(h.at(99_999))).build());
    h.behaviour =
        ctx -> {
          throw new IllegalStateException("broke");
        };
    h.engine.definePipeline(
        dev.chime.Pipeline.of("q", List.of(List.of(JobId.of("a"), JobId.of("b")))));
    h.engine.runPipeline("q");
    h.engine.runDue(); // a fails and waits to retry; b fails: the pipeline ends, a's retry too
    h.advanceAndRun(Duration.ofMinutes(5));
    assertThat(h.calls).filteredOn(c -> c.startsWith("a@")).hasSize(1);
    assertThat(h.runs("a"))
        .extracting(Run::state)
        .containsExactly(RunState.FAILED, RunState.CANCELLED);
  }

  /** A job scheduled again under an old dependent's id waits afresh, whatever the old one saw. */
  @Test
  void aDependentScheduledAgainStartsWithNothingSeen() {
    Harness small = new Harness(Map.of(), 1);
    small.engine.schedule(
        job("a", Trigger.every(Duration.ofSeconds(60)).startingAt(small.at(0))).build());
    small.engine.schedule(
        job("b", Trigger.every(Duration.ofSeconds(60)).startingAt(small.at(30))).build());
    small.engine.schedule(job("c", Trigger.after(JobId.of("a"), JobId.of("b"))).maxRuns(1).build());
    small.engine.runDue();
    small.advanceAndRun(Duration.ofSeconds(30)); // c ran and finished
    small.advanceAndRun(Duration.ofSeconds(30)); // a again: seen for a c that is finished
    small.engine.schedule(job("filler", Trigger.once(small.at(61))).build());
    small.advanceAndRun(Duration.ofSeconds(1));
    assertThat(small.engine.get(JobId.of("c"))).as("evicted from the bounded history").isEmpty();
    small.engine.schedule(job("c", Trigger.after(JobId.of("a"), JobId.of("b"))).build());
    small.advanceAndRun(Duration.ofSeconds(29)); // b at 90, but a has not run for the new c
    assertThat(small.runs("c")).noneMatch(r -> r.scheduledFor().equals(small.at(90)));
  }

  /** A dependent skipped by its overlap policy tells its dependents once, as any ended run. */
  @Test
  void aDependentSkippedByItsOverlapPolicyIsOneEnding() {
    h.engine.schedule(
        job("a", Trigger.once(h.at(99_999))).overlap(dev.chime.OverlapPolicy.allow()).build());
    h.engine.schedule(
        job("b", Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.COMPLETION)).build());
    h.engine.schedule(
        job("c", Trigger.after(JobId.of("b")).on(Trigger.After.Outcome.COMPLETION))
            .overlap(dev.chime.OverlapPolicy.allow())
            .build());
    h.engine.runNow(JobId.of("a"));
    h.engine.runNow(JobId.of("a"));
    h.engine.runDue();
    assertThat(h.runs("b")).hasSize(2);
    assertThat(h.runs("c")).as("one per ending of b").hasSize(2);
  }

  /** A dependent skipped because it is paused is an ending for its own dependents too. */
  @Test
  void aPausedDependentsSkipReachesItsDependents() {
    h.engine.schedule(job("a", Trigger.once(h.at(0))).build());
    h.engine.schedule(job("b", Trigger.after(JobId.of("a"))).build());
    h.engine.schedule(
        job("c", Trigger.after(JobId.of("b")).on(Trigger.After.Outcome.COMPLETION)).build());
    h.engine.pause(JobId.of("b"), "quiet");
    h.engine.runDue();
    assertThat(h.runs("b")).extracting(Run::reason).containsExactly("paused: quiet");
    assertThat(h.runs("c")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
  }

  /**
   * An occurrence the misfire policy skips is an ending for the jobs that wait for it, as one the
   * overlap policy skips is: a dependent on success records a skipped run saying why, one on
   * completion runs, one on failure does not (a skip is no failure); none waits silently.
   */
  @Test
  void anOccurrenceSkippedByItsMisfirePolicyIsAnEndingForItsDependents() {
    h.engine.schedule(
        job("a", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.skip(Duration.ofSeconds(10)))
            .build());
    h.engine.schedule(job("on-success", Trigger.after(JobId.of("a"))).build());
    h.engine.schedule(
        job("on-completion", Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.COMPLETION))
            .overlap(dev.chime.OverlapPolicy.allow())
            .build());
    h.engine.schedule(
        job("on-failure", Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.FAILURE)).build());

    h.clock.advance(Duration.ofSeconds(2 * 60 + 30));
    h.engine.runDue();

    assertThat(h.runs("a"))
        .extracting(Run::state)
        .containsExactly(RunState.SKIPPED, RunState.SKIPPED);
    assertThat(h.runs("on-success"))
        .extracting(Run::state, Run::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunState.SKIPPED, "dependency a skipped"),
            org.assertj.core.groups.Tuple.tuple(RunState.SKIPPED, "dependency a skipped"));
    assertThat(h.runs("on-completion"))
        .extracting(Run::state)
        .containsExactly(RunState.SUCCEEDED, RunState.SUCCEEDED);
    assertThat(h.runs("on-failure")).isEmpty();
  }

  /**
   * A job waiting for two jobs hears of a misfire-skipped occurrence at once: it decides with the
   * other job's next ending (skipped, saying why), not with a later occurrence of the skipped one.
   */
  @Test
  void aDependentOfTwoJobsDecidesOnAMisfireSkipWithTheOthersEnding() {
    h.engine.schedule(
        job("late", Trigger.every(Duration.ofMinutes(10)).startingAt(h.at(60)))
            .misfire(MisfirePolicy.skip(Duration.ofSeconds(10)))
            .build());
    h.engine.schedule(job("b", Trigger.once(h.at(200))).build());
    h.engine.schedule(job("both", Trigger.after(JobId.of("late"), JobId.of("b"))).build());
    h.advanceAndRun(Duration.ofSeconds(90)); // late's occurrence at 60 is 30 s late: skipped
    h.advanceAndRun(Duration.ofSeconds(110)); // b succeeds at 200
    assertThat(h.runs("both"))
        .extracting(Run::state, Run::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunState.SKIPPED, "dependency late skipped"));
    h.advanceAndRun(Duration.ofSeconds(460)); // late runs at 660: b has not ended since
    assertThat(h.runs("both")).hasSize(1);
  }

  /** A skip by the overlap policy does not run a dependent on failure: it is not a failure. */
  @Test
  void aDependentOnFailureDoesNotRunForAnOverlapSkip() {
    h.engine.schedule(job("a", Trigger.once(h.at(60))).build());
    h.engine.schedule(
        job("on-failure", Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.FAILURE)).build());
    h.clock.advance(Duration.ofSeconds(59));
    h.engine.runNow(JobId.of("a"));
    h.advanceAndRun(Duration.ofSeconds(1));
    assertThat(h.runs("a")).extracting(Run::state).contains(RunState.SKIPPED);
    assertThat(h.runs("on-failure")).isEmpty();
  }

  /** A publish to a paused job is skipped, and its dependents hear of the skip as of any ending. */
  @Test
  void aPublishSkippedAsPausedIsAnEndingForItsDependents() {
    h.engine.schedule(job("listener", Trigger.onEvent("e")).build());
    h.engine.schedule(
        job("next", Trigger.after(JobId.of("listener")).on(Trigger.After.Outcome.COMPLETION))
            .build());
    h.engine.schedule(job("on-success", Trigger.after(JobId.of("listener"))).build());
    h.engine.pause(JobId.of("listener"), "quiet");
    h.engine.publish("e", null);
    h.engine.runDue();
    assertThat(h.runs("listener")).extracting(Run::reason).containsExactly("paused: quiet");
    assertThat(h.runs("next")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(h.runs("on-success"))
        .extracting(Run::reason)
        .containsExactly("dependency listener skipped");
  }

  /** Shutdown cancels a running pipeline: no later stage starts, the run ends cancelled. */
  @Test
  void shutdownCancelsARunningPipelineAndStartsNoLaterStage() {
    for (String id : List.of("x", "z")) {
      h.engine.schedule(job(id, Trigger.once(h.at(99_999))).build());
    }
    h.engine.definePipeline(
        dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")), List.of(JobId.of("z"))))
            .continueOnFailure());
    h.engine.runPipeline("p");
    assertThat(h.engine.shutdown()).isTrue();
    dev.chime.PipelineRun result = h.engine.pipelineRuns("p", 1).get(0);
    assertThat(result.state()).isEqualTo(dev.chime.PipelineRun.State.CANCELLED);
    assertThat(result.runs()).doesNotContainKey(JobId.of("z"));
    assertThat(h.runs("z")).isEmpty();
    assertThat(h.runs("x")).extracting(Run::state).containsExactly(RunState.CANCELLED);
  }

  /** Runs the shutdown cancels are no failure: fail-fast or in the last stage, it is cancelled. */
  @Test
  void aPipelineStoppedByShutdownIsCancelledNotFailed() {
    Harness other = new Harness();
    for (String id : List.of("x", "y", "z")) {
      other.engine.schedule(job(id, Trigger.once(other.at(99_999))).build());
    }
    other.engine.definePipeline(
        dev.chime.Pipeline.of(
            "ff", List.of(List.of(JobId.of("x"), JobId.of("y")), List.of(JobId.of("z")))));
    other.engine.definePipeline(
        dev.chime.Pipeline.of("one", List.of(List.of(JobId.of("z")))).continueOnFailure());
    other.engine.runPipeline("ff");
    other.engine.runPipeline("one");
    other.engine.shutdown();
    assertThat(other.engine.pipelineRuns("ff", 1).get(0).state())
        .isEqualTo(dev.chime.PipelineRun.State.CANCELLED);
    assertThat(other.engine.pipelineRuns("one", 1).get(0).state())
        .isEqualTo(dev.chime.PipelineRun.State.CANCELLED);
  }

  /** A pipeline started while the whole scheduler is paused runs none of its jobs. */
  @Test
  void aPipelineUnderPauseAllSkipsItsJobsWithThePausesNote() {
    h.engine.schedule(job("x", Trigger.once(h.at(99_999))).build());
    h.engine.definePipeline(dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")))));
    h.engine.pauseAll("release freeze");
    h.engine.runPipeline("p");
    h.engine.runDue();
    assertThat(h.calls).isEmpty();
    assertThat(h.runs("x")).extracting(Run::reason).containsExactly("paused: release freeze");
    assertThat(h.engine.pipelineRuns("p", 1).get(0).state())
        .isEqualTo(dev.chime.PipelineRun.State.FAILED);
  }

  /** A pipeline job deleted while the pipeline runs is recorded as skipped, with why. */
  @Test
  void aPipelineJobDeletedMidRunIsRecordedAsSkipped() {
    for (String id : List.of("x", "z")) {
      h.engine.schedule(job(id, Trigger.once(h.at(99_999))).build());
    }
    h.engine.definePipeline(
        dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")), List.of(JobId.of("z")))));
    h.engine.runPipeline("p");
    h.engine.definePipeline(dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")))));
    assertThat(h.engine.delete(JobId.of("z"))).isTrue();
    h.engine.runDue();
    RunId z = h.engine.pipelineRuns("p", 1).get(0).runs().get(JobId.of("z"));
    assertThat(h.engine.run(z))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("job z no longer exists"));
    assertThatThrownBy(() -> h.engine.pipelineRuns("p", -1))
        .hasMessage("limit must be positive, was -1");
  }

  @Test
  void unknownPipelinesAndPipelineJobsAreClearErrors() {
    assertThatThrownBy(() -> h.engine.runPipeline("nope")).hasMessage("no pipeline nope");
    assertThatThrownBy(
            () ->
                h.engine.definePipeline(
                    dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("ghost"))))))
        .hasMessage("no job ghost");
  }

  @Test
  void listenersHearEveryChangeInOrder() {
    h.engine.schedule(job("e", Trigger.once(h.at(0))).build());
    h.engine.runDue();
    assertThat(h.runEvents()).containsExactly("e:CLAIMED", "e:RUNNING", "e:SUCCEEDED");
    assertThat(
            h.events.stream()
                .filter(e -> e instanceof SchedulerEvent.JobChanged)
                .map(e -> ((SchedulerEvent.JobChanged) e).change()))
        .containsExactly(SchedulerEvent.Change.ADDED, SchedulerEvent.Change.FINISHED);
    assertThat(
            h.events.stream()
                .filter(e -> e instanceof SchedulerEvent.JobChanged)
                .map(e -> ((SchedulerEvent.JobChanged) e).job())
                .toList()
                .getLast())
        .as("the finished event carries the job as stored")
        .isEqualTo(h.engine.get(JobId.of("e")).orElseThrow());
  }

  @Test
  void aRetryWaitingForItsBackoffCanBeCancelled() {
    h.engine.schedule(
        job("c", Trigger.once(h.at(0)))
            .retry(dev.chime.RetryPolicy.fixed(3, Duration.ofMinutes(1)))
            .build());
    h.behaviour =
        ctx -> {
          throw new IllegalStateException("no");
        };
    h.engine.runDue();
    Run waiting = h.runs("c").get(1);
    assertThat(waiting.state()).isEqualTo(RunState.RETRYING);
    assertThat(h.engine.cancel(waiting.id())).isTrue();
    assertThat(h.engine.cancel(waiting.id())).isFalse();
    assertThat(h.advanceAndRun(Duration.ofMinutes(5))).isZero();
    assertThat(h.engine.run(waiting.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void hashedCronFieldsAreKeyedByTheJobId() {
    String text = "H H * * *";
    for (String id : List.of("backup", "report")) {
      h.engine.schedule(job(id, Trigger.cron(text, java.time.ZoneOffset.UTC)).build());
      java.time.Instant expected =
          dev.chime.cron.CronExpression.parse(text, null, id)
              .next(h.at(0), java.time.ZoneOffset.UTC)
              .orElseThrow();
      assertThat(info(id).nextFireAt()).isEqualTo(expected);
      assertThat(((Trigger.Cron) info(id).job().trigger()).expression().hashKey()).isEqualTo(id);
    }
    assertThat(info("backup").nextFireAt()).isNotEqualTo(info("report").nextFireAt());
    assertThat(Trigger.cron("0 3 * * THU", java.time.ZoneOffset.UTC).expression().hashKey())
        .isNull();
  }

  @Test
  void hashedCronFieldsInsideAnyAndAllAreKeyedByTheJobId() {
    String text = "H H * * *";
    java.time.ZoneOffset utc = java.time.ZoneOffset.UTC;
    Trigger never = Trigger.once(Instant.parse("9999-01-01T00:00:00Z"));
    for (String id : List.of("backup", "report")) {
      Trigger nested = Trigger.any(never, Trigger.all(Trigger.cron(text, utc), never));
      h.engine.schedule(job(id, Trigger.any(Trigger.cron(text, utc), nested)).build());
      Instant expected =
          dev.chime.cron.CronExpression.parse(text, null, id).next(h.at(0), utc).orElseThrow();
      assertThat(info(id).nextFireAt()).isEqualTo(expected);
      Trigger.Any any = (Trigger.Any) info(id).job().trigger();
      Trigger.All all = (Trigger.All) ((Trigger.Any) any.triggers().get(1)).triggers().get(1);
      for (Trigger cron : List.of(any.triggers().get(0), all.triggers().get(0))) {
        assertThat(((Trigger.Cron) cron).expression().hashKey()).isEqualTo(id);
      }
      assertThat(all.triggers().get(1)).isSameAs(never);
    }
    assertThat(info("backup").nextFireAt()).isNotEqualTo(info("report").nextFireAt());
  }

  @Test
  void aCronWhoseJobIdDrawsADayThatNeverComesIsRefusedNamingTheJob() {
    // Too many H draws to try them all when the trigger is made (2^11 ways to draw the days): the
    // job id's own draw is checked when the job is scheduled. The fifth Friday of February is the
    // 29th, so a job whose id draws 30 in H(29-30) never fires.
    String text =
        "0 0 0 H(1-2),H(3-4),H(5-6),H(7-8),H(9-10),H(11-12),H(13-14),H(15-16),H(17-18),H(19-20),"
            + "H(29-30) 2 5#5";
    Trigger.Cron cron = Trigger.cron(text, java.time.ZoneOffset.UTC);
    String never = null;
    String fires = null;
    for (int i = 0; never == null || fires == null; i++) {
      try {
        dev.chime.cron.CronExpression.parse(text, null, "job-" + i);
        fires = "job-" + i;
      } catch (dev.chime.cron.CronSyntaxException e) {
        never = "job-" + i;
      }
    }
    String id = never;
    assertThatThrownBy(() -> h.engine.schedule(job(id, cron).build()))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SchedulerException.Kind.INVALID);
              assertThat(e.field()).isEqualTo("trigger");
            })
        .hasMessage(
            "job "
                + id
                + ": cron '"
                + text
                + "' with the job id as the key of its H fields can never fire: day-of-month: no"
                + " day matches in February; the expression can never fire");
    assertThat(h.engine.get(JobId.of(id))).isEmpty();
    h.engine.schedule(job(fires, cron).build());
    assertThat(info(fires).nextFireAt()).isNotNull();
  }

  @Test
  void retryJitterSpreadsWaitsWithinItsBound() {
    dev.chime.RetryPolicy policy =
        dev.chime.RetryPolicy.fixed(3, Duration.ofSeconds(10)).withJitter(Duration.ofSeconds(5));
    java.util.Set<Duration> waits = new java.util.HashSet<>();
    for (long seed = 1; seed <= 50; seed++) {
      Duration wait = policy.delayBefore(2, seed);
      assertThat(wait).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(15));
      assertThat(policy.delayBefore(2, seed)).isEqualTo(wait);
      waits.add(wait);
    }
    assertThat(waits.size()).isGreaterThan(10);
    assertThatThrownBy(() -> policy.withJitter(Duration.ofSeconds(-1)))
        .hasMessage("jitter must not be negative, was PT-1S");
  }

  @Test
  void deletingAJobCancelsItsWaitingRetry() {
    h.engine.schedule(
        job("gone", Trigger.once(h.at(0)))
            .retry(dev.chime.RetryPolicy.fixed(3, Duration.ofMinutes(1)))
            .build());
    h.behaviour =
        ctx -> {
          throw new IllegalStateException("no");
        };
    h.engine.runDue();
    RunId waiting = h.runs("gone").get(1).id();
    assertThat(h.engine.delete(JobId.of("gone"))).isTrue();
    assertThat(h.advanceAndRun(Duration.ofMinutes(5))).isZero();
    assertThat(h.engine.run(waiting).orElseThrow().reason()).isEqualTo("the job was deleted");
  }

  /**
   * A job waiting for its retry is not finished, so a store that keeps only so many finished jobs
   * does not evict it (it did, and the retry ran for a job no read could find); it finishes, and
   * may be evicted, once its last attempt has ended.
   */
  @Test
  void aJobWaitingForItsRetryIsNotEvictedAsFinished() {
    Harness small = new Harness(Map.of(), 2);
    small.engine.schedule(
        job("flaky", Trigger.once(small.at(0)))
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ofMinutes(1)))
            .build());
    small.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("flaky") && ctx.attempt() == 1) {
            throw new IllegalStateException("first try fails");
          }
        };
    small.engine.runDue();
    for (int i = 0; i < 5; i++) {
      small.engine.schedule(job("filler" + i, Trigger.once(small.at(1))).build());
    }
    small.advanceAndRun(Duration.ofSeconds(1));
    assertThat(small.engine.get(JobId.of("flaky")))
        .as("kept: not finished")
        .hasValueSatisfying(info -> assertThat(info.state()).isEqualTo(JobState.ACTIVE));
    assertThat(small.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(small.calls).contains("flaky@" + small.at(0) + "#2");
    assertThat(small.engine.get(JobId.of("flaky")).orElseThrow().state())
        .isEqualTo(JobState.FINISHED);
  }

  @Test
  void historyIsBounded() {
    Harness small = new Harness(Map.of(), 5);
    small.engine.schedule(
        job("h", Trigger.every(Duration.ofSeconds(1)).startingAt(small.at(1))).build());
    for (int i = 0; i < 20; i++) {
      small.advanceAndRun(Duration.ofSeconds(1));
    }
    assertThat(small.runs("h")).hasSize(5);
    assertThat(small.runs("h").get(4).scheduledFor()).isEqualTo(small.at(20));
  }

  @Test
  void groupLimitsHoldRunsBackInManualMode() {
    Harness grouped = new Harness(Map.of("reports", 1), 100);
    grouped.engine.schedule(job("r1", Trigger.once(grouped.at(0))).group("reports").build());
    grouped.engine.schedule(job("r2", Trigger.once(grouped.at(0))).group("reports").build());
    assertThat(grouped.engine.runDue()).isEqualTo(2);
  }
}
