package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Event;
import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import dev.chime.cron.CronDialect;
import dev.chime.cron.DstPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every trigger kind and policy survives the JSON; what cannot be read is named. */
class JobCodecTest {
  static final ClassLoader CLASSES = JobCodecTest.class.getClassLoader();

  private static final JobId ID = JobId.of("codec");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant T = Instant.parse("2026-03-29T01:30:00.123456789Z");

  private static Job roundTrip(Job job) {
    String json = JobCodec.encode(job);
    Job back = JobCodec.decode(job.id(), json, CLASSES);
    assertThat(back).isEqualTo(job);
    assertThat(JobCodec.encode(back)).as("encoding is stable").isEqualTo(json);
    return back;
  }

  @Test
  void paramsOfEveryJsonTypeAreWrittenAsJacksonWritesTheValue() {
    Map<String, Object> nested = new java.util.LinkedHashMap<>();
    nested.put("z", 1);
    nested.put("a", java.util.Arrays.asList("x", null, true));
    Map<String, Object> params = new java.util.LinkedHashMap<>();
    params.put("text", "quote \" and \u00e9 and \n");
    params.put("int", -7);
    params.put("long", 1L << 40);
    params.put("double", 0.1);
    params.put("float", 1.5f);
    params.put("short", (short) 3);
    params.put("byte", (byte) -2);
    params.put("decimal", new java.math.BigDecimal("1.2300"));
    params.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    params.put("flag", false);
    params.put("none", null);
    params.put("nested", nested);
    params.put("list", List.of(List.of(), Map.of()));
    Job job = Job.builder(ID.value()).handler("h").params(params).trigger(Trigger.once(T)).build();

    String json = JobCodec.encode(job);
    String expected =
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(job.params()).toString();
    assertThat(json).contains("\"params\":" + expected + ",");
    assertThat(JobCodec.decode(job.id(), json, CLASSES).params())
        .containsEntry("text", "quote \" and \u00e9 and \n")
        .containsEntry("long", 1L << 40)
        .containsEntry("nested", nested)
        .containsEntry("none", null);
  }

  private static Job withTrigger(Trigger trigger) {
    return Job.builder(ID.value()).handler("h").trigger(trigger).build();
  }

