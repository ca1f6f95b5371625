package dev.chime.bench.durable;

import dev.chime.bench.Metric;
import dev.chime.bench.harness.Fork;
import dev.chime.bench.harness.Print;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code durable} scenario: Chime on PostgreSQL and on SQLite beside db-scheduler, JobRunr and
 * Quartz on the same PostgreSQL, one after another, each in its own schema and its own forked JVM
 * (fixed {@value #HEAP} heap), with the same worker thread count, pool size and job counts ({@link
 * DurableBench}).
 *
 * <p>System properties: {@code bench.quick=true} (a smoke run), {@code bench.threads=N} (default
 * 8), {@code bench.systems=quartz,jobrunr} (a subset), {@code
 * bench.durable.sizes.SYSTEM=BATCH,EXECUTIONS,SECONDS} (other job counts for one system), {@code
 * bench.fork=false} (every system in this JVM), {@code bench.pg.url} and {@code bench.pg.user}
 * ({@link Database}). Every {@code -D} option of this JVM is passed on to the forked ones.
 */
public final class DurableScenario {
  static final String SCENARIO = "durable";

  /** Heap of each forked JVM. */
  static final String HEAP = "2g";

  private DurableScenario() {}

  /** Every system in table order; Chime's stores come from the one seam, {@link JdbcStores}. */
  static List<DurableSubject> subjects() {
    ChimeStores stores = new JdbcStores();
    return List.of(
        ChimeDurable.postgres(stores),
        ChimeDurable.sqlite(stores),
        new DbSchedulerDurable(),
        new JobRunrDurable(),
        new QuartzDurable());
  }

  /** Connections in every system's pool: one per worker, plus its pollers and the producer. */
  static int poolSize(int threads) {
    return threads + 4;
  }

  private static int threads() {
    return Integer.getInteger("bench.threads", 8);
  }

