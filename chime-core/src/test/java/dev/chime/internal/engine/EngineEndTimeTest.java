package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.SchedulerEvent;
import dev.chime.Trigger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jobs no clock fires (event and after triggers; file triggers in {@link EngineFileTest}) whose end
 * time has passed: they finish as they are scheduled or updated, and nothing runs them after; and
 * those whose end time comes while they wait: they finish at it.
 */
class EngineEndTimeTest {
  private final Harness h = new Harness();

  private JobInfo info(String id) {
    return h.engine.get(JobId.of(id)).orElseThrow();
  }

  private List<String> jobChanges(String id) {
    return h.events.stream()
        .filter(e -> e instanceof SchedulerEvent.JobChanged j && j.job().id().equals(JobId.of(id)))
        .map(
            e ->
                ((SchedulerEvent.JobChanged) e).change()
                    + ":"
                    + ((SchedulerEvent.JobChanged) e).job().state())
        .toList();
  }

  @Test
  void anEventJobPastItsEndFinishesWhenScheduledAndNoPublishRunsIt() {
    JobInfo added =
        h.engine.scheduleAndGet(job("late", Trigger.onEvent("deploy")).endAt(h.at(-1)).build());
    h.engine.scheduleAll(
        List.of(
            job("late-too", Trigger.onEvent("deploy")).endAt(h.at(-1)).build(),
            job("on-time", Trigger.onEvent("deploy")).endAt(h.at(60)).build()));

    assertThat(added.state()).isEqualTo(JobState.FINISHED);
    assertThat(info("late").state()).isEqualTo(JobState.FINISHED);
    assertThat(info("late-too").state()).isEqualTo(JobState.FINISHED);
    assertThat(jobChanges("late")).containsExactly("ADDED:ACTIVE", "FINISHED:FINISHED");
    assertThat(jobChanges("late-too")).containsExactly("ADDED:ACTIVE", "FINISHED:FINISHED");
    assertThat(h.engine.publish("deploy", null))
        .extracting(run -> run.jobId().value())
        .containsExactly("on-time");
    h.engine.runDue();
    assertThat(h.runs("late")).isEmpty();
    assertThat(h.runs("late-too")).isEmpty();
  }

  @Test
  void anEventJobUpdatedPastItsEndFinishes() {
    Job job = job("until", Trigger.onEvent("deploy")).endAt(h.at(60)).build();
    h.engine.schedule(job);
    h.engine.schedule(job("moved", Trigger.onEvent("deploy")).build());
    h.clock.advance(Duration.ofMinutes(2));

    assertThat(h.engine.update(job).state()).isEqualTo(JobState.FINISHED);
    assertThat(
            h.engine
                .update(job("moved", Trigger.onEvent("deploy")).endAt(h.at(30)).build())
                .state())
        .isEqualTo(JobState.FINISHED);

    // "until" was given as it is: nothing to write (no UPDATED), but its end is due all the same.
    assertThat(jobChanges("until")).containsExactly("ADDED:ACTIVE", "FINISHED:FINISHED");
    assertThat(jobChanges("moved"))
        .containsExactly("ADDED:ACTIVE", "UPDATED:ACTIVE", "FINISHED:FINISHED");
    assertThat(h.engine.publish("deploy", null)).isEmpty();
  }

