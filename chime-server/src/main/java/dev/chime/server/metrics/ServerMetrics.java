package dev.chime.server.metrics;

import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.SchedulerEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's meters in a Prometheus registry, fed by a {@link dev.chime.SchedulerListener} on the
 * scheduler: runs by job and outcome, run durations, lateness, runs waiting and running, job
 * changes, plus JVM basics. {@link #scrape()} is the text {@code GET /metrics} serves. The meters
 * are listed in docs/metrics.md.
 *
 * <p>Job ids are user data, so the {@code job} tag is capped: the first {@link
 * #DEFAULT_JOB_TAG_LIMIT} distinct job ids seen get their own series, later ones share the tag
 * value {@value #OTHER_JOBS}. A few thousand jobs would otherwise make tens of thousands of series.
 */
public final class ServerMetrics implements AutoCloseable {
  /** How many distinct job ids get their own {@code job} tag value, unless set. */
  public static final int DEFAULT_JOB_TAG_LIMIT = 100;

  /** The content type of {@link #scrape()}'s text, for the {@code /metrics} response. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The {@code job} tag value of every job past the limit. */
  public static final String OTHER_JOBS = "_other";

  /** Histogram bucket bounds of run durations: 10 ms to 1 h. */
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(100),
    Duration.ofSeconds(1),
    Duration.ofSeconds(10),
    Duration.ofMinutes(1),
    Duration.ofMinutes(10),
    Duration.ofHours(1)
  };

  /** Histogram bucket bounds of lateness: 1 ms to 1 min. */
  private static final Duration[] LATENESS_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(10),
    Duration.ofMillis(100),
    Duration.ofSeconds(1),
    Duration.ofSeconds(10),
    Duration.ofMinutes(1)
  };

  private final JobTags jobs;
  private final Map<RunId, Phase> live = new ConcurrentHashMap<>();
  private final Map<Phase, AtomicInteger> phases = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile PrometheusMeterRegistry registry; // created on first use: see meters()
  private JvmGcMetrics gc; // guarded by this; set when the JVM meters are bound

  /** Where a live run is: what the waiting and running gauges count. */
  private enum Phase {
    QUEUED,
    RUNNING,
    RETRYING
  }

  private ServerMetrics(int jobTagLimit) {
    this.jobs = new JobTags(jobTagLimit);
    for (Phase phase : Phase.values()) {
      phases.put(phase, new AtomicInteger());
    }
  }

  /**
   * The registry with Chime's gauges, created on first use (a scrape, a meter to record, {@link
   * #registry()}); the JVM's meters join it at the first scrape. An idle server that nobody scrapes
   * thus loads neither Micrometer and Prometheus nor the JVM's management classes
   * (docs/benchmarks.md, Server). Gauges read their values when scraped, so they are the same
   * either way; the JVM's GC counters count from the first scrape on.
   */
  private PrometheusMeterRegistry meters() {
    PrometheusMeterRegistry current = registry;
    if (current == null) {
      synchronized (this) {
        current = registry;
        if (current == null) {
          current = create();
          registry = current;
        }
      }
    }
    return current;
  }

  private PrometheusMeterRegistry create() {
    PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    gauge(created, Phase.QUEUED, "chime.runs.queued", "Runs admitted and waiting to start");
    gauge(created, Phase.RUNNING, "chime.runs.running", "Runs whose handler is running");
    gauge(
        created,
        Phase.RETRYING,
        "chime.runs.retrying",
        "Failed runs waiting for their retry's backoff");
    Gauge.builder("chime.jobs.tagged", jobs, JobTags::size)
        .description("Distinct job ids with their own job tag value (capped)")
        .register(created);
    return created;
  }

  /** Meters fed by the scheduler's events from now on, with the default job tag limit. */
  public static ServerMetrics bind(Scheduler scheduler) {
    return bind(scheduler, DEFAULT_JOB_TAG_LIMIT);
  }

  /** Meters fed by the scheduler's events; at most {@code jobTagLimit} (1-10,000) job tags. */
  public static ServerMetrics bind(Scheduler scheduler, int jobTagLimit) {
    Objects.requireNonNull(scheduler, "scheduler must not be null");
    if (jobTagLimit < 1 || jobTagLimit > 10_000) {
      throw new IllegalArgumentException("jobTagLimit must be 1-10000, was " + jobTagLimit);
    }
    ServerMetrics metrics = new ServerMetrics(jobTagLimit);
    scheduler.addListener(metrics::onEvent);
    return metrics;
  }

  /** The registry, to add meters of your own. */
  public MeterRegistry registry() {
    return meters();
  }

  /** Every meter in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    PrometheusMeterRegistry current = meters();
    bindJvmMeters(current);
    return current.scrape();
  }

  /** The JVM's meters, bound at the first scrape: they need the JVM's management classes. */
  private synchronized void bindJvmMeters(PrometheusMeterRegistry current) {
    if (gc != null) {
      return;
    }
    new JvmMemoryMetrics().bindTo(current);
    new JvmThreadMetrics().bindTo(current);
    new ClassLoaderMetrics().bindTo(current);
    new ProcessorMetrics().bindTo(current);
    new UptimeMetrics().bindTo(current);
    gc = new JvmGcMetrics();
    gc.bindTo(current);
  }

  /** Stops counting (the scheduler keeps the listener, which then ignores events). */
  @Override
  public synchronized void close() {
    closed = true;
    if (gc != null) {
      gc.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private void gauge(MeterRegistry created, Phase phase, String name, String description) {
    Gauge.builder(name, phases.get(phase), AtomicInteger::get)
        .description(description)
        .register(created);
  }

  private void onEvent(SchedulerEvent event) {
    if (closed) {
      return;
    }
    switch (event) {
      case SchedulerEvent.RunChanged changed -> onRun(changed.run());
      case SchedulerEvent.JobChanged changed ->
          Counter.builder("chime.job.changes")
              .description("Jobs added, updated, paused, resumed, finished, reopened or deleted")
              .tag("change", lower(changed.change()))
              .register(meters())
              .increment();
      case SchedulerEvent.PipelineChanged ignored -> {}
    }
  }

  private void onRun(Run run) {
    String job = jobs.tag(run.jobId().value());
    RunState state = run.state();
    switch (state) {
      case SCHEDULED -> move(run.id(), Phase.QUEUED);
      case CLAIMED -> {
        move(run.id(), Phase.QUEUED);
        Counter.builder("chime.run.claims")
            .description("Occurrences this node took to run (admitted, about to start)")
            .register(meters())
            .increment();
      }
      case RETRYING -> {
        move(run.id(), Phase.RETRYING);
        Counter.builder("chime.run.retries")
            .description("Retries scheduled after a failed attempt")
            .tag("job", job)
            .register(meters())
            .increment();
      }
      case RUNNING -> {
        move(run.id(), Phase.RUNNING);
        recordLateness(run, job);
      }
      default -> ended(run, job);
    }
  }

  /**
   * First attempts only: a retry keeps its occurrence's scheduled-for and starts after its backoff
   * by design, which is not the scheduler being late (it read as a run minutes late).
   */
  private void recordLateness(Run run, String job) {
    Duration late = run.lateness();
    if (late != null && run.attempt() == 1) {
      Timer.builder("chime.run.lateness")
          .description(
              "How late first attempts started after their occurrence (start minus scheduled-for)")
          .tag("job", job)
          .serviceLevelObjectives(LATENESS_BUCKETS)
          .register(meters())
          .record(late.isNegative() ? Duration.ZERO : late);
    }
  }

  private void ended(Run run, String job) {
    move(run.id(), null);
    String outcome = lower(run.state());
    Counter.builder("chime.runs")
        .description("Runs ended, by job and outcome")
        .tag("job", job)
        .tag("outcome", outcome)
        .register(meters())
        .increment();
    if (run.startedAt() != null && run.finishedAt() != null) {
      Duration took = Duration.between(run.startedAt(), run.finishedAt());
      Timer.builder("chime.run.duration")
          .description("How long runs ran, from start to end, by job and outcome")
          .tag("job", job)
          .tag("outcome", outcome)
          .serviceLevelObjectives(DURATION_BUCKETS)
          .register(meters())
          .record(took.isNegative() ? Duration.ZERO : took);
    }
  }

  /** Moves a live run to a phase (null: it ended), keeping the gauges' counts. */
  private void move(RunId id, Phase to) {
    Phase from = to == null ? live.remove(id) : live.put(id, to);
    if (from != null) {
      phases.get(from).decrementAndGet();
    }
    if (to != null) {
      phases.get(to).incrementAndGet();
    }
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The job tag values: the first {@code limit} job ids as they are, the rest as one. */
  private static final class JobTags {
    private final int limit;
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    JobTags(int limit) {
      this.limit = limit;
    }

    String tag(String jobId) {
      if (seen.containsKey(jobId)) {
        return jobId;
      }
      if (seen.size() >= limit) {
        return OTHER_JOBS;
      }
      seen.put(jobId, Boolean.TRUE);
      return jobId;
    }

    double size() {
      return seen.size();
    }
  }
}
