package dev.chime.jdbc;

import dev.chime.Job;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import dev.chime.cron.DstPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jobs for the tests. */
final class SampleJobs {
  private SampleJobs() {}

  /** A job that sets every part: nested params, a composite trigger, every policy. */
  static Job rich(String id) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("name", "sales");
    params.put("count", 3);
    params.put("big", 12_345_678_901L);
    params.put("ratio", 1.5);
    params.put("none", null);
    params.put("nested", Map.of("list", List.of(1, "two", true)));
    return richWithout(id).params(params).build();
  }

  /** {@link #rich} before its params and the build. */
  static Job.Builder richWithout(String id) {
    return Job.builder(id)
        .handler("report")
        .trigger(
            Trigger.any(
                Trigger.cron("H 3 * * *", ZoneId.of("Europe/Berlin"))
                    .withHashKey(id)
                    .withDstPolicy(DstPolicy.INSTANT),
                Trigger.every(Duration.ofMinutes(15))
                    .startingAt(Instant.parse("2026-01-01T00:00:00.123456789Z"))
                    .endingAt(Instant.parse("2027-01-01T00:00:00Z"))
                    .withJitter(Duration.ofSeconds(5))))
        .timeout(Duration.ofMinutes(20))
        .retry(
            RetryPolicy.exponential(3, Duration.ofSeconds(30), Duration.ofMinutes(10))
                .retryOn(Set.of(IOException.class))
                .abortOn(Set.of(IllegalStateException.class))
                .withJitter(Duration.ofSeconds(2)))
        .overlap(OverlapPolicy.queue(2, 5))
        .misfire(MisfirePolicy.runAll(Duration.ofMinutes(5), 10))
        .priority(8)
        .group("reports")
        .maxRuns(100)
        .endAt(Instant.parse("2030-01-01T00:00:00Z"))
        .labels("finance", "weekly");
  }
}
