package dev.chime.bench.engine;

import dev.chime.bench.Metric;
import dev.chime.bench.harness.Fork;
import dev.chime.bench.harness.Print;
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
 * one after another, with the same thread count and the same passes ({@link EngineBench}). Each
 * system runs in two fresh JVMs forked from this one, one after the other: one for {@code
 * schedule_ns}, {@code heap_bytes_per_pending_job} and {@code executions_per_sec} with a fixed
 * {@value #THROUGHPUT_HEAP} heap, then one for the lateness passes with a fixed {@value
 * #LATENESS_HEAP} heap. (On the reference VM a JVM that has touched gigabytes of heap stalls for
 * tens of milliseconds every few seconds, outside any safepoint, so lateness measured in the JVM
 * that had just held a million jobs, or after another system had, depended on the order.)
 *
 * <p>System properties: {@code bench.quick=true} (a twentieth of the jobs, for a smoke run), {@code
 * bench.threads=N} (default 8), {@code bench.systems=chime,jdk} (a subset), {@code
 * bench.sizes.SYSTEM=EXECUTIONS,PENDING,SECONDS} (other job counts for one system), {@code
 * bench.fork=false} (every pass of every system in this JVM instead). Every {@code -D} option of
 * this JVM is passed on to the forked ones.
 */
public final class EngineScenario {
  static final String SCENARIO = "engine";

  /** Heap of the JVM that measures schedule_ns, heap per pending job and executions. */
  static final String THROUGHPUT_HEAP = "6g";

  /** Heap of the JVM that measures lateness. */
  static final String LATENESS_HEAP = "2g";

  private EngineScenario() {}

  /** Every system in table order. */
  static List<EngineSubject> subjects() {
    return List.of(new ChimeEngine(), new QuartzEngine(), new JobRunrEngine(), new JdkEngine());
  }

  /** Measures, writes {@code output} and prints the table; false when nothing could be measured. */
  public static boolean run(Path output) throws IOException, InterruptedException {
    boolean quick = Boolean.getBoolean("bench.quick");
    int threads = threads();
    boolean fork = !"false".equals(System.getProperty("bench.fork"));
    String only = System.getProperty("bench.systems", "");
    Set<String> wanted = only.isBlank() ? Set.of() : Set.of(only.split(","));
    Print.log(
        "engine: %d worker threads per system, %d CPUs, %s%s",
        threads,
        Runtime.getRuntime().availableProcessors(),
        fork
            ? "each system in two forked JVMs (-Xms/-Xmx "
                + THROUGHPUT_HEAP
                + ", then "
                + LATENESS_HEAP
                + ")"
            : "every system in this JVM (max heap "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB)",
        quick ? ", QUICK MODE (numbers not worth reporting)" : "");
    EngineBench bench = new EngineBench(threads);
    List<EngineBench.Result> results = new ArrayList<>();
    for (EngineSubject subject : subjects()) {
      if (!wanted.isEmpty() && !wanted.contains(subject.name())) {
        continue;
      }
      EngineBench.Result result = bench.empty(subject, Sizes.standard(quick));
      if (fork) {
        forked(subject, EngineBench.Passes.THROUGHPUT, THROUGHPUT_HEAP, result);
        forked(subject, EngineBench.Passes.LATENESS, LATENESS_HEAP, result);
      } else {
        bench.measure(subject, EngineBench.Passes.ALL, result);
      }
      results.add(result);
    }
    List<Metric> metrics = new ArrayList<>();
    results.forEach(r -> metrics.addAll(metrics(r)));
    Files.writeString(output, Metric.toJson(metrics));
    printTable(results, threads, quick);
    System.out.println("wrote " + output);
    return metrics.stream().anyMatch(m -> Double.isFinite(m.value()));
  }

  private static int threads() {
    return Integer.getInteger("bench.threads", 8);
  }

  /** Runs the passes in a fresh JVM with a fixed heap and merges what it measured into result. */
  private static void forked(
      EngineSubject subject, EngineBench.Passes passes, String heap, EngineBench.Result result)
      throws IOException, InterruptedException {
    Fork.Forked forked =
        Fork.run(EngineScenario.class, heap, List.of(subject.name(), passes.name()));
    result.merge(forked.measured());
    if (forked.exit() != 0) {
      result.notes.add(
          "the forked JVM for the "
              + passes.name().toLowerCase(Locale.ROOT)
              + " passes exited "
              + forked.exit());
    }
  }

  /**
   * A forked JVM: {@code SYSTEM PASSES OUTPUT} measures one system's passes and writes what it
   * measured to OUTPUT as properties.
   */
  public static void main(String[] args) throws IOException {
    EngineSubject subject =
        subjects().stream().filter(s -> s.name().equals(args[0])).findFirst().orElseThrow();
    EngineBench bench = new EngineBench(threads());
    EngineBench.Result result =
        bench.empty(subject, Sizes.standard(Boolean.getBoolean("bench.quick")));
    bench.measure(subject, EngineBench.Passes.valueOf(args[1]), result);
    Fork.write(Path.of(args[2]), result.toProperties(), subject.name() + " " + args[1]);
    System.exit(0);
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
          Print.number(r.executionsPerSec),
          r.low == null ? "n/a" : Print.number(r.low.p50Us()),
          r.low == null ? "n/a" : Print.number(r.low.p99Us()),
          r.low == null ? "" : String.format(Locale.ROOT, "%,d", r.low.early()),
          r.high == null ? "n/a" : Print.number(r.high.p50Us()),
          r.high == null ? "n/a" : Print.number(r.high.p99Us()),
          r.high == null ? "" : String.format(Locale.ROOT, "%,d", r.high.early()),
          Print.number(r.scheduleNs),
          Print.number(r.heapBytes));
      System.out.printf(
          Locale.ROOT,
          "%-8s %16s %29s %31s %12s %11s%n",
          "",
          "(" + Print.count(r.sizes.executions()) + ")",
          r.low == null ? "" : "(" + Print.count(r.low.jobs()) + ")",
          r.high == null ? "" : "(" + Print.count(r.high.jobs()) + ")",
          "(" + Print.count(r.sizes.pending()) + ")",
          "(" + Print.count(r.sizes.pending()) + ")");
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
                Print.number(l.maxUs()),
                Print.number(l.minUs()),
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
}