  static Stream<Trigger> triggers() {
    return Stream.of(
        Trigger.once(T),
        Trigger.every(Duration.ofMinutes(15)),
        Trigger.every(Duration.ofMillis(1500))
            .startingAt(T)
            .endingAt(T.plusSeconds(86_400))
            .withJitter(Duration.ofNanos(999)),
        Trigger.every(Duration.ofHours(1)).fixedDelay(),
        Trigger.cron("0 3 * * *", BERLIN),
        Trigger.cron("0 0 12 ? * 6L", CronDialect.QUARTZ, ZoneId.of("America/New_York")),
        Trigger.cron("30 2 * * * *", CronDialect.SPRING, BERLIN).withDstPolicy(DstPolicy.INSTANT),
        Trigger.cron("30 2 * * *", BERLIN).withDstPolicy(DstPolicy.WALL_CLOCK),
        Trigger.cron("H H(0-5) * * *", BERLIN),
        Trigger.cron("H H(0-5) * * *", BERLIN).withHashKey("nightly-backup"),
        Trigger.dailyAt(LocalTime.of(18, 0), ZoneId.of("Australia/Lord_Howe")),
        Trigger.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(8, 0), ZoneId.of("UTC")),
        Trigger.after(JobId.of("b"), JobId.of("a")),
        Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.FAILURE),
        Trigger.after(JobId.of("a")).on(Trigger.After.Outcome.COMPLETION),
        Trigger.onEvent("deploy.done"),
        Trigger.onFile(java.nio.file.Path.of("/var/spool/in")),
        Trigger.onFile(java.nio.file.Path.of("/data"))
            .matching("*.{csv,tsv}")
            .on(Trigger.OnFile.Change.DELETE, Trigger.OnFile.Change.CREATE)
            .debounce(Duration.ofMillis(1500)),
        Trigger.any(Trigger.once(T), Trigger.cron("0 3 * * *", BERLIN)),
        Trigger.all(
            Trigger.every(Duration.ofMinutes(5)),
            Trigger.any(Trigger.once(T), Trigger.after(JobId.of("x")))));
  }

  @ParameterizedTest
  @MethodSource("triggers")
  void everyTriggerKindRoundTrips(Trigger trigger) {
    Job back = roundTrip(withTrigger(trigger));
    assertThat(JobCodec.encode(back)).contains("\"v\":1").contains("\"kind\":");
  }

  @Test
  void cronKeepsItsDialectZoneDstPolicyAndHashKey() {
    Trigger.Cron cron =
        Trigger.cron("H 3 * * *", CronDialect.UNIX, BERLIN)
            .withHashKey("job-7")
            .withDstPolicy(DstPolicy.INSTANT);
    Trigger.Cron back = (Trigger.Cron) roundTrip(withTrigger(cron)).trigger();
    assertThat(back.expression().dialect()).isEqualTo(CronDialect.UNIX);
    assertThat(back.zone()).isEqualTo(BERLIN);
    assertThat(back.expression().dstPolicy()).isEqualTo(DstPolicy.INSTANT);
    assertThat(back.expression().hashKey()).isEqualTo("job-7");
    assertThat(back.nextAfter(T)).isEqualTo(cron.nextAfter(T));
  }

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of(RetryPolicy.NONE, OverlapPolicy.SKIP, MisfirePolicy.RUN_ONCE),
        Arguments.of(
            RetryPolicy.fixed(4, Duration.ofSeconds(10)),
            OverlapPolicy.allow(),
            MisfirePolicy.skip(Duration.ZERO)),
        Arguments.of(
            RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofMinutes(1))
                .retryOn(Set.of(IOException.class, TimeoutException.class))
                .abortOn(Set.of(UncheckedIOException.class))
                .withJitter(Duration.ofMillis(250)),
            OverlapPolicy.queue(3, 7),
            MisfirePolicy.runAll(Duration.ofMinutes(5), 50)),
        Arguments.of(
            RetryPolicy.fixed(2, Duration.ZERO),
            OverlapPolicy.replace(2),
            MisfirePolicy.runOnce(Duration.ofHours(1))),
        Arguments.of(RetryPolicy.NONE, OverlapPolicy.skip(4), MisfirePolicy.RUN_ONCE));
  }

  @ParameterizedTest
  @MethodSource("policies")
  void everyPolicyRoundTrips(RetryPolicy retry, OverlapPolicy overlap, MisfirePolicy misfire) {
    roundTrip(
        Job.builder("p")
            .handler("h")
            .trigger(Trigger.every(Duration.ofMinutes(1)))
            .retry(retry)
            .overlap(overlap)
            .misfire(misfire)
            .build());
  }

  @Test
  void everyOtherFieldRoundTrips() {
    roundTrip(SampleJobs.rich("rich"));
    Job plain = roundTrip(withTrigger(Trigger.once(T)));
    assertThat(plain.timeout()).isNull();
    assertThat(plain.group()).isNull();
    assertThat(plain.endAt()).isNull();
    assertThat(plain.params()).isEmpty();
    assertThat(plain.labels()).isEmpty();
    assertThat(plain.owner()).isEqualTo(Job.OWNER_CODE);
    assertThat(JobCodec.encode(plain)).doesNotContain("owner");
    Job owned =
        roundTrip(
            Job.builder("owned")
                .handler("h")
                .trigger(Trigger.once(T))
                .owner("file:a.yaml")
                .build());
    assertThat(owned.owner()).isEqualTo("file:a.yaml");
  }

  @Test
  void theJsonNamesTheHandlerAndNeverAClass() {
    String json = JobCodec.encode(SampleJobs.rich("rich"));
    assertThat(json)
        .startsWith("{\"v\":1,\"handler\":\"report\",")
        .contains("\"kind\":\"any\"")
        .contains("\"kind\":\"cron\",\"expression\":\"H 3 * * *\",\"dialect\":\"unix\"")
        .contains("\"retryOn\":[\"java.io.IOException\"]")
        .doesNotContain("\"id\"");
  }

  @Test
  void aLambdaHandlerIsRefused() {
    Job lambda = Job.of("l", Trigger.once(T), ctx -> {});
    assertThatThrownBy(() -> JobCodec.encode(lambda))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.INVALID))
        .hasMessageContaining("register a handler by name");
  }

  static Stream<Arguments> unreadable() {
    String once = "\"trigger\":{\"kind\":\"once\",\"at\":\"2026-01-01T00:00:00Z\"}";
    String ok = "{\"v\":1,\"handler\":\"h\"," + once;
    return Stream.of(
        Arguments.of("{nope", "definition is not readable JSON"),
        Arguments.of("[1]", "must be a JSON object, was array"),
        Arguments.of("{\"handler\":\"h\"," + once + "}", "v (the format version) is missing"),
        Arguments.of(
            "{\"v\":2,\"handler\":\"h\"," + once + "}",
            "format version 2 is not known (this Chime reads 1)"),
        Arguments.of("{\"v\":\"1\"}", "v must be an integer, was string"),
        Arguments.of(ok + ",\"colour\":\"red\"}", "colour: unknown field"),
        Arguments.of(ok + ",\"v\":1}", "Duplicate field 'v'"),
        Arguments.of("{\"v\":1," + once + "}", "handler is missing"),
        Arguments.of("{\"v\":1,\"handler\":\"h\"}", "trigger is missing"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"lunar\"}}",
            "trigger.kind: unknown trigger kind 'lunar' (known: once, interval, cron, after, event,"
                + " file, any, all)"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"file\",\"path\":\"/d\","
                + "\"on\":[\"touch\"],\"debounce\":\"PT1S\"}}",
            "trigger.on: unknown value 'touch'"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"file\",\"path\":\"d\","
                + "\"on\":[\"create\"],\"debounce\":\"PT1S\"}}",
            "file trigger path must be absolute, was 'd'"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"event\"}}",
            "trigger.name is missing"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"event\",\"name\":\"a/b\"}}",
            "event name 'a/b' must start with a letter or digit"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"once\",\"at\":\"2026-01-01T00:00:00Z\","
                + "\"phase\":1}}",
            "trigger.phase: unknown field"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"any\",\"triggers\":["
                + "{\"kind\":\"once\",\"at\":\"2026-01-01T00:00:00Z\"},{\"kind\":7}]}}",
            "trigger.triggers[1].kind must be a string, was number"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"interval\",\"mode\":\"fixed_rate\","
                + "\"start\":\"2026-01-01T00:00:00Z\"}}",
            "trigger.period is missing"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"cron\",\"expression\":\"0 3 * * *\","
                + "\"dialect\":\"unix\",\"zone\":\"Mars/Olympus\"}}",
            "Mars/Olympus"),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"cron\",\"expression\":\"0 25 * * *\","
                + "\"dialect\":\"unix\",\"zone\":\"UTC\"}}",
            "trigger.expression: "),
        Arguments.of(
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"cron\",\"expression\":\"0 3 * * *\","
                + "\"dialect\":\"cobol\",\"zone\":\"UTC\"}}",
            "trigger.dialect: unknown value 'cobol'"),
        Arguments.of(ok + ",\"priority\":\"5\"}", "priority must be an integer, was string"),
        Arguments.of(ok + ",\"priority\":12}", "priority must be 0-9, was 12"),
        Arguments.of(ok + ",\"priority\":12345678901}", "priority is out of range: 12345678901"),
        Arguments.of(ok + ",\"timeout\":\"soon\"}", "timeout: cannot read 'soon'"),
        Arguments.of(ok + ",\"endAt\":\"tomorrow\"}", "endAt: cannot read 'tomorrow'"),
        Arguments.of(ok + ",\"params\":[1]}", "params must be a JSON object, was array"),
        Arguments.of(ok + ",\"labels\":[1]}", "labels[0] must be a string, was number"),
        Arguments.of(ok + ",\"labels\":\"a\"}", "labels must be an array, was string"),
        Arguments.of(
            ok + ",\"overlap\":{\"mode\":\"sometimes\"}}",
            "overlap.mode: unknown value 'sometimes'"),
        Arguments.of(ok + ",\"misfire\":{\"grace\":\"PT1M\"}}", "misfire.mode is missing"),
        Arguments.of(ok + ",\"overlap\":\"skip\"}", "overlap must be a JSON object, was string"),
        Arguments.of(
            ok + ",\"retry\":{\"attempts\":2,\"retryOn\":[\"com.example.Gone\"]}}",
            "retry.retryOn: no exception class com.example.Gone here"),
        Arguments.of(
            ok + ",\"retry\":{\"attempts\":2,\"abortOn\":[\"java.lang.String\"]}}",
            "retry.abortOn: java.lang.String is not an exception type"),
        Arguments.of(ok + ",\"retry\":{\"attempts\":0}}", "attempts must be 1-100, was 0"),
        Arguments.of(ok + ",\"retry\":{\"misc\":0}}", "retry.misc: unknown field"));
  }

  @ParameterizedTest
  @MethodSource("unreadable")
  void whatCannotBeReadIsNamed(String json, String message) {
    assertThatThrownBy(() -> JobCodec.decode(ID, json, CLASSES))
        .isInstanceOf(JobFormatException.class)
        .hasMessageContaining(message);
  }

  @Test
  void optionalPartsMayBeLeftOut() {
    Job job =
        JobCodec.decode(
            ID,
            "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"interval\",\"period\":\"PT1M\","
                + "\"mode\":\"fixed_delay\",\"start\":\"2026-01-01T00:00:00Z\"},"
                + "\"misfire\":{\"mode\":\"skip\"},\"retry\":{\"attempts\":3,\"delay\":\"PT5S\"},"
                + "\"group\":null}",
            CLASSES);
    assertThat(job.retry()).isEqualTo(RetryPolicy.fixed(3, Duration.ofSeconds(5)));
    assertThat(job.misfire()).isEqualTo(MisfirePolicy.skip(MisfirePolicy.DEFAULT_GRACE));
    assertThat(job.overlap()).isEqualTo(OverlapPolicy.SKIP);
    assertThat(job.priority()).isEqualTo(Job.DEFAULT_PRIORITY);
  }

  @Test
  void eventsRoundTripAndWhatCannotBeReadIsNamed() {
    Event event = new Event("deploy", Map.of("hosts", List.of("a", "b"), "n", 3, "ok", true));
    assertThat(JobCodec.decodeEvent(JobCodec.encodeEvent(event))).isEqualTo(event);
    assertThat(JobCodec.encodeEvent(new Event("tick", null))).isEqualTo("{\"name\":\"tick\"}");
    assertThat(JobCodec.decodeEvent("{\"name\":\"tick\"}")).isEqualTo(new Event("tick", null));
    assertThat(JobCodec.encodeEvent(null)).isNull();
    assertThat(JobCodec.decodeEvent(null)).isNull();
    assertThatThrownBy(() -> JobCodec.decodeEvent("{\"name\":\"x\",\"payload\":[1]}"))
        .isInstanceOf(JobFormatException.class)
        .hasMessage("event.payload must be a JSON object, was array");
    assertThatThrownBy(() -> JobCodec.decodeEvent("{\"name\":\"x\",\"when\":1}"))
        .isInstanceOf(JobFormatException.class)
        .hasMessageContaining("event.when: unknown field");
    assertThatThrownBy(() -> JobCodec.decodeEvent("{\"name\":\"\"}"))
        .isInstanceOf(JobFormatException.class)
        .hasMessage("event: event name must be 1-200 characters, was 0");
  }

  @Test
  void jsonValuesRoundTrip() {
    Object value = Map.of("list", List.of(1, 2.5, "x", true), "big", 12_345_678_901L);
    assertThat(JobCodec.decodeValue(JobCodec.encodeValue(value), "result")).isEqualTo(value);
    assertThat(JobCodec.encodeValue(null)).isNull();
    assertThat(JobCodec.decodeValue(null, "result")).isNull();
    assertThat(JobCodec.decodeValue("\"text\"", "result")).isEqualTo("text");
    assertThatThrownBy(() -> JobCodec.decodeValue("{", "result"))
        .isInstanceOf(JobFormatException.class)
        .hasMessageContaining("result is not readable JSON");
  }
}
