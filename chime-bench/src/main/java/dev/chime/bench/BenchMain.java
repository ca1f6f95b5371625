package dev.chime.bench;

import dev.chime.bench.durable.DurableScenario;
import dev.chime.bench.engine.EngineScenario;
import dev.chime.bench.harness.Print;
import dev.chime.bench.server.ServerScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs benchmark scenarios and writes {@code RESULTS_DIR/SCENARIO.json} per the benchmark contract
 * in DESIGN.md, then prints a table. Usage: {@code BenchMain RESULTS_DIR [SCENARIO...]} (default:
 * every scenario). System properties: {@code bench.quick=true} for a short smoke run (numbers not
 * worth reporting), {@code bench.include=REGEX} to run a subset of the cron benchmark methods; the
 * engine and durable scenarios' own are in {@link EngineScenario} and {@link DurableScenario}.
 */
public final class BenchMain {
  static final List<String> SCENARIOS = List.of("cron", "engine", "durable", "cluster", "server");

  /** The benchmark methods of the cron scenario, in table order: method, system, metric prefix. */
  private static final List<String[]> CRON_RUNS =
      List.of(
          new String[] {"chime", "chime", ""},
          new String[] {"chimeEpoch", "chime", "epoch_"},
          new String[] {"spring", "spring", ""},
          new String[] {"quartz", "quartz", ""},
          new String[] {"cronUtils", "cron-utils", ""});

  private BenchMain() {}

  /** Entry point: exit 2 for an unknown scenario, 1 when a scenario cannot be measured. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: BenchMain RESULTS_DIR [SCENARIO...]   (scenarios: " + known() + ")");
      System.exit(2);
    }
    List<String> scenarios = new ArrayList<>(List.of(args).subList(1, args.length));
    if (scenarios.isEmpty()) {
      scenarios.addAll(SCENARIOS);
    }
    for (String scenario : scenarios) {
      if (!SCENARIOS.contains(scenario)) {
        System.err.println("bench: unknown scenario '" + scenario + "' (known: " + known() + ")");
        System.exit(2);
      }
    }
    Path results = Path.of(args[0]);
    Files.createDirectories(results);
    for (String scenario : scenarios) {
      if (scenario.equals("cron")) {
        if (!cron(results.resolve("cron.json"))) {
          System.exit(1);
        }
      } else if (scenario.equals("engine")) {
        if (!EngineScenario.run(results.resolve("engine.json"))) {
          System.exit(1);
        }
      } else if (scenario.equals("durable")) {
        if (!DurableScenario.run(results.resolve("durable.json"))) {
          System.exit(1);
        }
      } else if (scenario.equals("cluster")) {
        if (!dev.chime.bench.durable.ClusterScenario.run(results.resolve("cluster.json"))) {
          System.exit(1);
        }
      } else if (scenario.equals("server")) {
        if (!ServerScenario.run(results.resolve("server.json"))) {
          System.exit(1);
        }
      }
    }
  }

  private static String known() {
    return String.join(", ", SCENARIOS);
  }

  private static boolean cron(Path output) throws RunnerException, IOException {
    List<Agreement.Disagreement> disagreements = Agreement.check();
    if (disagreements.isEmpty()) {
      System.out.println(
          "bench: every system agrees with Chime on every expression and start instant");
    }
    for (Agreement.Disagreement d : disagreements) {
      System.out.println(
          "bench: WRONG ANSWERS, left out of "
              + d.system()
              + "'s summary: "
              + d.expression()
              + ": "
              + d.system()
              + " "
              + d.message());
    }
    if (disagreements.stream().anyMatch(d -> d.system().equals("chime"))) {
      System.err.println("bench: Chime's next(ZonedDateTime) and nextEpochSecond disagree");
      return false;
    }
    Map<String, Set<String>> wrong = new HashMap<>();
    disagreements.forEach(
        d -> wrong.computeIfAbsent(d.system(), s -> new HashSet<>()).add(d.expression()));
    boolean quick = Boolean.getBoolean("bench.quick");
    String include = System.getProperty("bench.include", ".*");
    var options =
        new OptionsBuilder()
            .include(CronBenchmarks.class.getName() + "\\.(" + include + ")$")
            .forks(1)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.milliseconds(quick ? 200 : 1000))
            .measurementIterations(quick ? 1 : 5)
            .measurementTime(TimeValue.milliseconds(quick ? 200 : 1000))
            .jvmArgs("-Xms1g", "-Xmx1g")
            .addProfiler(GCProfiler.class)
            .build();
    Collection<RunResult> runs = new Runner(options).run();
    List<Metric> metrics = cronMetrics(runs, wrong);
    Files.writeString(output, Metric.toJson(metrics));
    printTable(runs, wrong);
    System.out.println("wrote " + output);
    return true;
  }

  /** Expression id to {ns/op, bytes/op}, per benchmark method, in basket order. */
  private static Map<String, Map<String, double[]>> byMethod(Collection<RunResult> runs) {
    Map<String, Map<String, double[]>> scores = new LinkedHashMap<>();
    for (String[] run : CRON_RUNS) {
      Map<String, double[]> perExpression = new LinkedHashMap<>();
      for (Basket basket : Basket.ALL) {
        for (RunResult result : runs) {
          String benchmark = result.getParams().getBenchmark();
          if (benchmark.endsWith("." + run[0])
              && basket.id().equals(result.getParams().getParam("expr"))) {
            Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            perExpression.put(
                basket.id(),
                new double[] {
                  result.getPrimaryResult().getScore(),
                  alloc == null ? Double.NaN : alloc.getScore()
                });
          }
        }
      }
      if (!perExpression.isEmpty()) {
        scores.put(run[0], perExpression);
      }
    }
    return scores;
  }

