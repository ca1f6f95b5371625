package dev.chime.testkit;

import dev.chime.JobContext;
import dev.chime.JobHandler;
import dev.chime.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for tests that records every call and can be told to fail: register it, schedule jobs
 * that use it, then check {@link #calls()}.
 *
 * {@snippet :
 * Recorder recorder = new Recorder().failingFirst(2);
 * scheduler.register(TestJobs.HANDLER, recorder);
 * }
 */
public final class Recorder implements JobHandler {
  /**
   * One call.
   *
   * @param jobId the job
   * @param scheduledFor the occurrence
   * @param attempt the attempt
   * @param at when the call started, by the run's clock as the handler saw it
   */
  public record Call(JobId jobId, Instant scheduledFor, int attempt, Instant at) {}

  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final java.time.Clock clock;

  /** A recorder that stamps calls with the system clock's instant of the occurrence (no clock). */
  public Recorder() {
    this(null);
  }

  /** A recorder that stamps each call with the clock's time. */
  public Recorder(java.time.Clock clock) {
    this.clock = clock;
  }

  /**
   * Makes the next {@code count} calls throw {@link IllegalStateException}.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public Recorder failingFirst(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("failingFirst count must not be negative, was " + count);
    }
    failuresLeft.set(count);
    return this;
  }

  @Override
  public void run(JobContext context) {
    Instant at = clock == null ? context.scheduledFor() : clock.instant();
    calls.add(new Call(context.jobId(), context.scheduledFor(), context.attempt(), at));
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("planned failure of " + context.jobId());
    }
  }

  /** Every call so far, in order. */
  public List<Call> calls() {
    return new ArrayList<>(calls);
  }

  /** The occurrences of the job that were called, in order. */
  public List<Instant> occurrences(JobId job) {
    return calls.stream().filter(c -> c.jobId().equals(job)).map(Call::scheduledFor).toList();
  }

  /** How many calls so far. */
  public int count() {
    return calls.size();
  }
}
