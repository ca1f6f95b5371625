package dev.chime.internal.timer;

import java.time.Instant;

/** Instants as epoch nanoseconds, the timer's unit; saturated beyond 1677-2262. */
public final class Nanos {
  private static final long MAX_SECOND = Long.MAX_VALUE / 1_000_000_000L - 1;

  private Nanos() {}

  /** The instant in nanoseconds since the epoch, clamped to the range a long can hold. */
  public static long of(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds > MAX_SECOND) {
      return Long.MAX_VALUE;
    }
    if (seconds < -MAX_SECOND) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + instant.getNano();
  }

  /** The instant for nanoseconds since the epoch. */
  public static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
