package dev.chime.bench.engine;

import dev.chime.Job;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import dev.chime.bench.harness.Sink;
import java.time.Instant;

/**
 * Chime with its in-memory store: one {@code Trigger.once} job per job, built with {@code
 * Job.builder} outside the timed {@code schedule} call, run by a handler registered as "noop" on a
 * pool of platform threads as large as the others'. Lateness is measured from {@code
 * ctx.scheduledFor()}.
 */
final class ChimeEngine implements EngineSubject {

  @Override
  public String name() {
    return "chime";
  }

  @Override
  public String describe(int threads) {
    return "Chime (this build), in-memory store, maxConcurrency "
        + threads
        + ", platformThreads "
        + threads
        + ", the scenario's Clock";
  }

  @Override
  public EngineSystem<?> open(int threads, Sink sink) {
    Scheduler scheduler =
        Scheduler.builder()
            .clock(Sink.CLOCK)
            .maxConcurrency(threads)
            .platformThreads(threads)
            .build();
    scheduler.register("noop", ctx -> sink.ran(nanos(ctx.scheduledFor())));
    scheduler.start();
    return new Running(scheduler);
  }

  static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private record Running(Scheduler scheduler) implements EngineSystem<Job> {
    @Override
    public Job prepare(long seq, long dueEpochNanos) {
      Instant due =
          Instant.ofEpochSecond(
              Math.floorDiv(dueEpochNanos, 1_000_000_000L),
              Math.floorMod(dueEpochNanos, 1_000_000_000L));
      return Job.builder("j-" + seq).handler("noop").trigger(Trigger.once(due)).build();
    }

    @Override
    public void schedule(Job job) {
      scheduler.schedule(job);
    }

    @Override
    public void close() {
      scheduler.close();
    }
  }
}
