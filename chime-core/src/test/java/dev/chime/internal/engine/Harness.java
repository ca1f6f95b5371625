package dev.chime.internal.engine;

import dev.chime.Job;
import dev.chime.JobHandler;
import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.SchedulerEvent;
import dev.chime.Trigger;
import dev.chime.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A manual engine on a settable clock, with a handler ("work") whose behaviour each test scripts,
 * and every event collected. Core cannot use the test kit (it depends on core), so the engine's own
 * tests drive {@link Engine#runDue} directly; the kit's ManualScheduler is a thin wrapper.
 */
final class Harness {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    private volatile Instant now;

    HandClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  final HandClock clock = new HandClock(T0);
  final Engine engine;
  final List<SchedulerEvent> events = new ArrayList<>();
  final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
  volatile JobHandler behaviour = ctx -> {};

  Harness() {
    this(Map.of(), 10_000);
  }

  Harness(Map<String, Integer> groups, int history) {
    this(JobStore.inMemory(history), groups);
  }

  Harness(JobStore store, Map<String, Integer> groups) {
    this(store, groups, null, 0);
  }

  Harness(JobStore store, Map<String, Integer> groups, Duration retention, int retainPerJob) {
    engine =
        new Engine(
            new Settings(
                clock, store, 256, 0, Duration.ZERO, groups, true, retention, retainPerJob));
    engine.register(
        "work",
        ctx -> {
          calls.add(ctx.jobId() + "@" + ctx.scheduledFor() + "#" + ctx.attempt());
          behaviour.run(ctx);
        });
    engine.addListener(events::add);
  }

  static Job.Builder job(String id, Trigger trigger) {
    return Job.builder(id).handler("work").trigger(trigger);
  }

  Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  int advanceAndRun(Duration by) {
    clock.advance(by);
    return engine.runDue();
  }

  List<Run> runs(String job) {
    return engine.runs(JobId.of(job), 10_000).reversed();
  }

  List<String> runEvents() {
    return events.stream()
        .filter(e -> e instanceof SchedulerEvent.RunChanged)
        .map(e -> ((SchedulerEvent.RunChanged) e).run())
        .map(r -> r.jobId() + ":" + r.state())
        .toList();
  }
}
