package dev.chime;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to occurrences that are later than {@code grace} (the process was down, the job
 * paused, the engine overloaded). Every occurrence that does not run is recorded as skipped with
 * the reason, and is an ending for the jobs that wait for this one ({@link Trigger.After}): a
 * dependent on success is skipped too, saying so, one on completion runs, one on failure does not.
 * (Beyond the records listed one by one, one record stands for the rest, and is one ending.)
 *
 * <p>A retry that falls due later than {@code grace} (a pause held it, or the scheduler was down or
 * paused) is late in the same way: {@link Mode#SKIP} records that attempt as skipped, and its
 * occurrence ends as failed, as its last attempt did; the other modes run it (there is one to run).
 *
 * @param mode run once, run all (up to {@code cap}), or skip
 * @param grace how late an occurrence may start and still count as on time
 * @param cap for {@link Mode#RUN_ALL}: the most missed occurrences run, oldest first
 */
public record MisfirePolicy(Mode mode, Duration grace, int cap) {
  /** The grace of the default policy. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);

  /** The most missed occurrences {@link Mode#RUN_ALL} may replay. */
  public static final int MAX_CAP = 10_000;

  /** One catch-up run for everything missed; a minute of grace. The default. */
  public static final MisfirePolicy RUN_ONCE = new MisfirePolicy(Mode.RUN_ONCE, DEFAULT_GRACE, 1);

  /** What to do with late occurrences. */
  public enum Mode {
    /** One catch-up run now; the other missed occurrences are recorded as skipped. */
    RUN_ONCE,
    /** Every missed occurrence runs, oldest first, up to the cap. */
    RUN_ALL,
    /** None runs; each is recorded as skipped (misfire). */
    SKIP
  }

  /** Validates every part and names the bad one. */
  public MisfirePolicy {
    Objects.requireNonNull(mode, "misfire mode must not be null");
    Objects.requireNonNull(grace, "grace must not be null");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, was " + grace);
    }
    Job.requireDuration("grace", grace);
    int lowest = mode == Mode.SKIP ? 0 : 1;
    int highest = mode == Mode.RUN_ALL ? MAX_CAP : lowest;
    if (cap < lowest || cap > highest) {
      throw new IllegalArgumentException(
          "cap for "
              + mode
              + " must be "
              + lowest
              + (highest == lowest ? "" : "-" + highest)
              + ", was "
              + cap);
    }
  }

  /** One catch-up run after {@code grace}. */
  public static MisfirePolicy runOnce(Duration grace) {
    return new MisfirePolicy(Mode.RUN_ONCE, grace, 1);
  }

  /** Every missed occurrence runs, up to {@code cap}, oldest first. */
  public static MisfirePolicy runAll(Duration grace, int cap) {
    return new MisfirePolicy(Mode.RUN_ALL, grace, cap);
  }

  /** Late occurrences are skipped (and recorded). */
  public static MisfirePolicy skip(Duration grace) {
    return new MisfirePolicy(Mode.SKIP, grace, 0);
  }
}
