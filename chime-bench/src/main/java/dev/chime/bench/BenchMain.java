package dev.chime.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs benchmark scenarios and writes {@code bench/results/SCENARIO.json} per the benchmark
 * contract in DESIGN.md. Usage: {@code BenchMain RESULTS_DIR SCENARIO...}.
 */
public final class BenchMain {
  private static final Map<String, String> SYSTEMS =
      Map.of(
          "chime", "chime",
          "chimeEpoch", "chime",
          "spring", "spring",
          "quartz", "quartz",
          "cronUtils", "cron-utils");

  private BenchMain() {}

  /** Entry point: exit 2 for an unknown scenario. */
  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length < 2) {
      System.err.println("usage: BenchMain RESULTS_DIR SCENARIO...   (scenarios: cron)");
      System.exit(2);
    }
    Path results = Path.of(args[0]);
    Files.createDirectories(results);
    for (int i = 1; i < args.length; i++) {
      if (!args[i].equals("cron")) {
        System.err.println("bench: unknown scenario '" + args[i] + "' (known: cron)");
        System.exit(2);
      }
      cron(results.resolve("cron.json"));
    }
  }

  private static void cron(Path output) throws RunnerException, IOException {
    boolean quick = Boolean.getBoolean("bench.quick");
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(CronBenchmarks.class.getName() + "\\..*")
            .forks(1)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.milliseconds(quick ? 200 : 1000))
            .measurementIterations(quick ? 1 : 4)
            .measurementTime(TimeValue.milliseconds(quick ? 200 : 1000))
            .jvmArgs("-Xms1g", "-Xmx1g")
            .addProfiler(GCProfiler.class);
    Collection<RunResult> runs = new Runner(options.build()).run();
    List<Metric> metrics = cronMetrics(runs);
    Files.writeString(output, Metric.toJson(metrics));
    printTable(metrics);
    System.out.println("wrote " + output);
  }

  /** Per benchmark method: expression id to (ns/op, bytes/op). */
  private static Map<String, Map<String, double[]>> byMethod(Collection<RunResult> runs) {
    Map<String, Map<String, double[]>> scores = new LinkedHashMap<>();
    for (RunResult run : runs) {
      String benchmark = run.getParams().getBenchmark();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
      double bytes = alloc == null ? Double.NaN : alloc.getScore();
      scores
          .computeIfAbsent(method, m -> new TreeMap<>())
          .put(
              run.getParams().getParam("expr"),
              new double[] {run.getPrimaryResult().getScore(), bytes});
    }
    return scores;
  }

  static List<Metric> cronMetrics(Collection<RunResult> runs) {
    List<Metric> metrics = new ArrayList<>();
    byMethod(runs)
        .forEach(
            (method, scores) -> {
              String system = SYSTEMS.get(method);
              String prefix = method.equals("chimeEpoch") ? "epoch_" : "";
              List<Double> common = new ArrayList<>();
              double worst = 0;
              double allocation = 0;
              for (Map.Entry<String, double[]> entry : scores.entrySet()) {
                double ns = entry.getValue()[0];
                if (!Basket.byId(entry.getKey()).worstOnly()) {
                  common.add(ns);
                }
                worst = Math.max(worst, ns);
                allocation = Math.max(allocation, entry.getValue()[1]);
                metrics.add(
                    new Metric(system, prefix + "next_ns_per_op." + entry.getKey(), ns, "ns/op"));
              }
              metrics.add(new Metric(system, prefix + "next_ns_per_op", median(common), "ns/op"));
              metrics.add(new Metric(system, prefix + "worst_ns_per_op", worst, "ns/op"));
              metrics.add(
                  new Metric(system, prefix + "alloc_bytes_per_op", allocation, "bytes/op"));
            });
    return metrics;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void printTable(List<Metric> metrics) {
    Map<String, Double> chime = new TreeMap<>();
    metrics.stream()
        .filter(m -> m.system().equals("chime"))
        .forEach(m -> chime.put(m.metric(), m.value()));
    System.out.printf(
        Locale.ROOT, "%n%-12s %-40s %14s %12s%n", "system", "metric", "value", "vs chime");
    for (Metric m : metrics) {
      Double base = chime.get(m.metric());
      String ratio =
          base == null || m.system().equals("chime") || base == 0
              ? ""
              : String.format(Locale.ROOT, "%.1fx", m.value() / base);
      System.out.printf(
          Locale.ROOT,
          "%-12s %-40s %10.1f %-5s %10s%n",
          m.system(),
          m.metric(),
          m.value(),
          m.unit(),
          ratio);
    }
  }
}
