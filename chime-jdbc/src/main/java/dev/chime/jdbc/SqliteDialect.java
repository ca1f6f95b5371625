package dev.chime.jdbc;

import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite: one connection for the store, used by one thread at a time (SQLite has one writer per
 * file anyway), in WAL mode so readers in other processes do not block it, {@code
 * synchronous=NORMAL} (durable across a process crash; the last transactions may be lost on power
 * loss) and a busy timeout for the other processes that share the file. Its prepared statements
 * live as long as the store. Writes take the write lock at once ({@code BEGIN IMMEDIATE}), so two
 * stores on one file wait for each other instead of failing on a stale snapshot. Instants are
 * INTEGER microseconds since the epoch, UTC.
 */
final class SqliteDialect extends Dialect {
  static final String PREFIX = "jdbc:sqlite:";

  /** How long a write waits for another process's write before it fails. */
  static final int BUSY_TIMEOUT_MS = 5_000;

  /** Run ids reserved per trip to the counter row. */
  static final int RUN_ID_BLOCK = 1_000;

  private final String url;
  private final Session session;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock jobFileLock = new ReentrantLock();

  private SqliteDialect(String url, Connection connection) {
    this.url = url;
    this.session = new Session(connection);
  }

  /** Opens the database at the URL, creating the file and its folders if missing. */
  static SqliteDialect open(String url) {
    String target = url.substring(PREFIX.length());
    if (!target.isEmpty() && !target.startsWith(":") && !target.startsWith("file:")) {
      createFolders(Path.of(target).toAbsolutePath().getParent(), url);
    }
    Properties pragmas = new Properties();
    pragmas.setProperty("journal_mode", "WAL");
    pragmas.setProperty("synchronous", "NORMAL");
    pragmas.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    // Nothing here asks for generated keys; with them on, the driver matches every statement
    // against a pattern and runs "SELECT last_insert_rowid()" after each INSERT (4% of a POST's
    // CPU in the server bench).
    pragmas.setProperty("jdbc.get_generated_keys", "false");
    try {
      // The driver itself, not DriverManager: DriverManager first loads every JDBC driver on the
      // class path, and PostgreSQL's pulls in java.util.logging (about 75 classes an idle server
      // kept for nothing: docs/benchmarks.md, Server).
      Connection connection = org.sqlite.JDBC.createConnection(url, pragmas);
      if (connection == null) {
        throw new SQLException("not a SQLite URL: " + url);
      }
      return new SqliteDialect(url, connection);
    } catch (SQLException e) {
      throw new SchedulerException(
          Kind.UNAVAILABLE, "cannot open the SQLite database " + url + ": " + e.getMessage(), e);
    }
  }

  private static void createFolders(Path folder, String url) {
    try {
      if (folder != null) {
        Files.createDirectories(folder);
      }
    } catch (IOException e) {
      throw new SchedulerException(
          Kind.UNAVAILABLE,
          "cannot create the folder " + folder + " for the SQLite database " + url + ": " + e,
          e);
    }
  }

  @Override
  String describe() {
    return "the SQLite database " + url;
  }

  @Override
  String migrationFolder() {
    return "sqlite";
  }

  @Override
  <T> T lend(Work<T> work) throws SQLException {
    lock.lock();
    try {
      return work.run(session);
    } finally {
      lock.unlock();
    }
  }

  @Override
  void begin(Session work) throws SQLException {
    work.prepare("BEGIN IMMEDIATE").execute();
  }

  @Override
  void commit(Session work) throws SQLException {
    work.prepare("COMMIT").execute();
  }

  @Override
  void rollback(Session work) throws SQLException {
    work.prepare("ROLLBACK").execute();
  }

  @Override
  void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, micros(value));
    }
  }

  @Override
  Instant instant(ResultSet row, String column) throws SQLException {
    long micros = row.getLong(column);
    return row.wasNull() ? null : instant(micros);
  }

  /** Microseconds since the epoch (sub-microsecond digits are dropped). */
  static long micros(Instant value) {
    return Math.addExact(
        Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1000);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  @Override
  void setJson(PreparedStatement statement, int index, String json) throws SQLException {
    statement.setString(index, json);
  }

  @Override
  String claimSql() {
    return String.format(
            Locale.ROOT,
            """
        UPDATE chime_jobs SET token = token + 1, lease_until = %1$s
        WHERE id IN (SELECT id FROM chime_jobs
          WHERE state = 'active' AND quarantine IS NULL AND next_fire_at <= ?
            AND (lease_until IS NULL OR lease_until <= %1$s)
          ORDER BY next_fire_at LIMIT ?)
        RETURNING\s""",
            nowPlus())
        + Jobs.COLUMNS;
  }

  /** One host: the store's clock. */
  @Override
  String nowPlus() {
    return "?";
  }

  @Override
  void bindNowPlus(
      PreparedStatement statement, int index, Instant clockNow, java.time.Duration offset)
      throws SQLException {
    setInstant(statement, index, clockNow.plus(offset));
  }

  @Override
  long[] reserveRunIds(Session work) throws SQLException {
    PreparedStatement bump =
        work.prepare(
            "UPDATE chime_counters SET value = value + ? WHERE name = 'run_id' RETURNING value");
    bump.setLong(1, RUN_ID_BLOCK);
    try (ResultSet row = bump.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("the counter row 'run_id' of chime_counters is missing");
      }
      long last = row.getLong(1);
      return new long[] {last - RUN_ID_BLOCK + 1, last};
    }
  }

  @Override
  void lockForMigrations(Session work) {
    // BEGIN IMMEDIATE has taken the database's write lock already.
  }

  /**
   * A lock of this store: SQLite serves one process, so there is no other node to wait for (the
   * write lock cannot be held across the work: the work writes through this store's one session).
   */
  @Override
  <T> T holdingJobFileLock(java.util.function.Supplier<T> work) {
    try {
      if (!jobFileLock.tryLock(
          JOB_FILE_LOCK_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new SchedulerException(
            Kind.UNAVAILABLE,
            "cannot take the job-file lock of " + describe() + " within " + JOB_FILE_LOCK_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchedulerException(Kind.CLOSED, "interrupted waiting for the job-file lock", e);
    }
    try {
      return work.get();
    } finally {
      jobFileLock.unlock();
    }
  }

  @Override
  String instantType() {
    return "INTEGER";
  }

  @Override
  void release() {
    lock.lock();
    try {
      session.close();
      session.connection().close();
    } catch (SQLException e) {
      throw failure("close the connection", e);
    } finally {
      lock.unlock();
    }
  }
}
