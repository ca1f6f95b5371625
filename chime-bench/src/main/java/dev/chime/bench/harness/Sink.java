package dev.chime.bench.harness;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where every job execution reports: counts completions, records lateness (start minus due, in
 * nanoseconds) when asked to, and releases the waiting harness when the expected count is reached.
 * One sink per scheduler; the harness calls {@link #expect} between passes, when nothing runs.
 * Every scenario that runs jobs uses it.
 */
public final class Sink {
  private final AtomicLong slots = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private volatile long[] lateness = new long[0];
  private volatile long expected = Long.MAX_VALUE;
  private volatile CountDownLatch finished = new CountDownLatch(1);
  private volatile long lastNanos;

  /**
   * The one clock of the scenarios that run jobs: Chime is given it, and lateness is read from it,
   * so due and start times come from the same source.
   */
  public static final Clock CLOCK = Clock.systemUTC();

  /** The wall clock in nanoseconds since the epoch (what every system here schedules by). */
  public static long wallNanos() {
    Instant now = CLOCK.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Nanoseconds since the epoch of the instant. */
  public static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** The instant {@code epochNanos} nanoseconds after the epoch. */
  public static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  /** The instant truncated to a whole microsecond (the finest every peer's clock reports). */
  public static long micros(long nanos) {
    return Math.floorDiv(nanos, 1000L) * 1000L;
  }

  /**
   * Called by a job first thing when it runs, with its due instant as the system knows it
   * (nanoseconds since the epoch).
   */
  public void ran(long dueEpochNanos) {
    long now = wallNanos();
    long[] late = lateness;
    long slot = slots.getAndIncrement();
    if (slot < late.length) {
      late[(int) slot] = now - dueEpochNanos;
    }
    // The slot write happens before this increment, which the finishing increment observes.
    if (completed.incrementAndGet() == expected) {
      lastNanos = now;
      finished.countDown();
    }
  }

  /** Starts a pass of {@code count} executions, recording their lateness if {@code record}. */
  public void expect(long count, boolean record) {
    finished = new CountDownLatch(1);
    lateness = record ? new long[Math.toIntExact(count)] : new long[0];
    slots.set(0);
    completed.set(0);
    lastNanos = 0;
    expected = count;
  }

  /** Waits until every expected execution ran or the wall clock passes the deadline. */
  public boolean await(long deadlineEpochNanos) throws InterruptedException {
    long wait = deadlineEpochNanos - wallNanos();
    return finished.await(Math.max(0, wait), TimeUnit.NANOSECONDS);
  }

  public long completed() {
    return completed.get();
  }

  /** Wall-clock nanoseconds when the last expected execution started; 0 before. */
  public long lastNanos() {
    return lastNanos;
  }

  /** The lateness recorded so far, in completion order. */
  public long[] lateness() {
    long[] late = lateness;
    return Arrays.copyOf(late, (int) Math.min(late.length, completed.get()));
  }
}