  @Test
  void anAfterJobPastItsEndFinishesWhenScheduledAndItsDependencyStartsNothing() {
    h.engine.schedule(job("a", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    JobInfo added =
        h.engine.scheduleAndGet(job("late", Trigger.after(JobId.of("a"))).endAt(h.at(-1)).build());
    h.engine.schedule(job("on-time", Trigger.after(JobId.of("a"))).build());

    assertThat(added.state()).isEqualTo(JobState.FINISHED);
    assertThat(jobChanges("late")).containsExactly("ADDED:ACTIVE", "FINISHED:FINISHED");
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).as("a, then on-time").isEqualTo(2);
    assertThat(h.runs("late")).isEmpty();
  }

  @Test
  void anAfterJobUpdatedPastItsEndFinishesAndItsDependencyStartsNothing() {
    h.engine.schedule(job("a", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    Job job = job("until", Trigger.after(JobId.of("a"))).endAt(h.at(90)).build();
    h.engine.schedule(job);
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).as("a, then until").isEqualTo(2);
    h.clock.advance(Duration.ofSeconds(40));

    assertThat(h.engine.update(job).state()).isEqualTo(JobState.FINISHED);

    assertThat(jobChanges("until"))
        .containsExactly("ADDED:ACTIVE", "FINISHED:FINISHED"); // as it is
    assertThat(h.advanceAndRun(Duration.ofSeconds(20))).as("a alone").isEqualTo(1);
    assertThat(h.runs("until")).hasSize(1);
  }

  /**
   * A paused job updated past its end finishes too: resumed, it could never fire again. Before, it
   * stayed paused, and each publish recorded a skipped run of it, "paused", for an occurrence past
   * its end.
   */
  @Test
  void aPausedEventJobUpdatedPastItsEndFinishes() {
    Job job = job("held", Trigger.onEvent("deploy")).endAt(h.at(60)).build();
    h.engine.schedule(job);
    h.engine.pause(JobId.of("held"), "audit");
    h.clock.advance(Duration.ofMinutes(2));

    JobInfo updated = h.engine.update(job);

    assertThat(updated.state()).isEqualTo(JobState.FINISHED);
    assertThat(updated.note()).isNull();
    assertThat(jobChanges("held"))
        .containsExactly("ADDED:ACTIVE", "PAUSED:PAUSED", "FINISHED:FINISHED"); // given as it is
    assertThat(h.engine.publish("deploy", null)).as("not even a skipped run").isEmpty();
    assertThat(h.engine.resume(JobId.of("held")).state()).isEqualTo(JobState.FINISHED);
  }

  /**
   * A paused job whose end passes while it is paused finishes at the next publish, with no skipped
   * run: past its end there is no occurrence to skip (one was recorded, "paused", at every
   * publish).
   */
  @Test
  void aPausedEventJobPastItsEndFinishesAtTheNextPublishWithNoSkippedRun() {
    h.engine.schedule(job("held", Trigger.onEvent("deploy")).endAt(h.at(60)).build());
    h.engine.pause(JobId.of("held"), "audit");
    h.clock.advance(Duration.ofMinutes(2));

    assertThat(h.engine.publish("deploy", null)).isEmpty();

    assertThat(info("held").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.runs("held")).isEmpty();
    assertThat(jobChanges("held"))
        .containsExactly("ADDED:ACTIVE", "PAUSED:PAUSED", "FINISHED:FINISHED");
  }

  /**
   * Nothing fires an event job, so nothing found it at its end: it stayed active (and its end
   * unseen) until the next publish. Now it finishes at its end time, and an update that moves the
   * end later moves its finish with it.
   */
  @Test
  void anEventJobFinishesAtItsEndTimeAndAnUpdateMovesIt() {
    h.engine.schedule(job("short", Trigger.onEvent("deploy")).endAt(h.at(60)).build());
    Job moved = job("moved", Trigger.onEvent("deploy")).endAt(h.at(60)).build();
    h.engine.schedule(moved);
    h.engine.update(job("moved", Trigger.onEvent("deploy")).endAt(h.at(180)).build());

    h.advanceAndRun(Duration.ofSeconds(60));
    assertThat(info("short").state()).as("at its end, not yet past it").isEqualTo(JobState.ACTIVE);
    h.advanceAndRun(Duration.ofSeconds(1));
    assertThat(info("short").state()).isEqualTo(JobState.FINISHED);
    assertThat(jobChanges("short")).containsExactly("ADDED:ACTIVE", "FINISHED:FINISHED");
    assertThat(info("moved").state()).as("its end moved on").isEqualTo(JobState.ACTIVE);

    h.advanceAndRun(Duration.ofMinutes(2));
    assertThat(info("moved").state()).isEqualTo(JobState.FINISHED);
    assertThat(h.engine.publish("deploy", null)).isEmpty();
  }

  @Test
  void aPausedAfterJobFinishesAtItsEndTime() {
    h.engine.schedule(job("a", Trigger.once(h.at(3_600))).build());
    h.engine.schedule(job("b", Trigger.after(JobId.of("a"))).endAt(h.at(30)).build());
    h.engine.pause(JobId.of("b"), "audit");

    h.advanceAndRun(Duration.ofMinutes(1));

    assertThat(info("b").state()).isEqualTo(JobState.FINISHED);
    assertThat(jobChanges("b"))
        .containsExactly("ADDED:ACTIVE", "PAUSED:PAUSED", "FINISHED:FINISHED");
  }
}