  /**
   * One system's summary: median over the common basket, slowest entry, most bytes per call;
   * expressions the system answers wrongly ({@code wrong}) are left out.
   */
  record Summary(double median, double worst, String worstId, double bytes) {
    static Summary of(Map<String, double[]> scores, Set<String> wrong) {
      List<Double> common = new ArrayList<>();
      double worst = Double.NaN;
      String worstId = "";
      double bytes = Double.NaN;
      for (Map.Entry<String, double[]> entry : scores.entrySet()) {
        if (wrong.contains(entry.getKey())) {
          continue;
        }
        double ns = entry.getValue()[0];
        if (!Basket.byId(entry.getKey()).worstOnly()) {
          common.add(ns);
        }
        if (!(ns <= worst)) {
          worst = ns;
          worstId = entry.getKey();
        }
        if (!(entry.getValue()[1] <= bytes)) {
          bytes = entry.getValue()[1];
        }
      }
      return new Summary(BenchMain.median(common), worst, worstId, bytes);
    }
  }

  static List<Metric> cronMetrics(Collection<RunResult> runs, Map<String, Set<String>> wrong) {
    Map<String, Map<String, double[]>> scores = byMethod(runs);
    List<Metric> metrics = new ArrayList<>();
    for (String[] run : CRON_RUNS) {
      Map<String, double[]> perExpression = scores.get(run[0]);
      if (perExpression == null) {
        continue;
      }
      String system = run[1];
      String prefix = run[2];
      Summary summary = Summary.of(perExpression, wrong.getOrDefault(system, Set.of()));
      metrics.add(new Metric(system, "cron", prefix + "next_ns_per_op", summary.median, "ns/op"));
      metrics.add(new Metric(system, "cron", prefix + "worst_ns_per_op", summary.worst, "ns/op"));
      metrics.add(
          new Metric(system, "cron", prefix + "alloc_bytes_per_op", summary.bytes, "bytes/op"));
      perExpression.forEach(
          (id, score) ->
              metrics.add(
                  new Metric(system, "cron", prefix + "next_ns_per_op." + id, score[0], "ns/op")));
    }
    return metrics;
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String system(String method) {
    return CRON_RUNS.stream().filter(r -> r[0].equals(method)).findFirst().orElseThrow()[1];
  }

  private static void printTable(Collection<RunResult> runs, Map<String, Set<String>> wrong) {
    Map<String, Map<String, double[]>> scores = byMethod(runs);
    Map<String, Summary> summaries = new LinkedHashMap<>();
    scores.forEach(
        (method, perExpression) ->
            summaries.put(
                method, Summary.of(perExpression, wrong.getOrDefault(system(method), Set.of()))));
    Summary chime = summaries.get("chime");
    System.out.printf(
        Locale.ROOT,
        "%n%-22s %12s %12s  %-15s %12s %12s %12s%n",
        "system",
        "median ns/op",
        "worst ns/op",
        "(worst expr)",
        "bytes/op",
        "median/chime",
        "worst/chime");
    for (String[] run : CRON_RUNS) {
      Summary s = summaries.get(run[0]);
      if (s == null) {
        continue;
      }
      String name = run[0].equals("chimeEpoch") ? "chime (epoch second)" : run[1];
      System.out.printf(
          Locale.ROOT,
          "%-22s %12.1f %12.1f  %-15s %12.1f %12s %12s%n",
          name,
          s.median,
          s.worst,
          s.worstId,
          s.bytes,
          Print.ratio(s.median, chime == null ? Double.NaN : chime.median),
          Print.ratio(s.worst, chime == null ? Double.NaN : chime.worst));
    }
    System.out.printf(Locale.ROOT, "%nper expression, ns/op:%n%-16s", "expr");
    for (String method : scores.keySet()) {
      System.out.printf(Locale.ROOT, " %12s", method);
    }
    System.out.println();
    for (Basket basket : Basket.ALL) {
      System.out.printf(Locale.ROOT, "%-16s", basket.id() + (basket.worstOnly() ? "*" : ""));
      for (Map.Entry<String, Map<String, double[]>> entry : scores.entrySet()) {
        double[] score = entry.getValue().get(basket.id());
        boolean isWrong =
            wrong.getOrDefault(system(entry.getKey()), Set.of()).contains(basket.id());
        System.out.printf(
            Locale.ROOT,
            " %12s",
            score == null
                ? "n/a"
                : String.format(Locale.ROOT, "%.1f%s", score[0], isWrong ? "!" : ""));
      }
      System.out.println();
    }
    System.out.println("(* worst-case only: counts for worst_ns_per_op, not for the median)");
    System.out.println("(! wrong answers: left out of that system's median and worst)");
  }
}
