package dev.chime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobTest {
  private static final Trigger NIGHTLY = Trigger.cron("0 3 * * *", ZoneId.of("Europe/Berlin"));

  @Test
  void buildsWithDefaults() {
    Job job = Job.builder("nightly-backup").handler("pg-dump").trigger(NIGHTLY).build();
    assertThat(job.id()).isEqualTo(JobId.of("nightly-backup"));
    assertThat(job.params()).isEmpty();
    assertThat(job.timeout()).isNull();
    assertThat(job.retry()).isEqualTo(RetryPolicy.NONE);
    assertThat(job.overlap()).isEqualTo(OverlapPolicy.SKIP);
    assertThat(job.misfire()).isEqualTo(MisfirePolicy.RUN_ONCE);
    assertThat(job.priority()).isEqualTo(Job.DEFAULT_PRIORITY);
    assertThat(job.group()).isNull();
    assertThat(job.maxRuns()).isZero();
    assertThat(job.endAt()).isNull();
    assertThat(job.labels()).isEmpty();
    assertThat(job.owner()).isEqualTo(Job.OWNER_CODE);
  }

  @Test
  void ownerIsKeptAndChecked() {
    Job job =
        Job.builder("j").handler("h").trigger(NIGHTLY).owner("file:/etc/chime/jobs.yaml").build();
    assertThat(job.owner()).isEqualTo("file:/etc/chime/jobs.yaml");
    Job.Builder builder = Job.builder("j");
    assertThatThrownBy(() -> builder.owner(" "))
        .hasMessage("owner of job j must be 1-1000 characters without control characters");
    assertThatThrownBy(() -> builder.owner("a\nb")).hasMessageStartingWith("owner of job j");
    assertThatThrownBy(() -> builder.owner(null)).hasMessage("owner must not be null");
  }

  @Test
  void durationsAndInstantsOutsideWhatStoresHoldAreRefusedNamingThePart() {
    Duration tooLong = Job.LONGEST.plusDays(1);
    String tooLongText = "must be at most 36500 days (100 years), was PT876024H";
    Job.Builder builder = Job.builder("j").handler("h").trigger(NIGHTLY);
    assertThatThrownBy(() -> builder.timeout(tooLong)).hasMessage("timeout " + tooLongText);
    assertThatThrownBy(() -> builder.endAt(Instant.parse("+10000-01-01T00:00:00Z")))
        .hasMessage(
            "endAt must be 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, was"
                + " +10000-01-01T00:00:00Z");
    assertThatThrownBy(() -> RetryPolicy.fixed(2, tooLong)).hasMessage("max delay " + tooLongText);
    assertThatThrownBy(
            () ->
                RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofMinutes(1))
                    .withJitter(tooLong))
        .hasMessage("jitter " + tooLongText);
    assertThatThrownBy(() -> MisfirePolicy.skip(tooLong)).hasMessage("grace " + tooLongText);
    Job longest =
        builder
            .timeout(Job.LONGEST)
            .endAt(Job.LATEST)
            .retry(RetryPolicy.fixed(2, Job.LONGEST))
            .misfire(MisfirePolicy.skip(Job.LONGEST))
            .build();
    assertThat(longest.timeout()).isEqualTo(Job.LONGEST);
    assertThat(longest.endAt()).isEqualTo(Job.LATEST);
    Job job = Job.builder("j").handler("h").trigger(NIGHTLY).build();
    assertThatThrownBy(
            () ->
                new Job(
                    job.id(),
                    "h",
                    Map.of(),
                    NIGHTLY,
                    tooLong,
                    job.retry(),
                    job.overlap(),
                    job.misfire(),
                    5,
                    null,
                    0,
                    null,
                    Set.of(),
                    null,
                    null))
        .hasMessage("timeout " + tooLongText);
  }

  @Test
  void buildsWithEveryPart() {
    Instant end = Instant.parse("2027-01-01T00:00:00Z");
    Job job =
        Job.builder("report")
            .handler("render")
            .params(Map.of("format", "pdf", "pages", List.of(1, 2), "scale", 1.5, "draft", false))
            .trigger(NIGHTLY)
            .timeout(Duration.ofMinutes(30))
            .retry(RetryPolicy.fixed(3, Duration.ofSeconds(30)))
            .overlap(OverlapPolicy.queue(1, 1))
            .misfire(MisfirePolicy.skip(Duration.ofMinutes(5)))
            .priority(9)
            .group("reports")
            .maxRuns(10)
            .endAt(end)
            .labels("team:data", "nightly")
            .build();
    assertThat(job.params()).containsEntry("format", "pdf").containsEntry("pages", List.of(1, 2));
    assertThat(job.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(job.priority()).isEqualTo(9);
    assertThat(job.group()).isEqualTo("reports");
    assertThat(job.maxRuns()).isEqualTo(10);
    assertThat(job.endAt()).isEqualTo(end);
    assertThat(job.labels()).containsExactlyInAnyOrder("team:data", "nightly");
  }

  @Test
  void paramsAreCopiedAndChecked() {
    Map<String, Object> nested = new HashMap<>();
    nested.put("limit", 10L);
    nested.put("nothing", null);
    nested.put("big", new BigDecimal("1.25"));
    Map<String, Object> params = new HashMap<>(Map.of("inner", nested));
    Job job = Job.builder("j").handler("h").trigger(NIGHTLY).params(params).build();
    params.put("later", "ignored");
    nested.put("limit", 99L);
    assertThat(job.params()).containsOnlyKeys("inner");
    @SuppressWarnings("unchecked")
    Map<String, Object> inner = (Map<String, Object>) job.params().get("inner");
    assertThat(inner).containsEntry("limit", 10L).containsEntry("nothing", null);
    assertThatThrownBy(() -> inner.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () -> Job.builder("j").params(Map.of("files", List.of("a", new java.io.File("b")))))
        .hasMessage(
            "params.files[1]: a java.io.File is not JSON (use strings, numbers, booleans, null,"
                + " lists and maps)");
    assertThatThrownBy(() -> Job.builder("j").params(Map.of("m", Map.of(1, "x"))))
        .hasMessage("params.m: keys must be strings, was 1");
  }

  @Test
  void settersRejectBadValuesAtOnceNamingThem() {
    Job.Builder builder = Job.builder("j");
    assertThatThrownBy(() -> builder.priority(10)).hasMessage("priority must be 0-9, was 10");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .hasMessage("timeout must be positive, was PT0S");
    assertThatThrownBy(() -> builder.maxRuns(0)).hasMessage("maxRuns must be at least 1, was 0");
    assertThatThrownBy(() -> builder.handler("has space"))
        .hasMessage(
            "handler 'has space' must be 1-100 letters, digits or . _ : - (starting with a letter"
                + " or digit)");
    assertThatThrownBy(() -> builder.group("")).hasMessageStartingWith("group '' must be");
    assertThatThrownBy(() -> builder.labels("ok", "-bad")).hasMessageStartingWith("label '-bad'");
    assertThatThrownBy(() -> builder.trigger(null)).hasMessage("trigger must not be null");
    assertThatThrownBy(() -> Job.builder("not valid"))
        .hasMessageStartingWith("job id 'not valid' must start");
  }

  @Test
  void buildNamesTheMissingPart() {
    assertThatThrownBy(() -> Job.builder("j").trigger(NIGHTLY).build())
        .hasMessage("handler must be set for job j");
    assertThatThrownBy(() -> Job.builder("j").handler("h").build())
        .hasMessage("trigger must be set for job j");
  }
}
