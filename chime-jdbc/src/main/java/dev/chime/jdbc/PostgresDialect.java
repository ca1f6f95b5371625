package dev.chime.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL: a small Hikari pool, a connection lent per piece of work; single statements run in
 * autocommit (one round trip), the rest in a transaction. The claim is one {@code UPDATE ... WHERE
 * id = ANY(ARRAY(SELECT ... FOR UPDATE SKIP LOCKED)) RETURNING} statement, so nodes claiming at
 * once take disjoint rows without waiting for each other. Instants are {@code timestamptz}, bound
 * as UTC offset date-times, so the session's time zone never enters. The optional schema is the
 * connections' {@code search_path}: the SQL names no schema, as the migration files do not.
 */
final class PostgresDialect extends Dialect {
  static final String PREFIX = "jdbc:postgresql:";

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PostgresDialect.class);

  /** Keys the migration lock, with the schema's hash ("chim" in ASCII). */
  private static final int LOCK_SPACE = 0x6368696D;

  /** Keys the job-file lock, with the schema's hash ("chjf" in ASCII). */
  static final int JOB_FILE_LOCK_SPACE = 0x63686A66;

  private final String url;
  private final String schema;
  private final HikariDataSource pool;
  private final String user;
  private final String password;

  private PostgresDialect(
      String url, String schema, HikariDataSource pool, String user, String password) {
    this.url = url;
    this.schema = schema;
    this.pool = pool;
    this.user = user;
    this.password = password;
  }

  /**
   * A connection of its own, not from the pool (the wake-up listener holds one for as long as the
   * store is open).
   */
  Connection connectOutsideThePool() throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    if (!url.toLowerCase(java.util.Locale.ROOT).contains("applicationname=")) {
      properties.setProperty("ApplicationName", "chime");
    }
    return java.sql.DriverManager.getConnection(url, properties);
  }

  /**
   * The wake-up channel of this store's tables: {@code chime_} and the schema (the first of the
   * search path if none was set), cut to PostgreSQL's 63-byte names.
   */
  String channel() {
    String channel = "chime_" + schemaName();
    return channel.length() > 63 ? channel.substring(0, 63) : channel;
  }

  /** The schema of the tables: the one set, or the first of the search path. */
  private String schemaName() {
    return schema != null
        ? schema
        : autocommit("read the current schema", PostgresDialect::currentSchema);
  }

  /** Connects (the pool's first connection is opened now, so a bad URL fails here). */
  static PostgresDialect open(
      String url, String user, String password, String schema, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setSchema(schema);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setPoolName("chime" + (schema == null ? "" : "-" + schema));
    config.setConnectionTimeout(10_000);
    if (!url.toLowerCase(java.util.Locale.ROOT).contains("applicationname=")) {
      config.addDataSourceProperty("ApplicationName", "chime"); // unless the URL names it
    }
    // A batch of inserts goes as multi-row INSERTs: scheduleAll at 25k jobs/s became ~100k here.
    // (Update counts of rewritten inserts are SUCCESS_NO_INFO, so insertAll checks ids first.)
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    try {
      return new PostgresDialect(url, schema, new HikariDataSource(config), user, password);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new SchedulerException(
          Kind.UNAVAILABLE,
          "cannot connect to PostgreSQL at " + masked(url) + ": " + cause.getMessage(),
          e);
    }
  }

  /** The URL without a password in it. */
  static String masked(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  String describe() {
    return "PostgreSQL at " + masked(url) + (schema == null ? "" : ", schema " + schema);
  }

  @Override
  String migrationFolder() {
    return "postgresql";
  }

  @Override
  <T> T lend(Work<T> work) throws SQLException {
    try (Connection connection = pool.getConnection();
        Session session = new Session(connection)) {
      return work.run(session);
    }
  }

  @Override
  void begin(Session session) throws SQLException {
    // The pool sets autocommit back when the connection returns.
    session.connection().setAutoCommit(false);
  }

  @Override
  void commit(Session session) throws SQLException {
    session.connection().commit();
  }

  @Override
  void rollback(Session session) throws SQLException {
    session.connection().rollback();
  }

  @Override
  void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(stored(value), ZoneOffset.UTC));
    }
  }

  @Override
  Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** The database's clock: {@code now()} (the transaction's start) plus microseconds. */
  @Override
  String nowPlus() {
    return "(now() + ?::bigint * interval '1 microsecond')";
  }

  @Override
  void bindNowPlus(PreparedStatement statement, int index, Instant clockNow, Duration offset)
      throws SQLException {
    statement.setLong(index, TimeUnit.NANOSECONDS.toMicros(offset.toNanos()));
  }

  @Override
  void setJson(PreparedStatement statement, int index, String json) throws SQLException {
    // Types.OTHER sends the text untyped, so the server reads it as the column's json.
    statement.setObject(index, json, Types.OTHER);
  }

  @Override
  String text(String value) {
    return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
  }

  /**
   * {@code id = ANY(ARRAY(...))} rather than {@code id IN (...)}: with IN the planner hashes the
   * claimed ids and scans the whole table for them (28 ms for 512 claims among 100k jobs here); the
   * array makes it an index lookup per claimed id (9 ms).
   */
  @Override
  String claimSql() {
    return String.format(
            Locale.ROOT,
            """
        UPDATE chime_jobs SET token = token + 1, lease_until = %1$s
        WHERE id = ANY(ARRAY(SELECT id FROM chime_jobs
          WHERE state = 'active' AND quarantine IS NULL AND next_fire_at <= ?
            AND (lease_until IS NULL OR lease_until <= %1$s)
          ORDER BY next_fire_at LIMIT ? FOR UPDATE SKIP LOCKED))
        RETURNING\s""",
            nowPlus())
        + Jobs.COLUMNS;
  }

  @Override
  long[] reserveRunIds(Session session) throws SQLException {
    // The sequence's increment is the block size (hi/lo): each nextval owns [value, value + inc).
    PreparedStatement next =
        session.prepare(
            "SELECT nextval('chime_run_ids'), seqincrement FROM pg_sequence"
                + " WHERE seqrelid = 'chime_run_ids'::regclass");
    try (ResultSet row = next.executeQuery()) {
      row.next();
      long first = row.getLong(1);
      return new long[] {first, first + row.getLong(2) - 1};
    }
  }

  @Override
  void lockForMigrations(Session session) throws SQLException {
    String name = schema == null ? currentSchema(session) : schema;
    PreparedStatement lock = session.prepare("SELECT pg_advisory_xact_lock(?, hashtext(?))");
    lock.setInt(1, LOCK_SPACE);
    lock.setString(2, name);
    lock.execute();
    PreparedStatement exists = session.prepare("SELECT 1 FROM pg_namespace WHERE nspname = ?");
    exists.setString(1, name);
    try (ResultSet row = exists.executeQuery()) {
      if (!row.next()) {
        session.execute("CREATE SCHEMA \"" + name + "\"");
      }
    }
  }

  private static String currentSchema(Session session) throws SQLException {
    try (ResultSet row = session.prepare("SELECT current_schema()").executeQuery()) {
      String name = row.next() ? row.getString(1) : null;
      if (name == null) {
        throw new SQLException("no schema: the search_path names none that exists");
      }
      return name;
    }
  }

  /**
   * {@code pg_advisory_xact_lock(JOB_FILE_LOCK_SPACE, hashtext(schema))} in a transaction on a
   * connection of its own (the work uses the pool, which may have one connection), held until the
   * work ends and then rolled back; a node that dies holding it loses its connection, and so the
   * lock. Waits at most {@link #JOB_FILE_LOCK_WAIT} ({@code lock_timeout}).
   */
  @Override
  <T> T holdingJobFileLock(java.util.function.Supplier<T> work) {
    String name = schemaName();
    try (Connection connection = connectOutsideThePool()) {
      connection.setAutoCommit(false);
      try (var timeout = connection.createStatement();
          PreparedStatement lock =
              connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
        timeout.execute("SET LOCAL lock_timeout = " + JOB_FILE_LOCK_WAIT.toMillis());
        lock.setInt(1, JOB_FILE_LOCK_SPACE);
        lock.setString(2, name);
        lock.execute();
      }
      try {
        return work.get();
      } finally {
        endQuietly(connection);
      }
    } catch (SQLException e) {
      throw failure("take the job-file lock", e);
    }
  }

  /** Rolls back (letting the lock go); if that fails, closing the connection lets it go too. */
  private static void endQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback after the job-file lock failed; the connection closes anyway", e);
    }
  }

  @Override
  String instantType() {
    return "timestamptz";
  }

  @Override
  void release() {
    pool.close();
  }
}
