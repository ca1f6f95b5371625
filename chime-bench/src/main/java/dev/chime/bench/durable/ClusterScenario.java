package dev.chime.bench.durable;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.chime.Job;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import dev.chime.bench.Metric;
import dev.chime.bench.harness.Print;
import dev.chime.jdbc.JdbcJobStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code cluster} scenario: aggregate executions per second of 1, 2 and 3 node processes on one
 * PostgreSQL, for Chime and db-scheduler in the same run, with duplicates and lost jobs counted.
 *
 * <p>Each pass: the system's schema is made empty, {@value #JOBS} one-shot jobs all due now are
 * stored (a backlog), then N node JVMs are started (each {@value #THREADS} worker threads and a
 * pool of {@code THREADS + 4} connections) and told to go at once; the pass ends when the database
 * holds no job left to run. Executions per second = jobs / (last execution on any node - go). Every
 * node writes the ids it ran; an id seen twice is a duplicate, an id never seen is lost. System
 * properties: {@code bench.quick=true} (a smoke run of {@value #QUICK_JOBS} jobs), {@code
 * bench.systems=chime} (a subset), {@code bench.pg.url}/{@code bench.pg.user} ({@link Database}).
 */
public final class ClusterScenario {
  static final String SCENARIO = "cluster";
  static final int JOBS = 50_000;
  static final int QUICK_JOBS = 5_000;
  static final int THREADS = 8;
  static final int MAX_NODES = 3;
  private static final Duration PASS_LIMIT = Duration.ofMinutes(5);

  /**
   * The one clock of the scenario. The node JVMs and the driver compare wall times across processes
   * (go, last execution), so it is the system clock, read only through this.
   */
  private static final Clock CLOCK = Clock.systemUTC();

  private ClusterScenario() {}

  /** Measures, writes {@code output} and prints the table; false when nothing was measured. */
  public static boolean run(Path output) throws Exception {
    int jobs = Boolean.getBoolean("bench.quick") ? QUICK_JOBS : JOBS;
    String only = System.getProperty("bench.systems", "");
    Set<String> wanted = only.isBlank() ? Set.of() : Set.of(only.split(","));
    Database probe = database("probe");
    String unreachable = probe.unreachable();
    if (unreachable != null) {
      System.err.println(
          "bench: cluster: cannot reach PostgreSQL at " + probe.url() + ": " + unreachable);
      return false;
    }
    Print.log(
        "cluster: %,d one-shot jobs due at once, 1-%d node JVMs (-Xmx512m) with %d threads each,"
            + " %d CPUs, PostgreSQL at %s",
        jobs, MAX_NODES, THREADS, Runtime.getRuntime().availableProcessors(), probe.url());
    Map<String, double[]> perSec = new LinkedHashMap<>();
    Map<String, long[]> wrong = new LinkedHashMap<>();
    List<Metric> metrics = new ArrayList<>();
    for (String system : List.of("chime", "db-scheduler")) {
      if (!wanted.isEmpty() && !wanted.contains(system)) {
        continue;
      }
      double[] rates = new double[MAX_NODES + 1];
      long duplicates = 0;
      long lost = 0;
      for (int nodes = 1; nodes <= MAX_NODES; nodes++) {
        Pass pass = pass(system, nodes, jobs);
        rates[nodes] = pass.perSec;
        duplicates += pass.duplicates;
        lost += pass.lost;
        Print.log(
            "cluster: %s with %d node(s): %s executions/s, %d duplicates, %d lost",
            system, nodes, Print.number(pass.perSec), pass.duplicates, pass.lost);
        metrics.add(
            new Metric(system, SCENARIO, "executions_per_sec_" + nodes, pass.perSec, "jobs/s"));
      }
      metrics.add(new Metric(system, SCENARIO, "duplicates", duplicates, "jobs"));
      metrics.add(new Metric(system, SCENARIO, "lost", lost, "jobs"));
      metrics.add(new Metric(system, SCENARIO, "jobs", jobs, "jobs"));
      perSec.put(system, rates);
      wrong.put(system, new long[] {duplicates, lost});
    }
    Files.writeString(output, Metric.toJson(metrics));
    String row = "%-13s %14s %14s %14s %9s %9s %10s %6s%n";
    System.out.printf(
        row,
        "system",
        "1 node /s",
        "2 nodes /s",
        "3 nodes /s",
        "2 vs 1",
        "3 vs 1",
        "duplicates",
        "lost");
    perSec.forEach(
        (system, r) ->
            System.out.printf(
                row,
                system,
                Print.number(r[1]),
                Print.number(r[2]),
                Print.number(r[3]),
                Print.ratio(r[2], r[1]),
                Print.ratio(r[3], r[1]),
                wrong.get(system)[0],
                wrong.get(system)[1]));
    if (perSec.containsKey("chime") && perSec.containsKey("db-scheduler")) {
      System.out.println(
          "chime vs db-scheduler at 3 nodes: "
              + Print.ratio(perSec.get("chime")[3], perSec.get("db-scheduler")[3]));
    }
    System.out.println("wrote " + output);
    return !metrics.isEmpty();
  }

  private static Database database(String system) {
    return new Database(
        System.getProperty("bench.pg.url", Database.DEFAULT_URL),
        System.getProperty("bench.pg.user", Database.DEFAULT_USER),
        "chime_bench_cluster_" + system.replace('-', '_'));
  }

  private record Pass(double perSec, long duplicates, long lost) {}

  private static Pass pass(String system, int nodes, int jobs) throws Exception {
    Database db = database(system);
    db.recreate();
    seed(system, db, jobs);
    db.analyze();
    List<Process> children = new ArrayList<>();
    List<Path> idFiles = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        Path ids = Files.createTempFile("chime-bench-cluster-", ".ids");
        idFiles.add(ids);
        children.add(startNode(system, db, i, ids));
      }
      long go = CLOCK.millis();
      for (Process child : children) {
        OutputStream in = child.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      long deadline = System.nanoTime() + PASS_LIMIT.toNanos();
      while (remaining(system, db) > 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // poll the database
      }
      long last = go;
      for (Process child : children) {
        child.getOutputStream().close(); // stop
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith("last ")) {
            last = Math.max(last, Long.parseLong(line.substring(5).strip()));
          }
        }
        child.waitFor(60, TimeUnit.SECONDS);
      }
      long seen = 0;
      Set<String> distinct = new HashSet<>();
      List<Integer> split = new ArrayList<>();
      for (Path ids : idFiles) {
        List<String> ran = Files.readAllLines(ids);
        split.add(ran.size());
        seen += ran.size();
        distinct.addAll(ran);
      }
      Print.log("cluster: %s with %d node(s): executions per node %s", system, nodes, split);
      double seconds = (last - go) / 1000.0;
      return new Pass(jobs / seconds, seen - distinct.size(), jobs - distinct.size());
    } finally {
      children.forEach(Process::destroyForcibly);
      for (Path ids : idFiles) {
        Files.deleteIfExists(ids);
      }
    }
  }

  /** Stores the jobs, all due now, in batches, through each system's own batch call. */
  private static void seed(String system, Database db, int jobs) throws SQLException {
    Instant now = CLOCK.instant();
    int batch = 10_000;
    if (system.equals("chime")) {
      try (JdbcJobStore store = chimeStore(db)) {
        Scheduler adder = Scheduler.builder().clock(CLOCK).store(store).build();
        adder.register("noop", ctx -> {});
        for (int from = 0; from < jobs; from += batch) {
          List<Job> part = new ArrayList<>();
          for (int i = from; i < Math.min(jobs, from + batch); i++) {
            part.add(Job.builder("j-" + i).handler("noop").trigger(Trigger.once(now)).build());
          }
          adder.scheduleAll(part);
        }
      }
    } else {
      db.runScript(DbSchedulerDurable.TABLE);
      OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, ctx) -> {});
      try (HikariDataSource pool = db.pool("db-scheduler-seed", 2)) {
        com.github.kagkarlsson.scheduler.Scheduler adder =
            com.github.kagkarlsson.scheduler.Scheduler.create(pool, task).build();
        for (int from = 0; from < jobs; from += batch) {
          List<SchedulableInstance<?>> part = new ArrayList<>();
          for (int i = from; i < Math.min(jobs, from + batch); i++) {
            part.add(SchedulableInstance.of(task.instance("j-" + i), now));
          }
          adder.scheduleBatch(part);
        }
      }
    }
  }

  private static JdbcJobStore chimeStore(Database db) {
    return JdbcJobStore.builder(db.userUrl())
        .schema(db.schema())
        .poolSize(DurableScenario.poolSize(THREADS))
        .open();
  }

  /**
   * Jobs not yet run: Chime's unfinished jobs and runs; db-scheduler's rows (deleted when done).
   */
  private static long remaining(String system, Database db) throws SQLException {
    String sql =
        system.equals("chime")
            ? "SELECT (SELECT count(*) FROM chime_jobs WHERE state <> 'finished')"
                + " + (SELECT count(*) FROM chime_runs"
                + " WHERE state IN ('scheduled', 'claimed', 'running', 'retrying'))"
            : "SELECT count(*) FROM scheduled_tasks";
    try (Connection c = DriverManager.getConnection(db.schemaUrl());
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static Process startNode(String system, Database db, int index, Path ids)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xms512m");
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClusterScenario.class.getName());
    command.addAll(
        List.of(system, db.url(), db.user(), db.schema(), "node-" + index, ids.toString()));
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"ready".equals(first)) {
      child.destroyForcibly();
      throw new IOException(system + " node " + index + " did not start (said " + first + ")");
    }
    return child;
  }

  /**
   * A node JVM: {@code SYSTEM URL USER SCHEMA NAME IDS}. Says "ready", starts on "go", runs until
   * its standard input closes, then writes the ids it ran to IDS and says "last EPOCH_MILLIS" (its
   * last execution).
   */
  public static void main(String[] args) throws Exception {
    Database db = new Database(args[1], args[2], args[3]);
    ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
    AtomicLong last = new AtomicLong();
    AutoCloseable stop;
    Runnable start;
    if (args[0].equals("chime")) {
      JdbcJobStore store = chimeStore(db);
      Scheduler scheduler =
          Scheduler.builder()
              .clock(CLOCK)
              .store(store)
              .maxConcurrency(THREADS)
              .platformThreads(THREADS)
              .build();
      scheduler.register(
          "noop",
          ctx -> {
            ran.add(ctx.jobId().value());
            last.accumulateAndGet(CLOCK.millis(), Math::max);
          });
      start = scheduler::start;
      stop =
          () -> {
            scheduler.close();
            store.close();
          };
    } else {
      HikariDataSource pool = db.pool(args[4], DurableScenario.poolSize(THREADS));
      OneTimeTask<Void> task =
          Tasks.oneTime("noop")
              .execute(
                  (instance, ctx) -> {
                    ran.add(instance.getId());
                    last.accumulateAndGet(CLOCK.millis(), Math::max);
                  });
      com.github.kagkarlsson.scheduler.Scheduler scheduler =
          com.github.kagkarlsson.scheduler.Scheduler.create(pool, task)
              .threads(THREADS)
              .pollingInterval(DbSchedulerDurable.POLL)
              .pollUsingLockAndFetch(DbSchedulerDurable.LOWER_LIMIT, DbSchedulerDurable.UPPER_LIMIT)
              .schedulerName(new SchedulerName.Fixed(args[4]))
              .shutdownMaxWait(Duration.ofSeconds(10))
              .build();
      start = scheduler::start;
      stop =
          () -> {
            scheduler.stop();
            pool.close();
          };
    }
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if ("go".equals(in.readLine())) {
      start.run();
    }
    while (in.readLine() != null) {
      // runs until the parent closes our stdin
    }
    stop.close();
    try (BufferedWriter ids = Files.newBufferedWriter(Path.of(args[5]))) {
      for (String id : ran) {
        ids.write(id);
        ids.newLine();
      }
    }
    System.out.println("last " + last.get());
    System.out.flush();
    System.exit(0);
  }
}
