package dev.chime.jdbc;

import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What differs between the databases: how connections are had and transactions run, how an instant
 * and a JSON value are bound, the claim statement, run-id blocks and the migration lock. The SQL
 * that is the same for both lives with the tables ({@link Jobs}, {@link Runs}).
 */
abstract sealed class Dialect implements AutoCloseable permits SqliteDialect, PostgresDialect {
  /** A piece of work on one session. */
  @FunctionalInterface
  interface Work<T> {
    T run(Session session) throws SQLException;
  }

  private volatile boolean closed;

  /** The database, for messages ("PostgreSQL at jdbc:postgresql://..., schema x"). */
  abstract String describe();

  /** The folder of this dialect's migration files under {@code db/migration/}. */
  abstract String migrationFolder();

  /**
   * Work of one statement, or reads only: no explicit transaction (one round trip on PostgreSQL).
   * {@code what} names it in errors ("claim jobs").
   */
  final <T> T autocommit(String what, Work<T> work) {
    return call(what, false, work);
  }

  /** Work in one short transaction, committed at the end and rolled back on any failure. */
  final <T> T transaction(String what, Work<T> work) {
    return call(what, true, work);
  }

  private <T> T call(String what, boolean transaction, Work<T> work) {
    if (closed) {
      throw new SchedulerException(Kind.CLOSED, "the store on " + describe() + " is closed");
    }
    try {
      return lend(transaction ? session -> inTransaction(session, work) : work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T inTransaction(Session session, Work<T> work) throws SQLException {
    begin(session);
    try {
      T result = work.run(session);
      commit(session);
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        rollback(session);
      } catch (SQLException failed) {
        e.addSuppressed(failed);
      }
      throw e;
    }
  }

  /** Lends a session to the work, holding its connection (or the lock on it) until it ends. */
  abstract <T> T lend(Work<T> work) throws SQLException;

  abstract void begin(Session session) throws SQLException;

  abstract void commit(Session session) throws SQLException;

  abstract void rollback(Session session) throws SQLException;

  /** The database error as a refusal that names what failed, where, and the driver's words. */
  final SchedulerException failure(String what, SQLException e) {
    boolean duplicate =
        "23505".equals(e.getSQLState())
            || e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed");
    return new SchedulerException(
        duplicate ? Kind.CONFLICT : Kind.UNAVAILABLE,
        "cannot " + what + " in " + describe() + ": " + e.getMessage(),
        e);
  }

  /** The instant as stored: whole microseconds (both databases keep no more). */
  static Instant stored(Instant value) {
    return value == null ? null : value.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /**
   * A job's next occurrence as stored: rounded up to whole microseconds. Up, not down: the job
   * never fires early, and its trigger's next fire time after the stored occurrence is a later
   * occurrence, never the same one again (a {@code Once} at 12:00:00.0000005 stored as 12:00:00
   * would fire forever).
   */
  static Instant storedOccurrence(Instant value) {
    Instant down = stored(value);
    return down == null || down.equals(value) ? down : down.plusNanos(1000);
  }

  /** Binds the instant (or SQL NULL) as this database stores instants: UTC microseconds. */
  abstract void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException;

  /** Reads an instant (or null) written by {@link #setInstant}. */
  abstract Instant instant(ResultSet row, String column) throws SQLException;

  /**
   * SQL for "now plus an offset", one parameter bound by {@link #bindNowPlus}: on PostgreSQL the
   * database's clock ({@code now()}), so that the leases and heartbeats of nodes on several hosts
   * are judged by one clock; on SQLite (one host) the store's clock.
   */
  abstract String nowPlus();

  /**
   * Binds the parameter of {@link #nowPlus}: {@code offset} from now, where {@code clockNow} is now
   * by the store's clock (used only where the database has no clock of its own to judge by).
   */
  abstract void bindNowPlus(
      PreparedStatement statement, int index, Instant clockNow, java.time.Duration offset)
      throws SQLException;

  /** Binds JSON text (or SQL NULL) to a JSON column. */
  abstract void setJson(PreparedStatement statement, int index, String json) throws SQLException;

  /** Text as the database can keep it (PostgreSQL text cannot hold NUL characters). */
  String text(String value) {
    return value;
  }

  /**
   * The claim statement: parameters lease until ({@link #nowPlus}), horizon, now ({@link
   * #nowPlus}), limit; returns the claimed rows with {@link Jobs#COLUMNS}. The lease comparison
   * lives here and only here.
   */
  abstract String claimSql();

  /** Reserves a block of run ids unique in the database; returns {first, last}. */
  abstract long[] reserveRunIds(Session session) throws SQLException;

  /**
   * Inside the migration transaction, before anything is read: takes the lock that keeps two stores
   * opening at once from both applying a migration, and creates what must exist first.
   */
  abstract void lockForMigrations(Session session) throws SQLException;

  /**
   * Runs {@code work} holding the job-file lock, which only one store on the database holds at a
   * time (the servers of a cluster apply their job files one after another); waits for it up to
   * {@link #JOB_FILE_LOCK_WAIT}.
   */
  abstract <T> T holdingJobFileLock(java.util.function.Supplier<T> work);

  /** How long {@link #holdingJobFileLock} waits for another store to let go. */
  static final java.time.Duration JOB_FILE_LOCK_WAIT = java.time.Duration.ofSeconds(60);

  /** The column type of instants in {@code chime_migrations}. */
  abstract String instantType();

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /** Releases the connections. */
  abstract void release();
}