  /** Measures, writes {@code output} and prints the table; false when nothing could be measured. */
  public static boolean run(Path output) throws IOException, InterruptedException {
    boolean quick = Boolean.getBoolean("bench.quick");
    int threads = threads();
    boolean fork = !"false".equals(System.getProperty("bench.fork"));
    String only = System.getProperty("bench.systems", "");
    Set<String> wanted = only.isBlank() ? Set.of() : Set.of(only.split(","));
    Database probe = Database.forSystem("probe");
    String unreachable = probe.unreachable();
    if (unreachable != null) {
      System.err.println(
          "bench: durable: cannot reach PostgreSQL at " + probe.url() + ": " + unreachable);
      return false;
    }
    Print.log(
        "durable: %d worker threads and %d pooled connections per system, %d CPUs, PostgreSQL at"
            + " %s, %s%s",
        threads,
        poolSize(threads),
        Runtime.getRuntime().availableProcessors(),
        probe.url(),
        fork ? "each system in a forked JVM (-Xms/-Xmx " + HEAP + ")" : "every system in this JVM",
        quick ? ", QUICK MODE (numbers not worth reporting)" : "");
    DurableBench bench = new DurableBench(threads);
    List<DurableBench.Result> results = new ArrayList<>();
    for (DurableSubject subject : subjects()) {
      if (!wanted.isEmpty() && !wanted.contains(subject.name())) {
        continue;
      }
      DurableBench.Result result = bench.empty(subject, DurableSizes.standard(quick));
      if (fork) {
        forked(subject, result);
      } else {
        bench.measure(subject, Database.forSystem(subject.name()), result);
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

  private static void forked(DurableSubject subject, DurableBench.Result result)
      throws IOException, InterruptedException {
    Fork.Forked forked = Fork.run(DurableScenario.class, HEAP, List.of(subject.name()));
    result.merge(forked.measured());
    if (forked.exit() != 0) {
      result.notes.add("the forked JVM exited " + forked.exit());
    }
  }

  /** A forked JVM: {@code SYSTEM OUTPUT} measures one system and writes it to OUTPUT. */
  public static void main(String[] args) throws IOException {
    DurableSubject subject =
        subjects().stream().filter(s -> s.name().equals(args[0])).findFirst().orElseThrow();
    DurableBench bench = new DurableBench(threads());
    DurableBench.Result result =
        bench.empty(subject, DurableSizes.standard(Boolean.getBoolean("bench.quick")));
    bench.measure(subject, Database.forSystem(subject.name()), result);
    Fork.write(Path.of(args[1]), result.toProperties(), subject.name());
    System.exit(0);
  }

  /**
   * The contract's metrics, then extras: early starts and the job counts. A system that was not
   * measured has none; values that are not finite are left out of the JSON.
   */
  static List<Metric> metrics(DurableBench.Result r) {
    if (r.notMeasured != null) {
      return List.of();
    }
    boolean late = r.hasLateness();
    return List.of(
        metric(r, "executions_per_sec", r.executionsPerSec, "jobs/s"),
        metric(r, "lateness_p50_ms", r.p50Ms, "ms"),
        metric(r, "lateness_p99_ms", r.p99Ms, "ms"),
        metric(r, "batch_schedule_per_sec", r.batchPerSec, "jobs/s"),
        metric(r, "early_starts", r.early, "jobs"),
        metric(r, "lateness_max_ms", r.maxMs, "ms"),
        metric(r, "executions_early_starts", r.executionsEarly, "jobs"),
        metric(r, "batch_jobs", r.sizes.batch(), "jobs"),
        metric(r, "executions_jobs", r.sizes.executions(), "jobs"),
        metric(r, "lateness_jobs", late ? r.sizes.latenessJobs() : Double.NaN, "jobs"),
        metric(r, "lateness_rate", late ? DurableSizes.LATENESS_RATE : Double.NaN, "jobs/s"));
  }

  private static Metric metric(DurableBench.Result r, String name, double value, String unit) {
    return new Metric(r.system, SCENARIO, name, value, unit);
  }

  private static final String ROW = "%-13s %14s %14s %11s %10s %7s %12s %11s %10s%n";

  private static void printTable(List<DurableBench.Result> results, int threads, boolean quick) {
    DurableBench.Result chime =
        results.stream()
            .filter(r -> r.system.equals("chime") && r.notMeasured == null)
            .findFirst()
            .orElse(null);
    System.out.printf(
        Locale.ROOT,
        "%n" + ROW,
        "system",
        "batch jobs/s",
        "executions/s",
        "p50 ms",
        "p99 ms",
        "early",
        "batch/chime",
        "exec/chime",
        "p99/chime");
    System.out.printf(Locale.ROOT, ROW, "", "(jobs)", "(jobs)", "", "", "", "", "", "");
    for (DurableBench.Result r : results) {
      if (r.notMeasured != null) {
        System.out.printf(Locale.ROOT, "%-13s not measured: %s%n", r.system, r.notMeasured);
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          ROW,
          r.system,
          Print.number(r.batchPerSec),
          Print.number(r.executionsPerSec),
          Print.number(r.p50Ms),
          Print.number(r.p99Ms),
          r.hasLateness() ? String.format(Locale.ROOT, "%,.0f", r.early) : "",
          chime == null ? "" : Print.ratio(r.batchPerSec, chime.batchPerSec),
          chime == null ? "" : Print.ratio(r.executionsPerSec, chime.executionsPerSec),
          chime == null ? "" : Print.ratio(r.p99Ms, chime.p99Ms));
      System.out.printf(
          Locale.ROOT,
          ROW,
          "",
          "(" + Print.count(r.sizes.batch()) + ")",
          "(" + Print.count(r.sizes.executions()) + ")",
          "(" + Print.count(r.sizes.latenessJobs()) + " jobs)",
          "",
          "",
          "",
          "",
          "");
    }
    System.out.println();
    for (DurableBench.Result r : results) {
      System.out.println(r.system + ": " + r.description);
      if (r.hasLateness()) {
        System.out.printf(
            Locale.ROOT,
            "  lateness: max %s ms, earliest %s ms; the producer reached %,.0f jobs/s and lagged"
                + " at most %.1f ms%n",
            Print.number(r.maxMs),
            Print.number(r.minMs),
            r.achievedRate,
            r.maxLagMs);
      }
      if (Double.isFinite(r.executionsEarly) && r.executionsEarly > 0) {
        System.out.printf(
            Locale.ROOT,
            "  executions: %,.0f of %,d started before their due instant%n",
            r.executionsEarly,
            r.sizes.executions());
      }
      r.notes.forEach(note -> System.out.println("  note: " + note));
    }
    System.out.printf(
        Locale.ROOT,
        "(%d worker threads each, %d pooled connections; lateness = start - due, each job due %d s"
            + " after it is scheduled, %d jobs/s; early = started before its due; n/a = pass"
            + " failed%s)%n",
        threads,
        poolSize(threads),
        DurableBench.LEAD_NANOS / 1_000_000_000L,
        DurableSizes.LATENESS_RATE,
        chime == null ? "; no ratios: chime was not measured" : "");
    if (quick) {
      System.out.println("(QUICK MODE: numbers not worth reporting)");
    }
  }
}
