package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import dev.chime.spi.RunPage;
import dev.chime.spi.RunQuery;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes as separate JVMs ({@link ClusterChild}) on one PostgreSQL schema, fed thousands of
 * one-shot jobs and recurring jobs every second. Node 0 is killed with SIGKILL mid-run and later
 * restarted; node 1 is cut off from the database for longer than its lease: it connects as a role
 * of its own, which is barred from logging in while every backend of it is terminated, so its
 * heartbeats and writes fail until the others take it for dead and take its runs over; then it is
 * let back in. Then: every one-shot job ran and succeeded, no (job, occurrence, attempt) ran twice
 * anywhere, every execution has a record, and every second of every recurring job has a record (it
 * ran, or why not).
 */
class PostgresClusterTest {
  static final int ONE_SHOTS = 3000;
  static final int TICKS = 3;
  static final Duration SPREAD = Duration.ofSeconds(25);
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static String schema;

  @TempDir Path dir;

  @BeforeAll
  static void createSchema() {
    schema = PostgresServer.createSchema("chime_cluster");
  }

  @AfterAll
  static void dropSchema() {
    PostgresServer.drop(schema);
  }

  @Test
  void threeNodesOneKilledOneCutOffEveryJobRunsAndNoAttemptRunsTwice() throws Exception {
    List<Process> nodes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    try (JdbcJobStore store = PostgresServer.store(schema).lease(ClusterChild.LEASE).open()) {
      String role = schema + "_node1";
      sql(
          "CREATE ROLE " + role + " LOGIN",
          "GRANT ALL ON SCHEMA " + schema + " TO " + role,
          "GRANT ALL ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
          "GRANT ALL ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
      try {
        for (int i = 0; i < 3; i++) {
          nodes.add(start("node-" + i, logs, i == 1 ? role : PostgresServer.USER));
        }
        run(store, nodes, logs, role);
      } finally {
        sql("ALTER ROLE " + role + " LOGIN");
        nodes.forEach(Process::destroyForcibly);
        for (Process node : nodes) {
          node.waitFor(30, TimeUnit.SECONDS);
        }
        sql("DROP OWNED BY " + role, "DROP ROLE " + role);
      }
    } finally {
      nodes.forEach(Process::destroyForcibly);
    }
  }

  private void run(JdbcJobStore store, List<Process> nodes, List<Path> logs, String role)
      throws Exception {
    {
      seed(store);
      long began = System.nanoTime();

      await(() -> executions(logs) >= ONE_SHOTS / 5, "a fifth of the jobs to run");
      nodes.get(0).destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(nodes.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();

      await(() -> executions(logs) >= ONE_SHOTS * 2 / 5, "two fifths of the jobs to run");
      sql("ALTER ROLE " + role + " NOLOGIN");
      int terminated = cutOff("node-1", ClusterChild.LEASE.plusSeconds(3));
      sql("ALTER ROLE " + role + " LOGIN");

      await(() -> executions(logs) >= ONE_SHOTS * 3 / 5, "three fifths of the jobs to run");
      nodes.set(0, start("node-0-again", logs, PostgresServer.USER));

      await(() -> settled(store), "every one-shot job to end and no run to be left unfinished");
      long took = System.nanoTime() - began;
      for (Process node : nodes) {
        node.getOutputStream().close(); // a clean stop
      }
      for (Process node : nodes) {
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      List<String[]> lines = lines(logs);
      System.out.printf(
          "cluster: %d executions in %.1f s on 3 nodes (one killed, one cut off: %d backends"
              + " terminated)%n",
          lines.size(), took / 1e9, terminated);
      verify(store, lines);
    }
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection connection = PostgresServer.connect(null);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static void seed(JdbcJobStore store) {
    RetryPolicy retry = RetryPolicy.fixed(5, Duration.ofMillis(200));
    Instant now = Clock.systemUTC().instant();
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < TICKS; i++) {
      jobs.add(
          Job.builder("tick-" + i)
              .handler("work")
              .trigger(Trigger.every(Duration.ofSeconds(1)))
              .retry(retry)
              .build());
    }
    long step = SPREAD.toNanos() / ONE_SHOTS;
    for (int i = 0; i < ONE_SHOTS; i++) {
      jobs.add(
          Job.builder("once-" + i)
              .handler("work")
              .trigger(Trigger.once(now.plusMillis(500).plusNanos(step * i)))
              .retry(retry)
              .build());
    }
    // A scheduler that is never started: it only adds the jobs (and its store never leads).
    Scheduler adder = Scheduler.builder().store(store).clock(Clock.systemUTC()).build();
    adder.register("work", ctx -> {}); // never run here: the scheduler is not started
    adder.scheduleAll(jobs);
  }

  private Process start(String name, List<Path> logs, String user) throws IOException {
    Path log = dir.resolve(name + ".log");
    logs.add(log);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-cp"); // the child runs on the class path, whatever the tests run on
    command.add(
        String.join(
            File.pathSeparator,
            System.getProperty("jdk.module.path", ""),
            System.getProperty("java.class.path", "")));
    command.add(ClusterChild.class.getName());
    command.add(schema);
    command.add(log.toString());
    command.add("chime-cluster-" + name);
    command.add(user);
    Path stderr = dir.resolve(name + "-stderr.log");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertThat(first)
        .as("%s's first line; its stderr:%n%s", name, Files.readString(stderr))
        .startsWith("ready");
    return child;
  }

  /**
   * Terminates every backend of the node (its pool and its listener) every 50 ms for the time, its
   * role barred from logging in meanwhile: its heartbeats fail for longer than its lease, so the
   * others take it for dead.
   */
  private static int cutOff(String name, Duration time) throws SQLException {
    int terminated = 0;
    long until = System.nanoTime() + time.toNanos();
    try (Connection connection = PostgresServer.connect(null);
        Statement statement = connection.createStatement()) {
      while (System.nanoTime() < until) {
        try (var row =
            statement.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'chime-cluster-"
                    + name
                    + "'")) {
          row.next();
          terminated += row.getInt(1);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the cut-off's own pace
      }
    }
    return terminated;
  }

  private static boolean settled(JdbcJobStore store) {
    for (JobInfo info : store.list(JobQuery.ALL)) {
      if (info.id().value().startsWith("once-") && info.state() != JobState.FINISHED) {
        return false;
      }
    }
    RunPage open =
        store.runs(
            new RunQuery(
                null,
                Set.of(RunState.SCHEDULED, RunState.CLAIMED, RunState.RUNNING, RunState.RETRYING),
                RunQuery.MAX_LIMIT,
                null));
    return open.items().stream().allMatch(run -> run.jobId().value().startsWith("tick-"));
  }

  private static void verify(JdbcJobStore store, List<String[]> executions) {
    Set<String> attempts = new HashSet<>();
    Map<String, String> jobOfRun = new HashMap<>();
    Set<String> ranOn = new TreeSet<>();
    for (String[] e : executions) {
      assertThat(attempts.add(e[1] + "@" + e[2] + "#" + e[3]))
          .as("attempt %s of %s at %s ran twice", e[3], e[1], e[2])
          .isTrue();
      jobOfRun.put(e[0], e[1]);
      ranOn.add(e[4]);
    }
    // The three first nodes at least (the restarted one is a fourth, if it came up in time).
    assertThat(ranOn).as("nodes that ran jobs").hasSizeGreaterThanOrEqualTo(3);
    Map<String, List<Run>> runsByJob = new HashMap<>();
    for (Run run : allRuns(store)) {
      runsByJob.computeIfAbsent(run.jobId().value(), k -> new ArrayList<>()).add(run);
    }
    long interrupted =
        runsByJob.values().stream()
            .flatMap(List::stream)
            .filter(
                run ->
                    run.state() == RunState.FAILED
                        && String.valueOf(run.reason()).startsWith("interrupted"))
            .count();
    System.out.printf(
        "cluster: %d runs recorded, %d interrupted (taken over from a dead node), ran on %s%n",
        runsByJob.values().stream().mapToInt(List::size).sum(), interrupted, ranOn);
    Set<String> recorded = new HashSet<>();
    runsByJob.values().forEach(list -> list.forEach(run -> recorded.add(run.id().toString())));
    jobOfRun.forEach(
        (runId, job) ->
            assertThat(recorded)
                .as("run %s of %s executed but has no record", runId, job)
                .contains(runId));
    for (int i = 0; i < ONE_SHOTS; i++) {
      List<Run> runs = runsByJob.getOrDefault("once-" + i, List.of());
      assertThat(runs)
          .as("once-%d succeeded (runs: %s)", i, runs)
          .anyMatch(run -> run.state() == RunState.SUCCEEDED);
      for (Run run : runs) {
        if (run.state() == RunState.SUCCEEDED) {
          assertThat(jobOfRun)
              .as("succeeded run %s executed", run.id())
              .containsKey(run.id().toString());
        }
      }
    }
    for (int t = 0; t < TICKS; t++) {
      List<Run> ticks = runsByJob.get("tick-" + t);
      assertThat(ticks).as("tick-%d has records", t).isNotEmpty();
      Set<Instant> seen = new HashSet<>();
      for (Run run : ticks) {
        seen.add(run.scheduledFor());
        if (run.state() == RunState.SKIPPED || run.state() == RunState.CANCELLED) {
          assertThat(run.reason()).as("run %s says why it did not run", run.id()).isNotBlank();
        }
      }
      Instant first = ticks.stream().map(Run::scheduledFor).min(Instant::compareTo).orElseThrow();
      Instant last = ticks.stream().map(Run::scheduledFor).max(Instant::compareTo).orElseThrow();
      for (Instant at = first; !at.isAfter(last); at = at.plusSeconds(1)) {
        assertThat(seen).as("tick-%d due at %s left no record", t, at).contains(at);
      }
    }
  }

  private static List<Run> allRuns(JdbcJobStore store) {
    List<Run> all = new ArrayList<>();
    Long before = null;
    while (true) {
      RunPage page = store.runs(new RunQuery(null, Set.of(), RunQuery.MAX_LIMIT, before));
      all.addAll(page.items());
      if (page.nextCursor() == null) {
        return all;
      }
      before = page.nextCursor();
    }
  }

  private static int executions(List<Path> logs) {
    return lines(logs).size();
  }

  private static List<String[]> lines(List<Path> logs) {
    List<String[]> lines = new ArrayList<>();
    for (Path log : logs) {
      try {
        if (Files.exists(log)) {
          for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" ");
            if (parts.length == 5) { // a line the kill cut short is not an execution
              lines.add(parts);
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return lines;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      LockSupport.parkNanos(50_000_000); // poll the condition
    }
  }
}
