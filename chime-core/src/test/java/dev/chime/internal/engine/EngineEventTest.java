package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Event;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.SchedulerEvent;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import dev.chime.spi.JobStore;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Event triggers: {@code publish} starts one run per listening job through the usual policies. */
class EngineEventTest {
  private final Harness h = new Harness();
  private final List<Event> seen = new CopyOnWriteArrayList<>();

  EngineEventTest() {
    h.behaviour = ctx -> seen.add(ctx.event().orElse(null));
  }

  @Test
  void aPublishRunsEveryListeningJobOnceWithTheEventAndNeverOnTime() {
    h.engine.schedule(job("b-listener", Trigger.onEvent("deploy")).build());
    h.engine.schedule(job("a-listener", Trigger.onEvent("deploy")).build());
    h.engine.schedule(job("other", Trigger.onEvent("other")).build());
    assertThat(h.advanceAndRun(Duration.ofDays(3))).isZero();
    assertThat(h.engine.get(JobId.of("a-listener")).orElseThrow().state())
        .isEqualTo(JobState.ACTIVE);

    List<Run> started = h.engine.publish("deploy", Map.of("version", "1.2", "count", 3));
    assertThat(started)
        .extracting(run -> run.jobId().value())
        .containsExactly("a-listener", "b-listener");
    assertThat(started).extracting(Run::state).containsOnly(RunState.CLAIMED);
    assertThat(started).extracting(Run::scheduledFor).containsOnly(h.clock.instant());
    Event event = new Event("deploy", Map.of("version", "1.2", "count", 3));
    assertThat(started).extracting(Run::event).containsOnly(event);

    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(seen).containsExactly(event, event);
    assertThat(h.runs("a-listener"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
              assertThat(run.event()).isEqualTo(event);
            });
    assertThat(h.runs("other")).isEmpty();
    assertThat(h.engine.get(JobId.of("a-listener")).orElseThrow().runCount()).isEqualTo(1);
    assertThat(h.engine.publish("nobody-listens", null)).isEmpty();
  }

  @Test
  void anEventWithoutPayloadReachesTheHandlerWithANullPayload() {
    h.engine.schedule(job("j", Trigger.onEvent("tick")).build());
    h.engine.publish("tick", null);
    h.engine.runDue();
    assertThat(seen).containsExactly(new Event("tick", null));
    assertThat(seen.get(0).payload()).isNull();
  }

  @Test
  void theOverlapPolicyJudgesEachPublish() {
    h.engine.schedule(job("skip", Trigger.onEvent("e")).overlap(OverlapPolicy.SKIP).build());
    h.engine.schedule(
        job("queue", Trigger.onEvent("e")).overlap(OverlapPolicy.queue(1, 5)).build());
    h.engine.publish("e", Map.of("n", 1));
    List<Run> second = h.engine.publish("e", Map.of("n", 2));
    assertThat(second).extracting(Run::state).containsExactly(RunState.SCHEDULED, RunState.SKIPPED);
    assertThat(second.get(1).reason()).startsWith("overlap:");
    assertThat(second.get(1).event()).isEqualTo(new Event("e", Map.of("n", 2)));
    h.engine.runDue();
    assertThat(h.runs("queue")).extracting(Run::state).containsOnly(RunState.SUCCEEDED);
    assertThat(h.runs("queue"))
        .extracting(run -> run.event().payload().get("n"))
        .containsExactly(1, 2);
    assertThat(h.runs("skip"))
        .extracting(Run::state)
        .containsExactlyInAnyOrder(RunState.SUCCEEDED, RunState.SKIPPED);
  }

