package dev.chime.bench.harness;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer at a steady rate: job i is sent at {@code start + i/rate} and due a fixed lead after
 * that nominal instant; then it waits for every job and ranks their lateness. The producer parks
 * between batches (never spins), so a batch holds what came due while it slept. It calls the
 * system's own schedule method, so a system that cannot take jobs at the rate falls behind and its
 * lateness includes that backlog (the pass reports the rate reached and the largest lag).
 */
public final class Steady {
  private static final long START_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private Steady() {}

  /** Hands one job, due at {@code dueEpochNanos} (a whole microsecond), to the system. */
  @FunctionalInterface
  public interface Producer {
    void schedule(long dueEpochNanos) throws Exception;
  }

  /**
   * One pass: the lateness (start minus due, nanoseconds, ascending) of the jobs that ran, whether
   * all ran before the deadline, and the producer's pace.
   */
  public record Pass(
      int rate, int jobs, long[] lateness, boolean done, double achievedRate, long maxLagNanos) {

    /** Jobs that ran. */
    public long completed() {
      return lateness.length;
    }

    /** Jobs that started before their due instant. */
    public long early() {
      return Arrays.stream(lateness).filter(l -> l < 0).count();
    }

    /** Nearest-rank percentile of the lateness in nanoseconds over every job of the pass. */
    public double percentile(double quantile) {
      return Percentiles.nearestRank(lateness, jobs, quantile);
    }

    /** The largest lateness in nanoseconds; infinite if some job never ran. */
    public double maxNanos() {
      return done && lateness.length > 0 ? lateness[lateness.length - 1] : Double.POSITIVE_INFINITY;
    }

    /** The smallest lateness in nanoseconds (negative: early); NaN if nothing ran. */
    public double minNanos() {
      return lateness.length > 0 ? lateness[0] : Double.NaN;
    }
  }

  /**
   * Schedules {@code rate × seconds} jobs, each due {@code leadNanos} after its nominal send
   * instant, then waits until {@code graceNanos} after the last due for them to run.
   */
  public static Pass run(
      Producer producer, Sink sink, int rate, double seconds, long leadNanos, long graceNanos)
      throws Exception {
    int n = Math.max(1, (int) Math.round(rate * seconds));
    double period = 1e9 / rate;
    sink.expect(n, true);
    long wall0 = Sink.wallNanos();
    long nano0 = System.nanoTime() + START_NANOS;
    long dueBase = wall0 + START_NANOS + leadNanos;
    long maxLag = 0;
    int i = 0;
    while (i < n) {
      long now = System.nanoTime();
      long sendAt = nano0 + (long) (i * period);
      if (now < sendAt) {
        LockSupport.parkNanos(sendAt - now);
        continue;
      }
      int first = i;
      while (i < n && nano0 + (long) (i * period) <= now) {
        producer.schedule(Sink.micros(dueBase + (long) (i * period)));
        i++;
      }
      maxLag = Math.max(maxLag, System.nanoTime() - (nano0 + (long) (first * period)));
    }
    long producedIn = System.nanoTime() - nano0;
    long lastDue = dueBase + (long) ((n - 1) * period);
    boolean done = sink.await(lastDue + graceNanos);
    long[] late = sink.lateness();
    Arrays.sort(late);
    return new Pass(rate, n, late, done, n / (producedIn / 1e9), maxLag);
  }
}
