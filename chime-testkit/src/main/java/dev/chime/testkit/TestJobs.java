package dev.chime.testkit;

import dev.chime.Job;
import dev.chime.Trigger;
import java.time.Duration;
import java.time.Instant;

/**
 * Builders for jobs in tests: the handler is {@link #HANDLER}, so one {@link Recorder} sees all.
 */
public final class TestJobs {
  /** The handler name the builders use. */
  public static final String HANDLER = "test";

  private TestJobs() {}

  /** A job that fires once at the instant. */
  public static Job.Builder once(String id, Instant at) {
    return Job.builder(id).handler(HANDLER).trigger(Trigger.once(at));
  }

  /** A job that fires every period from the instant. */
  public static Job.Builder every(String id, Duration period, Instant start) {
    return Job.builder(id).handler(HANDLER).trigger(Trigger.every(period).startingAt(start));
  }

  /** A job with the trigger. */
  public static Job.Builder on(String id, Trigger trigger) {
    return Job.builder(id).handler(HANDLER).trigger(trigger);
  }
}
