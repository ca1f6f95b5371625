package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import dev.chime.cron.CronDialect;
import dev.chime.cron.DstPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Any job the builder accepts comes back from the JSON equal, and encodes the same again. */
class JobCodecPropertiesTest {

  @Property(tries = 500)
  void anyJobRoundTrips(@ForAll("jobs") Job job) {
    String json = JobCodec.encode(job);
    Job back = JobCodec.decode(job.id(), json, JobCodecTest.CLASSES);
    assertThat(back).isEqualTo(job);
    assertThat(JobCodec.encode(back)).isEqualTo(json);
  }

  @Provide
  Arbitrary<Job> jobs() {
    Arbitrary<String> names =
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
    return Combinators.combine(
            names,
            Arbitraries.frequencyOf(
                Tuple.of(9, trigger(2)),
                Tuple.of(1, eventNames().map(Trigger::onEvent)),
                Tuple.of(1, files())),
            retries(),
            overlaps(),
            misfires(),
            Arbitraries.integers().between(0, 9),
            params(),
            Arbitraries.longs().between(0, 1_000_000))
        .as(
            (name, trigger, retry, overlap, misfire, priority, params, maxRuns) -> {
              Job.Builder job =
                  Job.builder("job-" + name)
                      .handler("h-" + name)
                      .trigger(trigger)
                      .retry(retry)
                      .overlap(overlap)
                      .misfire(misfire)
                      .priority(priority)
                      .params(params)
                      .labels("l" + (maxRuns % 3), "x");
              if (maxRuns % 2 == 1) {
                job.maxRuns(maxRuns).timeout(Duration.ofNanos(maxRuns)).group("g" + name);
                job.endAt(Instant.ofEpochSecond(maxRuns * 1000, maxRuns));
              }
              return job.build();
            });
  }

  private static Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(-2_000_000_000L, 8_000_000_000L)
        .flatMap(
            s ->
                Arbitraries.integers()
                    .between(0, 999_999_999)
                    .map(n -> Instant.ofEpochSecond(s, n)));
  }

  /** Event names: a letter or digit, then any of the characters names may use. */
  private static Arbitrary<String> eventNames() {
    Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
    Arbitrary<String> rest =
        Arbitraries.strings().alpha().numeric().withChars("._:-").ofMaxLength(199);
    return Combinators.combine(first, rest).as((head, tail) -> head + tail);
  }

  private static Arbitrary<Trigger> files() {
    return Combinators.combine(
            Arbitraries.of("/in", "/var/spool/a b", "/data/ünï"),
            Arbitraries.of("*.csv", "report-?.{pdf,txt}").injectNull(0.3),
            Arbitraries.of(Trigger.OnFile.Change.class).set().ofMinSize(1),
            Arbitraries.longs().between(0, 3_600_000).map(Duration::ofMillis))
        .as(
            (path, glob, on, debounce) ->
                new Trigger.OnFile(java.nio.file.Path.of(path), glob, on, debounce));
  }

  private static Arbitrary<Trigger> trigger(int depth) {
    Arbitrary<Trigger> leaf =
        Arbitraries.oneOf(
            instants().map(Trigger::once),
            intervals(),
            crons(),
            Arbitraries.of("a", "b", "c", "d")
                .set()
                .ofMinSize(1)
                .flatMap(
                    ids ->
                        Arbitraries.of(Trigger.After.Outcome.class)
                            .map(
                                outcome ->
                                    new Trigger.After(
                                        Set.copyOf(ids.stream().map(JobId::of).toList()),
                                        outcome))));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<List<Trigger>> children = trigger(depth - 1).list().ofMinSize(2).ofMaxSize(3);
    return Arbitraries.oneOf(
        leaf, leaf, children.map(Trigger.Any::new), children.map(Trigger.All::new));
  }

  private static Arbitrary<Trigger> intervals() {
    return Combinators.combine(
            Arbitraries.longs().between(1, 10_000_000_000L),
            instants(),
            Arbitraries.of(Trigger.Interval.Mode.class),
            Arbitraries.integers().between(0, 3))
        .as(
            (periodMillis, start, mode, shape) -> {
              Duration period = Duration.ofMillis(periodMillis);
              Trigger.Interval interval =
                  new Trigger.Interval(period, mode, start, null, Duration.ZERO);
              if (shape >= 1) {
                interval = interval.endingAt(start.plus(period.multipliedBy(shape)));
              }
              if (shape >= 2) {
                interval = interval.withJitter(period.dividedBy(shape));
              }
              return interval;
            });
  }

  private static Arbitrary<Trigger> crons() {
    return Combinators.combine(
            Arbitraries.of(
                "0 3 * * *", "*/5 9-17 * * mon-fri", "H H(0-5) * * *", "0 0 L * *", "30 2 * * sun"),
            Arbitraries.of(DstPolicy.class),
            Arbitraries.of(ZoneId.getAvailableZoneIds().stream().sorted().toList()),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).injectNull(0.3))
        .as(
            (text, dst, zone, key) -> {
              Trigger.Cron cron = Trigger.cron(text, CronDialect.UNIX, ZoneId.of(zone));
              if (key != null) {
                cron = cron.withHashKey(key);
              }
              return (Trigger) cron.withDstPolicy(dst);
            });
  }

  private static Arbitrary<RetryPolicy> retries() {
    return Combinators.combine(
            Arbitraries.integers().between(1, RetryPolicy.MAX_ATTEMPTS),
            Arbitraries.of(RetryPolicy.Backoff.class),
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.of(IllegalStateException.class, java.io.IOException.class).set())
        .as(
            (attempts, backoff, delay, extra, types) ->
                new RetryPolicy(
                    attempts,
                    backoff,
                    Duration.ofMillis(delay),
                    Duration.ofMillis(delay + extra),
                    Set.copyOf(types),
                    Set.of(),
                    Duration.ofNanos(extra)));
  }

  private static Arbitrary<OverlapPolicy> overlaps() {
    return Arbitraries.oneOf(
        Arbitraries.just(OverlapPolicy.allow()),
        Arbitraries.integers().between(1, OverlapPolicy.MAX_CONCURRENT).map(OverlapPolicy::skip),
        Arbitraries.integers().between(1, 50).map(n -> OverlapPolicy.queue(n, n * 2)),
        Arbitraries.integers().between(1, 50).map(OverlapPolicy::replace));
  }

  private static Arbitrary<MisfirePolicy> misfires() {
    Arbitrary<Duration> grace = Arbitraries.longs().between(0, 86_400).map(Duration::ofSeconds);
    return Arbitraries.oneOf(
        grace.map(MisfirePolicy::runOnce),
        grace.map(MisfirePolicy::skip),
        grace.flatMap(
            g ->
                Arbitraries.integers()
                    .between(1, MisfirePolicy.MAX_CAP)
                    .map(c -> MisfirePolicy.runAll(g, c))));
  }

  private static Arbitrary<Map<String, Object>> params() {
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
            Arbitraries.integers().map(i -> (Object) i),
            Arbitraries.longs().greaterOrEqual(1L << 40).map(l -> (Object) l),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Object) d),
            Arbitraries.integers().list().ofMaxSize(3).map(l -> (Object) l));
    return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6), values)
        .ofMaxSize(4);
  }
}
