package dev.chime.bench.engine;

import dev.chime.bench.harness.Sink;

/**
 * One scheduler under test, started and ready, behind the few calls the engine scenario needs.
 * Every execution of a job must call {@link Sink#ran} first thing, with the due instant as the
 * system itself knows it.
 *
 * @param <J> the job as the system's API takes it, built by {@link #prepare} outside the timed loop
 */
public interface EngineSystem<J> extends AutoCloseable {

  /**
   * Builds the job with the unique sequence number {@code seq}, due at {@code dueEpochNanos}
   * (nanoseconds since the epoch, a whole microsecond), without scheduling it.
   */
  J prepare(long seq, long dueEpochNanos);

  /** Hands the job to the scheduler: the call {@code schedule_ns} times. */
  void schedule(J job) throws Exception;

  /** Stops the scheduler and drops every pending job. */
  @Override
  void close();
}