  @Test
  void aPausedJobRecordsASkippedRunWithTheEventAndAFinishedJobNone() {
    h.engine.schedule(job("paused", Trigger.onEvent("e")).build());
    h.engine.schedule(job("limited", Trigger.onEvent("e")).maxRuns(1).build());
    h.engine.pause(JobId.of("paused"), "maintenance");
    List<Run> first = h.engine.publish("e", Map.of());
    assertThat(first).extracting(Run::state).containsExactly(RunState.CLAIMED, RunState.SKIPPED);
    assertThat(first.get(1).reason()).isEqualTo("paused: maintenance");
    assertThat(h.runs("paused"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.state()).isEqualTo(RunState.SKIPPED);
              assertThat(run.event()).isEqualTo(new Event("e", Map.of()));
            });
    h.engine.runDue();
    assertThat(h.engine.get(JobId.of("limited")).orElseThrow().state())
        .isEqualTo(JobState.FINISHED);

    h.engine.resume(JobId.of("paused"));
    h.engine.pauseAll(null);
    assertThat(h.engine.publish("e", null))
        .extracting(Run::state)
        .containsExactly(RunState.SKIPPED);
    h.engine.resumeAll();
    assertThat(h.engine.publish("e", null))
        .extracting(Run::state)
        .containsExactly(RunState.CLAIMED);
    assertThat(h.runs("limited")).hasSize(1);
  }

  @Test
  void theLastRunIsCountedAndTheJobFinishedInOneWrite() {
    h.engine.schedule(
        job("limited", Trigger.onEvent("e")).overlap(OverlapPolicy.allow()).maxRuns(2).build());
    h.engine.publish("e", null);
    JobInfo first = h.engine.get(JobId.of("limited")).orElseThrow();
    assertThat(first.state()).isEqualTo(JobState.ACTIVE);
    assertThat(first.runCount()).isEqualTo(1);

    h.events.clear();
    assertThat(h.engine.publish("e", null))
        .extracting(Run::state)
        .containsExactly(RunState.CLAIMED);
    JobInfo last = h.engine.get(JobId.of("limited")).orElseThrow();
    assertThat(last.state()).isEqualTo(JobState.FINISHED);
    assertThat(last.runCount()).isEqualTo(2);
    // one write: a node that read the job before it could not count a third run in between
    assertThat(last.version()).isEqualTo(first.version() + 1);
    assertThat(h.events)
        .filteredOn(SchedulerEvent.JobChanged.class::isInstance)
        .map(event -> ((SchedulerEvent.JobChanged) event).change())
        .containsExactly(SchedulerEvent.Change.FINISHED);
    assertThat(h.engine.publish("e", null)).isEmpty();
  }

  /** A publish the overlap policy skips (or a full queue refuses) is no run: max runs waits. */
  @Test
  void aPublishTheOverlapPolicySkipsIsNotCountedAsARun() {
    h.engine.schedule(job("limited", Trigger.onEvent("e")).maxRuns(2).build());
    h.engine.schedule(
        job("queued", Trigger.onEvent("e")).overlap(OverlapPolicy.queue(1, 1)).maxRuns(3).build());
    h.engine.publish("e", null);
    h.engine.publish("e", null);
    assertThat(h.engine.publish("e", null))
        .extracting(Run::state)
        .containsExactly(RunState.SKIPPED, RunState.SKIPPED);
    assertThat(h.engine.get(JobId.of("limited")).orElseThrow().runCount()).isEqualTo(1);
    assertThat(h.engine.get(JobId.of("queued")).orElseThrow().runCount()).isEqualTo(2);
    h.engine.runDue();

    assertThat(h.engine.publish("e", null))
        .extracting(Run::state)
        .containsExactly(RunState.CLAIMED, RunState.CLAIMED);
    h.engine.runDue();
    for (String id : List.of("limited", "queued")) {
      JobInfo done = h.engine.get(JobId.of(id)).orElseThrow();
      assertThat(done.state()).as(id).isEqualTo(JobState.FINISHED);
      assertThat(done.runCount()).as(id).isEqualTo(done.job().maxRuns());
      assertThat(h.runs(id))
          .as(id)
          .filteredOn(run -> run.state() == RunState.SUCCEEDED)
          .hasSize((int) done.job().maxRuns());
    }
    assertThat(h.engine.publish("e", null)).isEmpty();
  }

  @Test
  void aJobWithItsLastRunCountedButStillActiveIsNotCountedAgain() {
    JobStore store = JobStore.inMemory(100);
    Harness node = new Harness(store, Map.of());
    node.engine.schedule(job("limited", Trigger.onEvent("e")).maxRuns(1).build());
    JobInfo read = store.find(JobId.of("limited")).orElseThrow();
    // as another node left it when it counted the last run and wrote the finish apart
    store.update(new JobInfo(read.job(), JobState.ACTIVE, null, null, 1, read.version()));

    assertThat(node.engine.publish("e", null)).isEmpty();
    assertThat(store.find(JobId.of("limited")).orElseThrow().runCount()).isEqualTo(1);
    assertThat(node.runs("limited")).isEmpty();
  }

  @Test
  void aRetryKeepsTheEvent() {
    h.engine.schedule(
        job("flaky", Trigger.onEvent("e"))
            .retry(RetryPolicy.fixed(2, Duration.ofSeconds(10)))
            .build());
    List<Integer> attempts = new ArrayList<>();
    h.behaviour =
        ctx -> {
          seen.add(ctx.event().orElseThrow());
          attempts.add(ctx.attempt());
          if (ctx.attempt() == 1) {
            throw new IllegalStateException("first try fails");
          }
        };
    h.engine.publish("e", Map.of("id", 7));
    h.engine.runDue();
    h.advanceAndRun(Duration.ofSeconds(10));
    assertThat(attempts).containsExactly(1, 2);
    assertThat(seen).extracting(Event::payload).containsOnly(Map.of("id", 7));
    assertThat(h.runs("flaky"))
        .extracting(Run::state)
        .containsExactly(RunState.FAILED, RunState.SUCCEEDED);
    assertThat(h.runs("flaky")).extracting(Run::event).doesNotContainNull();
  }

  @Test
  void higherPriorityListenersRunFirstAndListenersHearOfTheRuns() {
    List<String> order = new CopyOnWriteArrayList<>();
    h.behaviour = ctx -> order.add(ctx.jobId().value());
    h.engine.schedule(job("low", Trigger.onEvent("e")).priority(1).build());
    h.engine.schedule(job("high", Trigger.onEvent("e")).priority(9).build());
    h.engine.publish("e", null);
    h.engine.runDue();
    assertThat(order).containsExactly("high", "low");
    assertThat(h.events)
        .filteredOn(SchedulerEvent.RunChanged.class::isInstance)
        .map(e -> ((SchedulerEvent.RunChanged) e).run())
        .filteredOn(run -> run.state() == RunState.SUCCEEDED)
        .extracting(run -> run.event().name())
        .containsExactly("e", "e");
  }

  @Test
  void badNamesAndPayloadsAreRefusedWithTheRule() {
    assertThatThrownBy(() -> h.engine.publish("", null))
        .hasMessage("event name must be 1-200 characters, was 0");
    assertThatThrownBy(() -> h.engine.publish("x".repeat(201), null))
        .hasMessage("event name must be 1-200 characters, was 201");
    assertThatThrownBy(() -> h.engine.publish("a/b", null))
        .hasMessage(
            "event name 'a/b' must start with a letter or digit and use only letters, digits and"
                + " . _ - :");
    assertThatThrownBy(() -> Trigger.onEvent(".hidden")).hasMessageContaining("'.hidden'");
    assertThatThrownBy(() -> h.engine.publish("ok", Map.of("when", new Object())))
        .hasMessageStartingWith("payload.when: a java.lang.Object is not JSON");
    assertThatThrownBy(
            () -> Trigger.any(Trigger.onEvent("e"), Trigger.cron("0 * * * *", ZoneId.of("UTC"))))
        .hasMessage(
            "any: an event trigger cannot be part of any/all (event 'e'); give the job its own"
                + " event trigger");
  }

  @Test
  void aClosedSchedulerRefusesToPublish() {
    h.engine.close();
    assertThatThrownBy(() -> h.engine.publish("e", null))
        .isInstanceOf(SchedulerException.class)
        .hasMessage("the scheduler is shut down");
  }
}
