package dev.chime.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Job;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import dev.chime.testkit.FakeClock;
import dev.chime.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private final FakeClock clock = FakeClock.at(T0);
  private final ManualScheduler scheduler = ManualScheduler.builder(clock).build();
  private ServerMetrics metrics;

  @AfterEach
  void close() {
    scheduler.close();
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void countsRunsByJobAndOutcome() {
    metrics = ServerMetrics.bind(scheduler);
    scheduler.register("ok", ctx -> {});
    scheduler.register(
        "boom",
        ctx -> {
          throw new IllegalStateException("no");
        });
    scheduler.schedule(job("good", "ok", T0.plusSeconds(1)));
    scheduler.schedule(job("bad", "boom", T0.plusSeconds(1)));
    scheduler.schedule(job("good-again", "ok", T0.plusSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    scheduler.runDue();
    scheduler.runNow(dev.chime.JobId.of("good"), true);
    scheduler.runDue();

    assertThat(count("chime.runs", "good", "succeeded")).isEqualTo(2);
    assertThat(count("chime.runs", "bad", "failed")).isEqualTo(1);
    assertThat(count("chime.runs", "good-again", "succeeded")).isEqualTo(1);
    assertThat(
            metrics
                .registry()
                .find("chime.runs")
                .tag("job", "bad")
                .tag("outcome", "succeeded")
                .counter())
        .isNull();
    assertThat(metrics.registry().get("chime.run.claims").counter().count()).isEqualTo(4);
    assertThat(metrics.registry().get("chime.job.changes").tag("change", "added").counter().count())
        .isEqualTo(3);
    assertThat(gauge("chime.runs.running")).isZero();
    assertThat(gauge("chime.runs.queued")).isZero();
  }

  @Test
  void recordsLatenessAndDuration() {
    metrics = ServerMetrics.bind(scheduler);
    scheduler.register("slow", ctx -> clock.advance(Duration.ofSeconds(2)));
    scheduler.schedule(job("late", "slow", T0.plusSeconds(10)));
    clock.advance(Duration.ofSeconds(15)); // five seconds after the occurrence
    scheduler.runDue();

    var lateness = metrics.registry().get("chime.run.lateness").tag("job", "late").timer();
    assertThat(lateness.count()).isEqualTo(1);
    assertThat(lateness.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5000);
    var duration =
        metrics
            .registry()
            .get("chime.run.duration")
            .tag("job", "late")
            .tag("outcome", "succeeded")
            .timer();
    assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2000);
  }

  /** A retry starts after its backoff by design: lateness counts first attempts only. */
  @Test
  void latenessLeavesRetriesOut() {
    metrics = ServerMetrics.bind(scheduler);
    scheduler.register(
        "once-failing",
        ctx -> {
          if (ctx.attempt() == 1) {
            throw new IllegalStateException("try again");
          }
        });
    scheduler.schedule(
        Job.builder("retried")
            .handler("once-failing")
            .trigger(Trigger.once(T0.plusSeconds(10)))
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ofMinutes(5)))
            .build());
    clock.advance(Duration.ofSeconds(10));
    scheduler.runDue();
    clock.advance(Duration.ofMinutes(5));
    scheduler.runDue();
    assertThat(count("chime.runs", "retried", "succeeded")).isEqualTo(1);
    var lateness = metrics.registry().get("chime.run.lateness").tag("job", "retried").timer();
    assertThat(lateness.count()).isEqualTo(1);
    assertThat(lateness.totalTime(TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void gaugesFollowRunningAndRetryingRuns() throws Exception {
    metrics = ServerMetrics.bind(scheduler);
    CountDownLatch seen = new CountDownLatch(1);
    double[] whileRunning = new double[1];
    scheduler.register(
        "watch",
        ctx -> {
          whileRunning[0] = gauge("chime.runs.running");
          seen.countDown();
          throw new IllegalStateException("try again");
        });
    scheduler.schedule(
        Job.builder("flaky")
            .handler("watch")
            .trigger(Trigger.once(T0.plusSeconds(1)))
            .retry(RetryPolicy.fixed(2, Duration.ofMinutes(1)))
            .build());
    clock.advance(Duration.ofSeconds(1));
    scheduler.runDue();

    assertThat(seen.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(gauge("chime.runs.retrying")).isEqualTo(1);
    assertThat(metrics.registry().get("chime.run.retries").tag("job", "flaky").counter().count())
        .isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    scheduler.runDue();
    assertThat(gauge("chime.runs.retrying")).isZero();
    assertThat(count("chime.runs", "flaky", "failed")).isEqualTo(2);
  }

  @Test
  void closedBeforeFirstUseItCountsNothing() {
    metrics = ServerMetrics.bind(scheduler);
    metrics.close();
    scheduler.register("ok", ctx -> {});
    scheduler.schedule(job("after-close", "ok", T0.plusSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    scheduler.runDue();

    assertThat(metrics.registry().find("chime.runs").counter()).isNull();
    assertThat(metrics.registry().find("chime.job.changes").counter()).isNull();
  }

  @Test
  void capsTheJobTag() {
    metrics = ServerMetrics.bind(scheduler, 2);
    scheduler.register("ok", ctx -> {});
    for (String id : new String[] {"a", "b", "c", "d"}) {
      scheduler.schedule(job(id, "ok", T0.plusSeconds(1)));
    }
    clock.advance(Duration.ofSeconds(1));
    scheduler.runDue();

    assertThat(count("chime.runs", "a", "succeeded") + count("chime.runs", "b", "succeeded"))
        .isEqualTo(2);
    assertThat(count("chime.runs", ServerMetrics.OTHER_JOBS, "succeeded")).isEqualTo(2);
    assertThat(gauge("chime.jobs.tagged")).isEqualTo(2);
  }

  @Test
  void scrapesPrometheusText() {
    metrics = ServerMetrics.bind(scheduler);
    scheduler.register("ok", ctx -> {});
    scheduler.schedule(job("nightly", "ok", T0.plusSeconds(1)));
    clock.advance(Duration.ofSeconds(3));
    scheduler.runDue();

    String text = metrics.scrape();
    assertThat(text)
        .contains("# TYPE chime_runs_total counter")
        .contains("chime_runs_total{job=\"nightly\",outcome=\"succeeded\"} 1")
        .contains("chime_run_lateness_seconds_count{job=\"nightly\"} 1")
        .contains("chime_run_lateness_seconds_sum{job=\"nightly\"} 2")
        .contains("chime_run_lateness_seconds_bucket{job=\"nightly\",le=\"10.0\"} 1")
        .contains("chime_run_duration_seconds_bucket{job=\"nightly\",outcome=\"succeeded\",le=")
        .contains("chime_runs_queued 0")
        .contains("chime_runs_running 0")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
  }

  @Test
  void ignoresEventsOnceClosed() {
    metrics = ServerMetrics.bind(scheduler);
    scheduler.register("ok", ctx -> {});
    metrics.close();
    scheduler.schedule(job("after", "ok", T0.plusSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    scheduler.runDue();
    assertThat(metrics.registry().find("chime.runs").counter()).isNull();
  }

  @Test
  void refusesABadTagLimit() {
    assertThatThrownBy(() -> ServerMetrics.bind(scheduler, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jobTagLimit must be 1-10000, was 0");
  }

  private static Job job(String id, String handler, Instant at) {
    return Job.builder(id).handler(handler).trigger(Trigger.once(at)).build();
  }

  private double count(String name, String job, String outcome) {
    var counter = metrics.registry().find(name).tag("job", job).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private double gauge(String name) {
    return metrics.registry().get(name).gauge().value();
  }
}
