package dev.chime.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when told: {@link #set} and {@link #advance}. Thread-safe; clocks
 * made by {@link #withZone} share the same time.
 *
 * {@snippet :
 * FakeClock clock = FakeClock.at("2026-03-08T06:59:00Z");
 * clock.advance(Duration.ofMinutes(1)); // 07:00Z, 03:00 in New York after the jump
 * }
 */
public final class FakeClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at the instant, in UTC. */
  public static FakeClock at(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    return new FakeClock(new AtomicReference<>(instant), ZoneOffset.UTC);
  }

  /** A clock at an ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}, in UTC. */
  public static FakeClock at(String isoInstant) {
    return at(Instant.parse(isoInstant));
  }

  /** Moves the clock forward (or, with a negative duration, back) and returns the new time. */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.updateAndGet(current -> current.plus(duration));
  }

  /** Sets the clock to the instant. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public FakeClock withZone(ZoneId newZone) {
    return new FakeClock(now, Objects.requireNonNull(newZone, "zone"));
  }

  @Override
  public String toString() {
    return "FakeClock[" + now.get() + ", " + zone + "]";
  }
}
