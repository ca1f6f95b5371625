package dev.chime.jdbc;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition that real threads make true, with a deadline (never a fixed sleep). */
final class Await {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  private Await() {}

  static void until(BooleanSupplier condition, String what) {
    until(condition, DEADLINE, what);
  }

  static void until(BooleanSupplier condition, Duration deadline, String what) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline + " waiting for " + what);
      }
      LockSupport.parkNanos(10_000_000); // poll the condition
    }
  }
}
