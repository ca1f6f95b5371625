package dev.chime.bench.engine;

import dev.chime.bench.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code engine} scenario: Chime, Quartz, JobRunr and the JDK's ScheduledThreadPoolExecutor,
 * one after another in this JVM, with the same thread count and the same passes ({@link
 * EngineBench}). System properties: {@code bench.quick=true} (a twentieth of the jobs, for a smoke
 * run), {@code bench.threads=N} (default 8), {@code bench.systems=chime,jdk} (a subset), {@code
 * bench.sizes.SYSTEM=EXECUTIONS,PENDING,SECONDS} (other job counts for one system).
 */
public final class EngineScenario {
  static final String SCENARIO = "engine";

  private EngineScenario() {}

  /** Every system in table order. */
  static List<EngineSubject> subjects() {
    return List.of(new ChimeEngine(), new QuartzEngine(), new JobRunrEngine(), new JdkEngine());
  }

  /** Measures, writes {@code output} and prints the table; false when nothing could be measured. */
  public static boolean run(Path output) throws IOException {
    boolean quick = Boolean.getBoolean("bench.quick");
    int threads = Integer.getInteger("bench.threads", 8);
    String only = System.getProperty("bench.systems", "");
    Set<String> wanted = only.isBlank() ? Set.of() : Set.of(only.split(","));
    Sizes standard = Sizes.standard(quick);
    EngineBench.log(
        "engine: %d worker threads per system, %d CPUs, max heap %d MiB%s",
        threads,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        quick ? ", QUICK MODE (numbers not worth reporting)" : "");
    EngineBench bench = new EngineBench(threads);
    List<EngineBench.Result> results = new ArrayList<>();
    for (EngineSubject subject : subjects()) {
      if (wanted.isEmpty() || wanted.contains(subject.name())) {
        results.add(bench.measure(subject, standard));
      }
    }
    List<Metric> metrics = new ArrayList<>();
    results.forEach(r -> metrics.addAll(metrics(r)));
    Files.writeString(output, Metric.toJson(metrics));
    printTable(results, threads, quick);
    System.out.println("wrote " + output);
    return metrics.stream().anyMatch(m -> Double.isFinite(m.value()));
  }

  /**
   * The contract's metrics, then extras: the job counts, p50 at 200k/s and the early starts. Values
   * that are not finite (a pass that failed or never finished) are left out of the JSON.
   */
  static List<Metric> metrics(EngineBench.Result r) {
    List<Metric> metrics = new ArrayList<>();
    metrics.add(metric(r, "executions_per_sec", r.executionsPerSec, "jobs/s"));
    metrics.add(metric(r, "lateness_p50_us", r.low == null ? Double.NaN : r.low.p50Us(), "us"));
    metrics.add(metric(r, "lateness_p99_us", r.low == null ? Double.NaN : r.low.p99Us(), "us"));
    metrics.add(
        metric(r, "lateness_p99_us_200k", r.high == null ? Double.NaN : r.high.p99Us(), "us"));
    metrics.add(metric(r, "schedule_ns", r.scheduleNs, "ns"));
    metrics.add(metric(r, "heap_bytes_per_pending_job", r.heapBytes, "bytes"));
    metrics.add(
        metric(r, "lateness_p50_us_200k", r.high == null ? Double.NaN : r.high.p50Us(), "us"));
    metrics.add(metric(r, "early_starts", r.low == null ? Double.NaN : r.low.early(), "jobs"));
    metrics.add(
        metric(r, "early_starts_200k", r.high == null ? Double.NaN : r.high.early(), "jobs"));
    metrics.add(metric(r, "executions_jobs", r.sizes.executions(), "jobs"));
    metrics.add(metric(r, "pending_jobs", r.sizes.pending(), "jobs"));
    metrics.add(metric(r, "lateness_jobs", r.low == null ? Double.NaN : r.low.jobs(), "jobs"));
    metrics.add(
        metric(r, "lateness_jobs_200k", r.high == null ? Double.NaN : r.high.jobs(), "jobs"));
    return metrics;
  }

  private static Metric metric(EngineBench.Result r, String name, double value, String unit) {
    return new Metric(r.system, SCENARIO, name, value, unit);
  }

  private static void printTable(List<EngineBench.Result> results, int threads, boolean quick) {
    System.out.printf(
        Locale.ROOT,
        "%n%-8s %16s %10s %10s %6s %11s %11s %6s %12s %11s%n",
        "system",
        "executions/s",
        "p50 us",
        "p99 us",
        "early",
        "p50 us",
        "p99 us",
        "early",
        "schedule ns",
        "bytes/job");
    System.out.printf(
        Locale.ROOT,
        "%-8s %16s %29s %31s %12s %11s%n",
        "",
        "(jobs)",
        "at 10k jobs/s (jobs)",
        "at 200k jobs/s (jobs)",
        "(pending)",
        "(pending)");
    for (EngineBench.Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-8s %16s %10s %10s %6s %11s %11s %6s %12s %11s%n",
          r.system,
          number(r.executionsPerSec),
          r.low == null ? "n/a" : number(r.low.p50Us()),
          r.low == null ? "n/a" : number(r.low.p99Us()),
          r.low == null ? "" : String.format(Locale.ROOT, "%,d", r.low.early()),
          r.high == null ? "n/a" : number(r.high.p50Us()),
          r.high == null ? "n/a" : number(r.high.p99Us()),
          r.high == null ? "" : String.format(Locale.ROOT, "%,d", r.high.early()),
          number(r.scheduleNs),
          number(r.heapBytes));
      System.out.printf(
          Locale.ROOT,
          "%-8s %16s %29s %31s %12s %11s%n",
          "",
          "(" + count(r.sizes.executions()) + ")",
          r.low == null ? "" : "(" + count(r.low.jobs()) + ")",
          r.high == null ? "" : "(" + count(r.high.jobs()) + ")",
          "(" + count(r.sizes.pending()) + ")",
          "(" + count(r.sizes.pending()) + ")");
    }
    System.out.println();
    for (EngineBench.Result r : results) {
      System.out.println(r.system + ": " + r.description);
      if (r.low != null || r.high != null) {
        for (EngineBench.Lateness l : Arrays.asList(r.low, r.high)) {
          if (l != null) {
            System.out.printf(
                Locale.ROOT,
                "  at %,d jobs/s: max %s us, earliest %s us; the producer reached %,.0f jobs/s"
                    + " and lagged at most %.1f ms%n",
                l.rate(),
                number(l.maxUs()),
                number(l.minUs()),
                l.achievedRate(),
                l.maxProducerLagMs());
          }
        }
      }
      r.notes.forEach(note -> System.out.println("  note: " + note));
    }
    System.out.printf(
        Locale.ROOT,
        "(%d worker threads each; lateness = start - due, each job due 50 ms after it is"
            + " scheduled; early = started before its due; n/a = pass failed%s)%n",
        threads,
        quick ? "; QUICK MODE: numbers not worth reporting" : "");
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Double.isInfinite(value)) {
      return "unfinished";
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%,.1f", value);
  }

  private static String count(long jobs) {
    return jobs >= 1_000_000 && jobs % 1_000_000 == 0
        ? jobs / 1_000_000 + "M"
        : jobs >= 1000 && jobs % 1000 == 0
            ? jobs / 1000 + "k"
            : String.format(Locale.ROOT, "%,d", jobs);
  }
}
