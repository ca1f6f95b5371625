package dev.chime.server.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JobSpecsRoundTripPropertiesTest {
  @Property(tries = 300)
  void aJobWrittenInTheFileFormReadsBackEqual(@ForAll("jobs") Job job) {
    assertThat(RoundTrip.back(job)).isEqualTo(job);
  }

  @Provide
  Arbitrary<Job> jobs() {
    Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(10);
    return Combinators.combine(
            ids,
            triggers(),
            retries(),
            Arbitraries.of(
                OverlapPolicy.SKIP,
                OverlapPolicy.allow(),
                OverlapPolicy.queue(2, 3),
                OverlapPolicy.replace(1)),
            Arbitraries.of(
                MisfirePolicy.RUN_ONCE,
                MisfirePolicy.skip(Duration.ofMinutes(3)),
                MisfirePolicy.runAll(Duration.ofSeconds(5), 7)),
            Arbitraries.integers().between(0, 9),
            kinds(),
            Arbitraries.longs().between(0, 50))
        .as(
            (id, trigger, retry, overlap, misfire, priority, kind, maxRuns) -> {
              Job.Builder b =
                  Job.builder(id)
                      .trigger(trigger)
                      .retry(retry)
                      .overlap(overlap)
                      .misfire(misfire)
                      .priority(priority)
                      .handler(kind.getKey())
                      .params(kind.getValue())
                      .owner(maxRuns % 2 == 0 ? "api" : "file:/x.yaml");
              if (maxRuns > 0) {
                b.maxRuns(maxRuns).timeout(Duration.ofSeconds(maxRuns)).group("g" + maxRuns % 3);
              }
              if (maxRuns % 5 == 1) {
                b.endAt(Instant.ofEpochSecond(2_000_000_000L + maxRuns)).labels("l" + maxRuns, "x");
              }
              return b.build();
            });
  }

  private static Arbitrary<Trigger> triggers() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Arbitrary<Trigger> simple =
        Arbitraries.of(
            Trigger.cron("0 3 * * *", berlin),
            Trigger.cron("0 0 12 ? * MON *", dev.chime.cron.CronDialect.QUARTZ, ZoneId.of("UTC")),
            Trigger.cron("*/10 * * * * *", berlin).withDstPolicy(dev.chime.cron.DstPolicy.INSTANT),
            Trigger.dailyAt(LocalTime.of(18, 0), berlin),
            Trigger.once(Instant.parse("2027-05-01T10:15:30Z")),
            Trigger.every(Duration.ofMinutes(15)),
            Trigger.every(Duration.ofHours(1))
                .startingAt(Instant.parse("2026-01-01T00:00:00Z"))
                .endingAt(Instant.parse("2027-01-01T00:00:00Z"))
                .fixedDelay()
                .withJitter(Duration.ofSeconds(30)),
            Trigger.after(JobId.of("a"), JobId.of("b")).on(Trigger.After.Outcome.FAILURE));
    Arbitrary<Trigger> events =
        Arbitraries.of("deploy", "order.placed", "a:b-c_1", "X".repeat(200)).map(Trigger::onEvent);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, simple),
        net.jqwik.api.Tuple.of(1, events),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.of(
                Trigger.onFile(java.nio.file.Path.of("/in")),
                Trigger.onFile(java.nio.file.Path.of("/var/spool/a b"))
                    .matching("*.{csv,tsv}")
                    .on(Trigger.OnFile.Change.DELETE)
                    .debounce(Duration.ofMillis(1500)),
                Trigger.onFile(java.nio.file.Path.of("/d")).debounce(Duration.ZERO))),
        net.jqwik.api.Tuple.of(
            1, simple.list().ofSize(2).map(list -> Trigger.any(list.toArray(Trigger[]::new)))),
        net.jqwik.api.Tuple.of(
            1, simple.list().ofSize(2).map(list -> Trigger.all(list.toArray(Trigger[]::new)))));
  }

  private static Arbitrary<RetryPolicy> retries() {
    return Arbitraries.of(
        RetryPolicy.NONE,
        RetryPolicy.fixed(3, Duration.ofSeconds(10)),
        RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofMinutes(1))
            .withJitter(Duration.ofMillis(500))
            .retryOn(java.util.Set.of(java.io.IOException.class))
            .abortOn(java.util.Set.of(IllegalStateException.class)));
  }

  private static Arbitrary<Map.Entry<String, Map<String, Object>>> kinds() {
    return Arbitraries.of(
        Map.entry("command", Map.<String, Object>of("argv", List.of("echo", "a b"))),
        Map.entry(
            "command",
            Map.<String, Object>of("shell", true, "script", "ls | wc -l", "env", Map.of("A", "1"))),
        Map.entry(
            "http",
            Map.<String, Object>of(
                "method", "POST", "url", "http://127.0.0.1:9/x", "timeout", "PT5S")),
        Map.entry(
            "cleanup",
            Map.<String, Object>of(
                "path", "/var/tmp/app", "glob", "*.tmp", "older_than", "PT168H")),
        Map.entry("report", Map.<String, Object>of("name", "sales", "pages", List.of(1, 2))),
        Map.entry("report", Map.<String, Object>of()));
  }
}
