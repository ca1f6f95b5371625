package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.MisfirePolicy;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.SchedulerEvent;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import dev.chime.spi.JobStore;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Updates, one synchronous cycle at a time on a clock moved by hand: an occurrence fires once
 * whatever the trigger becomes, and the job as it is changes nothing.
 */
class EngineUpdateTest {
  private final Harness h = new Harness();

  private static final Trigger MINUTELY = Trigger.cron("* * * * *", ZoneOffset.UTC);

  private JobInfo info(String id) {
    return h.engine.get(JobId.of(id)).orElseThrow();
  }

  private List<SchedulerEvent.Change> changes(String id) {
    return h.events.stream()
        .filter(
            e ->
                e instanceof SchedulerEvent.JobChanged changed
                    && changed.job().id().value().equals(id))
        .map(e -> ((SchedulerEvent.JobChanged) e).change())
        .toList();
  }

  // ---------------------------------------------------------------- an occurrence fires once

  @Test
  void aNewTriggerGivenAtTheInstantAnOccurrenceFiredStartsAfterIt() {
    h.engine.schedule(job("iv", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);

    JobInfo updated = h.engine.update(job("iv", MINUTELY).build());
    assertThat(updated.nextFireAt()).as("00:01 fired already").isEqualTo(h.at(120));
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(h.calls).containsExactly("iv@" + h.at(60) + "#1", "iv@" + h.at(120) + "#1");
  }

  @Test
  void twoUpdatesInTheInstantAnOccurrenceFiredDoNotFireItAgain() {
    h.engine.schedule(job("iv", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    h.advanceAndRun(Duration.ofMinutes(1));

    h.engine.update(job("iv", Trigger.once(h.at(3600))).build()); // a trigger without 00:01
    JobInfo back = h.engine.update(job("iv", Trigger.every(Duration.ofSeconds(30))).build());
    assertThat(back.nextFireAt()).isEqualTo(h.at(90));
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.runs("iv")).extracting(Run::scheduledFor).containsExactly(h.at(60));
  }

  @Test
  void aNewTriggerGivenAtTheInstantOfAnOccurrenceThatDidNotFireFiresIt() {
    h.engine.schedule(job("later", Trigger.once(h.at(3600))).build());
    h.clock.advance(Duration.ofMinutes(1));
    JobInfo updated = h.engine.update(job("later", MINUTELY).build());
    assertThat(updated.nextFireAt()).isEqualTo(h.at(60));
    assertThat(h.engine.runDue()).isEqualTo(1);
  }

  @Test
  void aOnceJobGivenBackTheInstantItFiredAtFinishesWithoutRunningAgain() {
    h.engine.schedule(job("once", Trigger.once(h.at(10))).build());
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(h.engine.update(job("once", Trigger.once(h.at(3600))).build()).state())
        .isEqualTo(JobState.ACTIVE);
    h.clock.advance(Duration.ofSeconds(20));

    JobInfo back = h.engine.update(job("once", Trigger.once(h.at(10))).build());
    assertThat(back.state()).isEqualTo(JobState.FINISHED);
    assertThat(back.nextFireAt()).isNull();
    assertThat(h.advanceAndRun(Duration.ofHours(1))).isZero();
    assertThat(h.calls).containsExactly("once@" + h.at(10) + "#1");
    assertThat(changes("once"))
        .containsExactly(
            SchedulerEvent.Change.ADDED,
            SchedulerEvent.Change.FINISHED,
            SchedulerEvent.Change.UPDATED,
            SchedulerEvent.Change.UPDATED,
            SchedulerEvent.Change.FINISHED);
  }

  /**
   * A past instant the job never fired at is an occurrence like any other: caught up by the misfire
   * policy. Each instant a once job fired at is remembered across its changes, not only the latest.
   */
  @Test
  void aOnceJobGivenANewPastInstantCatchesItUpButNoInstantItFiredAtAgain() {
    h.engine.schedule(job("once", Trigger.once(h.at(10))).build());
    h.advanceAndRun(Duration.ofSeconds(10));
    h.clock.advance(Duration.ofSeconds(90));

    assertThat(h.engine.update(job("once", Trigger.once(h.at(50))).build()).nextFireAt())
        .isEqualTo(h.at(50));
    assertThat(h.engine.runDue()).as("a new past instant is caught up").isEqualTo(1);
    for (long at : new long[] {10, 50, 10}) {
      JobInfo back = h.engine.update(job("once", Trigger.once(h.at(at))).build());
      assertThat(back.state()).as("at %d", at).isEqualTo(JobState.FINISHED);
      assertThat(h.engine.runDue()).isZero();
    }
    assertThat(h.calls).containsExactly("once@" + h.at(10) + "#1", "once@" + h.at(50) + "#1");
  }

  @Test
  void anOccurrenceTheMisfirePolicySkippedHasFiredToo() {
    Job.Builder skipping =
        job("late", Trigger.once(h.at(-600))).misfire(MisfirePolicy.skip(Duration.ofMinutes(1)));
    h.engine.schedule(skipping.build());
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.runs("late")).singleElement().extracting(Run::state).isEqualTo(RunState.SKIPPED);

    h.engine.update(skipping.trigger(Trigger.once(h.at(3600))).build());
    h.engine.update(skipping.trigger(Trigger.once(h.at(-600))).build());
    assertThat(h.engine.runDue()).isZero();
    assertThat(h.runs("late")).as("skipped once, not twice").hasSize(1);
  }

  @Test
  void aDeletedJobsFiringsAreForgottenByANewJobWithItsId() {
    h.engine.schedule(job("again", Trigger.once(h.at(0))).build());
    assertThat(h.engine.runDue()).isEqualTo(1);
    h.engine.delete(JobId.of("again"));
    h.engine.schedule(job("again", Trigger.once(h.at(3600))).build());

    h.engine.update(job("again", Trigger.once(h.at(0))).build());
    assertThat(h.engine.runDue()).as("a new job's own past instant").isEqualTo(1);
  }

  // ---------------------------------------------------------------- the job as it is

  @Test
  void anUpdateWithTheJobAsItIsChangesNothing() {
    Job.Builder hashed =
        job("same", Trigger.cron("H * * * *", ZoneOffset.UTC)).params(Map.of("n", 3)).labels("x");
    JobInfo scheduled = h.engine.scheduleAndGet(hashed.build());
    JobInfo again = h.engine.update(hashed.build());
    assertThat(again).isEqualTo(scheduled);
    assertThat(info("same")).isEqualTo(scheduled);

    h.engine.pause(JobId.of("same"), "hold");
    JobInfo paused = info("same");
    assertThat(h.engine.update(hashed.build())).isEqualTo(paused);
    assertThat(changes("same"))
        .containsExactly(SchedulerEvent.Change.ADDED, SchedulerEvent.Change.PAUSED);

    JobInfo changed = h.engine.update(hashed.priority(7).build());
    assertThat(changed.version()).isGreaterThan(paused.version());
    assertThat(changes("same")).endsWith(SchedulerEvent.Change.UPDATED);
  }

  @Test
  void anUpdateWithTheJobAsItIsStillChecksIt() {
    JobStore store = JobStore.inMemory(100);
    Job unknown = Job.builder("orphan").handler("gone").trigger(MINUTELY).build();
    store.insert(new JobInfo(unknown, JobState.ACTIVE, null, h.at(60), 0, 0));
    Harness other = new Harness(store, Map.of());
    assertThatThrownBy(() -> other.engine.update(unknown))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.INVALID))
        .hasMessage("job orphan: no handler named 'gone' is registered");

    Job kept = job("kept", MINUTELY).build();
    h.engine.schedule(kept);
    h.engine.shutdown();
    assertThatThrownBy(() -> h.engine.update(kept))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.CLOSED));
    assertThatThrownBy(() -> h.engine.update(job("ghost", MINUTELY).build()))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.CLOSED));
  }
}
