package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.spi.JobStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on the local PostgreSQL, in a schema of its own and a session zone that is not UTC: the
 * contract, the JDBC checks, and what is PostgreSQL's own.
 */
class PostgresStoreTest extends JdbcStoreTest {
  private static String schema;

  @BeforeAll
  static void createSchema() {
    schema = PostgresServer.createSchema("chime_store");
  }

  @AfterAll
  static void dropSchema() {
    PostgresServer.drop(schema);
  }

  @Override
  protected JobStore newStore() {
    JobStore opened = super.newStore();
    try {
      rawExecute("TRUNCATE chime_jobs, chime_runs, chime_nodes, chime_job_files");
    } catch (SQLException e) {
      opened.close();
      throw new IllegalStateException(e);
    }
    return opened;
  }

  @Override
  protected JdbcJobStore.Builder builder() {
    return PostgresServer.store(schema);
  }

  @Override
  protected JdbcJobStore.Builder emptyDatabase() {
    return PostgresServer.store(schema + "_none");
  }

  @Override
  protected Connection raw() throws SQLException {
    return PostgresServer.connect(schema);
  }

  @Override
  protected void awaitWaitingForTheJobFileLock(Thread waiter) {
    Await.until(() -> waitingForTheJobFileLock() > 0, "a store to wait for the job-file lock");
  }

  private long waitingForTheJobFileLock() {
    try {
      return rawLong(
          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
              + " AND classid = "
              + PostgresDialect.JOB_FILE_LOCK_SPACE
              + " AND objid = hashtext('"
              + schema
              + "')::oid");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A batch insert holds one connection: it must not wait for a second (its ids come first). */
  @Test
  void aBatchInsertOnAPoolOfOneDoesNotWaitForASecondConnection() {
    try (JdbcJobStore one = builder().poolSize(1).open()) {
      assertThat(one.insertAll(List.of(job("pool-a", null), job("pool-b", null)))).hasSize(2);
      assertThat(one.find(dev.chime.JobId.of("pool-b"))).isPresent();
    }
  }

  @Test
  void twoStoresOnOneSchemaTakeTheJobFileLockInTurn() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (JdbcJobStore one = builder().open();
        JdbcJobStore two = builder().open()) {
      Thread first =
          new Thread(
              () ->
                  one.withJobFileLock(
                      () -> {
                        order.add("one");
                        held.countDown();
                        awaitQuietly(release);
                        return null;
                      }));
      first.start();
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      Thread second = new Thread(() -> order.add(two.withJobFileLock(() -> "two")));
      second.start();
      awaitWaitingForTheJobFileLock(second);
      assertThat(order).containsExactly("one");
      release.countDown();
      first.join(30_000);
      second.join(30_000);
      assertThat(order).containsExactly("one", "two");
    }
  }

  @Override
  protected String migrationFolder() {
    return "postgresql";
  }

  @Override
  protected String epochMicros(String column) {
    return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
  }

  @Override
  protected String instantLiteral(Instant instant) {
    return "'" + instant + "'::timestamptz";
  }

  @Test
  void noSessionIsInUtcAndStoredInstantsAreUtc() throws SQLException {
    String jvmZone = java.util.TimeZone.getDefault().getID();
    assertThat(jvmZone)
        .as("the stores' sessions take the JVM's zone")
        .isNotIn("UTC", "Etc/UTC", "GMT");
    try (Connection session =
            java.sql.DriverManager.getConnection(PostgresServer.URL, PostgresServer.USER, null);
        var statement = session.createStatement();
        var zone = statement.executeQuery("SHOW TimeZone")) {
      zone.next();
      assertThat(zone.getString(1)).isEqualTo(jvmZone);
    }
    assertThat(rawString("SHOW TimeZone")).isEqualTo(PostgresServer.RAW_ZONE);
    store.insert(job("a", NOW));
    assertThat(
            rawString(
                "SELECT to_char(next_fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM chime_jobs"))
        .isEqualTo("2026-03-29 00:30:00");
    assertThat(rawString("SELECT to_char(next_fire_at, 'YYYY-MM-DD HH24:MI') FROM chime_jobs"))
        .as("the same instant, shown in the raw session's zone (+05:45)")
        .isEqualTo("2026-03-29 06:15");
  }

  @Test
  void textWithNulCharactersIsKept() {
    RunId id = store.newRunId();
    Run run = run(id, JobId.of("a"), NOW, RunState.SUCCEEDED);
    store.record(
        List.of(
            new Run(
                id,
                run.jobId(),
                NOW,
                1,
                RunState.FAILED,
                "r\0",
                null,
                null,
                "e\0rr",
                "log\0",
                0,
                null,
                null,
                null,
                null)));
    Run back = store.run(id).orElseThrow();
    assertThat(back.log()).isEqualTo("log\uFFFD");
    assertThat(back.error()).isEqualTo("e\uFFFDrr");
  }

  @Test
  void storesOpeningAtOnceApplyEachMigrationOnce() throws Exception {
    String fresh = PostgresServer.createSchema("chime_race");
    PostgresServer.drop(fresh);
    try {
      ExecutorService threads = Executors.newFixedThreadPool(4);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JdbcJobStore>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opened.add(
            threads.submit(
                () -> {
                  go.await();
                  return PostgresServer.store(fresh).poolSize(1).open();
                }));
      }
      go.countDown();
      for (Future<JdbcJobStore> store : opened) {
        store.get().close();
      }
      threads.shutdown();
      try (Connection c = PostgresServer.connect(fresh);
          var s = c.createStatement();
          var rows = s.executeQuery("SELECT count(*), min(version) FROM chime_migrations")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(Migrations.FILES.size());
        assertThat(rows.getInt(2)).isEqualTo(1);
      }
    } finally {
      PostgresServer.drop(fresh);
    }
  }

  @Test
  void anUnreachableServerIsNamedWithoutItsPassword() {
    assertThatThrownBy(
            () ->
                JdbcJobStore.postgres("jdbc:postgresql://127.0.0.1:1/test?user=x&password=hunter2"))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageStartingWith(
            "cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/test?user=x&password=***")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void schemaNamesMustBeIdentifiers() {
    assertThatThrownBy(() -> builder().schema("drop table; --"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "schema must be an SQL identifier (1-63 letters, digits and _, not starting with a"
                + " digit), was 'drop table; --'");
    assertThatThrownBy(() -> builder().poolSize(0)).hasMessage("poolSize must be 1-100, was 0");
  }

  @Override
  protected String minusSeconds(String column, int seconds) {
    return column + " - interval '" + seconds + " seconds'";
  }
}
