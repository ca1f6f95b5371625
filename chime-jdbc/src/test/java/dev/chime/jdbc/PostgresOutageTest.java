package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.RetryPolicy;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database cuts Chime off under load: every backend of the store is terminated with {@code
 * pg_terminate_backend}, three times while jobs fire. The store's pool reconnects, failed writes
 * are retried or their occurrences claimed again, and in the end every job ran, none twice per
 * attempt.
 */
class PostgresOutageTest {
  private static final int JOBS = 400;
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static String schema;

  @BeforeAll
  static void createSchema() {
    schema = PostgresServer.createSchema("chime_outage");
  }

  @AfterAll
  static void dropSchema() {
    PostgresServer.drop(schema);
  }

  @Test
  void backendsTerminatedUnderLoadLoseNoOccurrenceAndRunNoAttemptTwice() throws Exception {
    Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    AtomicInteger total = new AtomicInteger();
    try (JdbcJobStore store =
            JdbcJobStore.builder(PostgresServer.URL + "?ApplicationName=" + schema)
                .user(PostgresServer.USER)
                .schema(schema)
                .poolSize(4)
                .lease(Duration.ofSeconds(4))
                .open();
        Scheduler scheduler =
            Scheduler.builder()
                .store(store)
                .clock(Clock.systemUTC())
                .maxConcurrency(4)
                .platformThreads(4)
                .build()) {
      scheduler.register(
          "work",
          ctx -> {
            String key = ctx.jobId() + "@" + ctx.scheduledFor() + "#" + ctx.attempt();
            executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
          });
      Instant start = Clock.systemUTC().instant().plusMillis(500);
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(
            Job.builder("job-" + i)
                .handler("work")
                .trigger(Trigger.once(start.plusMillis(10L * i)))
                .retry(RetryPolicy.fixed(5, Duration.ofMillis(100)))
                .build());
      }
      scheduler.scheduleAll(jobs);
      scheduler.start();
      for (int cut : new int[] {50, 150, 250}) {
        await(() -> total.get() >= cut, cut + " executions");
        assertThat(terminateBackends()).as("backends terminated").isPositive();
      }
      await(() -> settled(scheduler), "every job to have succeeded");
    }
    executions.forEach(
        (attempt, count) -> assertThat(count.get()).as("%s ran twice", attempt).isEqualTo(1));
  }

  private static boolean settled(Scheduler scheduler) {
    try {
      for (JobId id : scheduler.list(JobQuery.ALL).stream().map(i -> i.id()).toList()) {
        if (scheduler.get(id).orElseThrow().state() != JobState.FINISHED
            || scheduler.runs(id, 10).stream()
                .noneMatch(run -> run.state() == RunState.SUCCEEDED)) {
          return false;
        }
      }
      return scheduler.list(JobQuery.ALL).size() == JOBS;
    } catch (RuntimeException e) {
      return false; // the store is reconnecting
    }
  }

  /**
   * Terminates every connection of this test's store (named by the schema, so stores of other tests
   * or builds on the same server are left alone); returns how many.
   */
  private static int terminateBackends() throws SQLException {
    try (Connection admin = PostgresServer.connect(null);
        Statement statement = admin.createStatement();
        var row =
            statement.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = '"
                    + schema
                    + "' AND pid <> pg_backend_pid()")) {
      row.next();
      return row.getInt(1);
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("gave up after " + DEADLINE + " waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
