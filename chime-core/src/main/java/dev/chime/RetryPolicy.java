package dev.chime;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a failed or timed-out run is tried again: up to {@code attempts} tries in all, waiting {@code
 * delay} before the second, growing by {@code backoff} up to {@code maxDelay}. An exception whose
 * type is in {@code abortOn} never retries; when {@code retryOn} is not empty, only those types
 * retry. Both lists see a run that timed out as a {@link java.util.concurrent.TimeoutException},
 * whatever its code threw: name that type to retry timeouts (with a {@code retryOn} list) or never
 * to retry them.
 *
 * <p>Retries keep a job unfinished: one that can fire no more (a once trigger, max runs, its end
 * time) stays {@link JobState#ACTIVE} until its last attempt ends, so {@link Scheduler#pause} holds
 * a retry that falls due meanwhile until {@link Scheduler#resume}. A retry that starts later than
 * the job's misfire grace goes through its {@link MisfirePolicy}.
 *
 * @param attempts tries in all, 1 (no retry) to 100
 * @param backoff how the delay grows
 * @param delay the wait before the second try
 * @param maxDelay the longest wait
 * @param retryOn exception types that retry (empty: all but {@code abortOn})
 * @param abortOn exception types that never retry
 * @param jitter each wait is made longer by up to this much, so retries of many runs spread out
 */
public record RetryPolicy(
    int attempts,
    Backoff backoff,
    Duration delay,
    Duration maxDelay,
    Set<Class<? extends Throwable>> retryOn,
    Set<Class<? extends Throwable>> abortOn,
    Duration jitter) {
  /** The most tries a policy may ask for. */
  public static final int MAX_ATTEMPTS = 100;

  /** No retry: one attempt. The default. */
  public static final RetryPolicy NONE =
      new RetryPolicy(
          1, Backoff.FIXED, Duration.ZERO, Duration.ZERO, Set.of(), Set.of(), Duration.ZERO);

  /** How the wait grows between tries. */
  public enum Backoff {
    /** The same wait every time. */
    FIXED,
    /** The wait doubles each time, up to the maximum. */
    EXPONENTIAL
  }

  /** Validates every part and names the bad one. */
  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff must not be null");
    Objects.requireNonNull(delay, "delay must not be null");
    Objects.requireNonNull(maxDelay, "max delay must not be null");
    retryOn = Set.copyOf(Objects.requireNonNull(retryOn, "retryOn must not be null"));
    abortOn = Set.copyOf(Objects.requireNonNull(abortOn, "abortOn must not be null"));
    Objects.requireNonNull(jitter, "jitter must not be null");
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("jitter must not be negative, was " + jitter);
    }
    if (attempts < 1 || attempts > MAX_ATTEMPTS) {
      throw new IllegalArgumentException(
          "attempts must be 1-" + MAX_ATTEMPTS + ", was " + attempts);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    if (maxDelay.compareTo(delay) < 0) {
      throw new IllegalArgumentException(
          "max delay must be at least the delay " + delay + ", was " + maxDelay);
    }
    Job.requireDuration("max delay", maxDelay); // the delay is at most that
    Job.requireDuration("jitter", jitter);
  }

  /** {@code attempts} tries in all, {@code delay} apart. */
  public static RetryPolicy fixed(int attempts, Duration delay) {
    return new RetryPolicy(
        attempts, Backoff.FIXED, delay, delay, Set.of(), Set.of(), Duration.ZERO);
  }

  /**
   * {@code attempts} tries in all, waiting {@code delay}, then twice as long... up to {@code max}.
   */
  public static RetryPolicy exponential(int attempts, Duration delay, Duration max) {
    return new RetryPolicy(
        attempts, Backoff.EXPONENTIAL, delay, max, Set.of(), Set.of(), Duration.ZERO);
  }

  /** This policy retrying only on these exception types (and their subtypes). */
  public RetryPolicy retryOn(Set<Class<? extends Throwable>> types) {
    return new RetryPolicy(attempts, backoff, delay, maxDelay, types, abortOn, jitter);
  }

  /** This policy never retrying on these exception types (and their subtypes). */
  public RetryPolicy abortOn(Set<Class<? extends Throwable>> types) {
    return new RetryPolicy(attempts, backoff, delay, maxDelay, retryOn, types, jitter);
  }

  /** This policy making each wait longer by up to {@code most} (spread per run, deterministic). */
  public RetryPolicy withJitter(Duration most) {
    return new RetryPolicy(attempts, backoff, delay, maxDelay, retryOn, abortOn, most);
  }

  /**
   * The wait before attempt {@code attempt} of the run with the {@code seed} (its id): {@link
   * #delayBefore} plus a share of the jitter derived from the seed, so replays agree.
   */
  public Duration delayBefore(int attempt, long seed) {
    Duration base = delayBefore(attempt);
    if (jitter.isZero()) {
      return base;
    }
    long mixed = (seed + attempt) * 0x9E3779B97F4A7C15L;
    mixed ^= mixed >>> 31;
    return base.plusNanos(Math.floorMod(mixed, jitter.toNanos()));
  }

  /**
   * Whether attempt number {@code attempt} (1 = the first) that failed with {@code error} retries.
   */
  public boolean retries(int attempt, Throwable error) {
    if (attempt >= attempts) {
      return false;
    }
    if (error != null && matches(abortOn, error)) {
      return false;
    }
    return retryOn.isEmpty() || error != null && matches(retryOn, error);
  }

  /** The wait before attempt number {@code attempt} (2 = the first retry). */
  public Duration delayBefore(int attempt) {
    if (attempt < 2) {
      throw new IllegalArgumentException("attempt must be at least 2, was " + attempt);
    }
    if (backoff == Backoff.FIXED) {
      return delay;
    }
    Duration grown = delay;
    for (int i = 2; i < attempt && grown.compareTo(maxDelay) < 0; i++) {
      grown = grown.multipliedBy(2);
    }
    return grown.compareTo(maxDelay) > 0 ? maxDelay : grown;
  }

  private static boolean matches(Set<Class<? extends Throwable>> types, Throwable error) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }
}
