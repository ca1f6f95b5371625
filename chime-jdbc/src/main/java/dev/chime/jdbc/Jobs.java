package dev.chime.jdbc;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.spi.Claim;
import dev.chime.spi.Quarantined;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chime_jobs} table: jobs, their versions, claims (fencing token and lease) and
 * quarantine. A row whose definition or state cannot be read is quarantined where it is read: its
 * reason is written, it is never claimed again, and every other job reads on.
 */
final class Jobs {
  /** The columns every job query returns, in this order. */
  static final String COLUMNS =
      "id, definition, state, note, next_fire_at, run_count, version, token";

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private static final String INSERT_STRICT =
      "INSERT INTO chime_jobs (id, definition, state, note, next_fire_at, run_count, version,"
          + " token, created_at, updated_at, event) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)";
  private static final String INSERT = INSERT_STRICT + " ON CONFLICT (id) DO NOTHING";
  private static final String UPDATE =
      "UPDATE chime_jobs SET definition = ?, state = ?, note = ?, next_fire_at = ?, run_count = ?,"
          + " version = version + 1, token = token + 1, lease_until = NULL, quarantine = NULL,"
          + " quarantined_at = NULL, updated_at = ?, event = ? WHERE id = ? AND version = ?";
  private static final String ADVANCE =
      "UPDATE chime_jobs SET next_fire_at = ?, run_count = ?, state = ?, lease_until = NULL,"
          + " version = version + 1, updated_at = ? WHERE id = ? AND token = ?"
          + " AND lease_until IS NOT NULL";
  private static final String RELEASE =
      "UPDATE chime_jobs SET lease_until = NULL WHERE id = ? AND token = ?"
          + " AND lease_until IS NOT NULL";
  private static final String NEXT_DUE =
      "SELECT next_fire_at FROM chime_jobs WHERE state = 'active' AND quarantine IS NULL"
          + " AND next_fire_at IS NOT NULL AND lease_until IS NULL ORDER BY next_fire_at LIMIT 1";
  private static final String UNQUARANTINE =
      "UPDATE chime_jobs SET quarantine = NULL, quarantined_at = NULL, version = version + 1,"
          + " token = token + 1, lease_until = NULL, updated_at = ? WHERE id = ? AND quarantine = ?";
  private static final String QUARANTINE =
      "UPDATE chime_jobs SET quarantine = ?, quarantined_at = COALESCE(quarantined_at, ?),"
          + " token = token + 1, lease_until = NULL, updated_at = ? WHERE id = ?";

  /**
   * A new row's first token is {@code id << TOKEN_SHIFT} for a fresh id from the run-id blocks, so
   * a job deleted and inserted again never takes a token its earlier self handed out (that would
   * need 2^20 claims per run id handed out in between).
   */
  static final int TOKEN_SHIFT = 20;

  private final Dialect db;
  private final Clock clock;
  private final LongSupplier freshIds;
  // Where the exception types that definitions name are looked up: the context class loader of the
  // thread that opened the store (the server's knows its plugins' classes), whichever thread reads.
  private final ClassLoader classes;

  /** A row as stored, before its definition is read. */
  private record Row(
      String id,
      String definition,
      String state,
      String note,
      Instant nextFireAt,
      long runCount,
      long version,
      long token) {}

  Jobs(Dialect db, Clock clock, LongSupplier freshIds) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    this.classes = context != null ? context : Jobs.class.getClassLoader();
    this.db = db;
    this.clock = clock;
    this.freshIds = freshIds;
  }

  JobInfo insert(JobInfo info) {
    String definition = JobCodec.encode(info.job());
    long token = freshIds.getAsLong() << TOKEN_SHIFT;
    int inserted =
        db.autocommit(
            "insert job " + info.id(),
            session -> {
              PreparedStatement insert = session.prepare(INSERT);
              Instant now = clock.instant();
              insert.setString(1, info.id().value());
              db.setJson(insert, 2, definition);
              insert.setString(3, name(info.state()));
              insert.setString(4, db.text(info.note()));
              db.setInstant(insert, 5, Dialect.storedOccurrence(info.nextFireAt()));
              insert.setLong(6, info.runCount());
              insert.setLong(7, token);
              db.setInstant(insert, 8, now);
              db.setInstant(insert, 9, now);
              insert.setString(10, event(info));
              return insert.executeUpdate();
            });
    if (inserted == 0) {
      throw new SchedulerException(
          Kind.CONFLICT, "job " + info.id() + " already exists" + quarantineNote(info.id()));
    }
    return written(info, definition, 1);
  }

  /**
   * Inserts the jobs in one transaction, all or none: first the ids already taken are looked up
   * (CONFLICT naming them), then one batch of plain inserts (a job inserted meanwhile by another
   * store fails the batch as a duplicate key, also CONFLICT).
   */
  List<JobInfo> insertAll(List<JobInfo> infos) {
    List<String> definitions = infos.stream().map(info -> JobCodec.encode(info.job())).toList();
    // The tokens' fresh ids before the transaction: reserving a block inside it nested a second
    // session in it (SQLite: the block rolled back with a failed batch and was handed out again,
    // and the session and id locks were taken in both orders, a deadlock; PostgreSQL: a second
    // connection waited on a full pool).
    long[] tokens = new long[infos.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = freshIds.getAsLong() << TOKEN_SHIFT;
    }
    db.transaction(
        "insert " + infos.size() + " jobs",
        session -> {
          List<String> taken = taken(session, infos);
          if (!taken.isEmpty()) {
            // Thrown inside the transaction, so it is rolled back: all or none.
            throw new SchedulerException(Kind.CONFLICT, "jobs already exist: " + taken);
          }
          PreparedStatement insert = session.prepare(INSERT_STRICT);
          Instant now = clock.instant();
          for (int i = 0; i < infos.size(); i++) {
            JobInfo info = infos.get(i);
            insert.setString(1, info.id().value());
            db.setJson(insert, 2, definitions.get(i));
            insert.setString(3, name(info.state()));
            insert.setString(4, db.text(info.note()));
            db.setInstant(insert, 5, Dialect.storedOccurrence(info.nextFireAt()));
            insert.setLong(6, info.runCount());
            insert.setLong(7, tokens[i]);
            db.setInstant(insert, 8, now);
            db.setInstant(insert, 9, now);
            insert.setString(10, event(info));
            insert.addBatch();
          }
          insert.executeBatch();
          return null;
        });
    List<JobInfo> stored = new ArrayList<>(infos.size());
    for (int i = 0; i < infos.size(); i++) {
      stored.add(written(infos.get(i), definitions.get(i), 1));
    }
    return stored;
  }

  /**
   * A job just written, as a later read returns it: the job as given, not decoded back from its
   * JSON (that doubled the cost of a batch, and was about a sixth of a {@code POST /api/v1/jobs});
   * a job with params that might read back as other types (a long, float or decimal number) gets
   * them as JSON reads them, like every read of the job.
   */
  private JobInfo written(JobInfo info, String definition, long version) {
    if (!readsBackEqual(info.job().params())) {
      return stored(info, definition, version);
    }
    return new JobInfo(
        info.job(),
        info.state(),
        info.note(),
        Dialect.storedOccurrence(info.nextFireAt()),
        info.runCount(),
        version);
  }

  /**
   * Whether the JSON value reads back from its JSON text as an equal value: strings, booleans,
   * nulls and ints, also in lists and maps. Other numbers may not: a long that fits an int reads
   * back as an Integer, a float or a decimal as a Double.
   */
  private static boolean readsBackEqual(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer) {
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      return map.values().stream().allMatch(Jobs::readsBackEqual);
    }
    if (value instanceof List<?> list) {
      return list.stream().allMatch(Jobs::readsBackEqual);
    }
    return false;
  }

  /** The ids of the jobs that are taken already, looked up in chunks. */
  private static List<String> taken(Session session, List<JobInfo> infos) throws SQLException {
    List<String> taken = new ArrayList<>();
    int chunk = 500;
    for (int from = 0; from < infos.size(); from += chunk) {
      List<JobInfo> part = infos.subList(from, Math.min(from + chunk, infos.size()));
      PreparedStatement select =
          session.prepare(
              "SELECT id FROM chime_jobs WHERE id IN ("
                  + String.join(", ", java.util.Collections.nCopies(part.size(), "?"))
                  + ") ORDER BY id");
      for (int i = 0; i < part.size(); i++) {
        select.setString(i + 1, part.get(i).id().value());
      }
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          taken.add(row.getString(1));
        }
      }
    }
    return taken;
  }

  JobInfo update(JobInfo info) {
    String definition = JobCodec.encode(info.job());
    int updated =
        db.autocommit(
            "update job " + info.id(),
            session -> {
              PreparedStatement update = session.prepare(UPDATE);
              db.setJson(update, 1, definition);
              update.setString(2, name(info.state()));
              update.setString(3, db.text(info.note()));
              db.setInstant(update, 4, Dialect.storedOccurrence(info.nextFireAt()));
              update.setLong(5, info.runCount());
              db.setInstant(update, 6, clock.instant());
              update.setString(7, event(info));
              update.setString(8, info.id().value());
              update.setLong(9, info.version());
              return update.executeUpdate();
            });
    if (updated == 0) {
      throw refusedUpdate(info);
    }
    return written(info, definition, info.version() + 1);
  }

  private SchedulerException refusedUpdate(JobInfo info) {
    Optional<Long> version =
        db.autocommit(
            "read the version of job " + info.id(),
            session -> {
              PreparedStatement select =
                  session.prepare("SELECT version FROM chime_jobs WHERE id = ?");
              select.setString(1, info.id().value());
              try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.<Long>empty();
              }
            });
    if (version.isEmpty()) {
      return new SchedulerException(Kind.NOT_FOUND, "no job " + info.id());
    }
    return new SchedulerException(
        Kind.CONFLICT,
        "job "
            + info.id()
            + " was changed meanwhile (version "
            + version.get()
            + ", the update was based on version "
            + info.version()
            + ")");
  }

  private String quarantineNote(JobId id) {
    return quarantined().stream()
        .filter(q -> q.id().equals(id))
        .findFirst()
        .map(q -> " (quarantined: " + q.reason() + "; delete it first)")
        .orElse("");
  }

  /** The job as a later read returns it: the definition as read back, the occurrence as stored. */
  private JobInfo stored(JobInfo info, String definition, long version) {
    return new JobInfo(
        JobCodec.decode(info.id(), definition, classes),
        info.state(),
        info.note(),
        Dialect.storedOccurrence(info.nextFireAt()),
        info.runCount(),
        version);
  }

  Optional<JobInfo> find(JobId id) {
    List<Row> rows =
        db.autocommit(
            "find job " + id,
            session -> {
              PreparedStatement select =
                  session.prepare(
                      "SELECT " + COLUMNS + " FROM chime_jobs WHERE id = ? AND quarantine IS NULL");
              select.setString(1, id.value());
              return rows(select);
            });
    return decoded(rows).stream().findFirst();
  }

  List<JobInfo> list(JobQuery query) {
    List<Row> rows =
        db.autocommit(
            "list jobs",
            session -> {
              String where = query.state() == null ? "" : " AND state = ?";
              PreparedStatement select =
                  session.prepare(
                      "SELECT "
                          + COLUMNS
                          + " FROM chime_jobs WHERE quarantine IS NULL"
                          + where
                          + " ORDER BY id");
              if (query.state() != null) {
                select.setString(1, name(query.state()));
              }
              return rows(select);
            });
    return decoded(rows).stream().filter(query::matches).toList();
  }

  /** Rows read per query while a page with a label or text filter (applied here) fills up. */
  private static final int PAGE_CHUNK = 500;

  /**
   * One page of {@link #list(JobQuery)}, read by id from {@code after} on: the state filter is in
   * the SQL and the label and text filters here, so a query with one of those reads on in chunks
   * until the page is full or the jobs run out. A page costs its own rows, not every job's.
   */
  List<JobInfo> list(JobQuery query, JobId after, int limit) {
    List<JobInfo> page = new ArrayList<>(Math.min(limit, PAGE_CHUNK));
    boolean filtered = query.label() != null || query.text() != null;
    String from = after == null ? null : after.value();
    while (page.size() < limit) {
      String start = from;
      int size = filtered ? Math.max(PAGE_CHUNK, limit - page.size()) : limit - page.size();
      List<Row> rows =
          db.autocommit(
              "list jobs",
              session -> {
                PreparedStatement select =
                    session.prepare(
                        "SELECT "
                            + COLUMNS
                            + " FROM chime_jobs WHERE quarantine IS NULL"
                            + (query.state() == null ? "" : " AND state = ?")
                            + (start == null ? "" : " AND id > ?")
                            + " ORDER BY id LIMIT ?");
                int at = 1;
                if (query.state() != null) {
                  select.setString(at++, name(query.state()));
                }
                if (start != null) {
                  select.setString(at++, start);
                }
                select.setInt(at, size);
                return rows(select);
              });
      for (JobInfo info : decoded(rows)) {
        if (page.size() < limit && query.matches(info)) {
          page.add(info);
        }
      }
      if (rows.size() < size) {
        break;
      }
      from = rows.get(rows.size() - 1).id();
    }
    return page;
  }

  /** The event the job listens to, for the indexed {@code event} column; else null. */
  private static String event(JobInfo info) {
    return info.job().trigger() instanceof dev.chime.Trigger.OnEvent on ? on.name() : null;
  }

  /** The jobs listening to the event, by id, found through the {@code chime_jobs_event} index. */
  List<JobInfo> listening(String event) {
    List<Row> rows =
        db.autocommit(
            "list the jobs of event " + event,
            session -> {
              PreparedStatement select =
                  session.prepare(
                      "SELECT "
                          + COLUMNS
                          + " FROM chime_jobs WHERE event = ? AND quarantine IS NULL ORDER BY id");
              select.setString(1, event);
              return rows(select);
            });
    return decoded(rows);
  }

  /** Deletes the job's row on the session, in its transaction; whether there was one. */
  boolean delete(Session session, JobId id) throws SQLException {
    PreparedStatement delete = session.prepare("DELETE FROM chime_jobs WHERE id = ?");
    delete.setString(1, id.value());
    return delete.executeUpdate() > 0;
  }

  Optional<Instant> nextDue() {
    return db.autocommit(
        "find the next due job",
        session -> {
          try (ResultSet row = session.prepare(NEXT_DUE).executeQuery()) {
            return row.next() ? Optional.of(db.instant(row, "next_fire_at")) : Optional.empty();
          }
        });
  }

  List<Claim> claim(Instant now, Instant horizon, int limit, Instant leaseUntil) {
    if (limit < 1) {
      return List.of();
    }
    List<Row> rows =
        db.autocommit(
            "claim jobs",
            session -> {
              PreparedStatement claim = session.prepare(db.claimSql());
              // Leases are judged by the database's clock where it has one: the caller's "now"
              // enters only as its distance from the present by this store's clock (zero in
              // production, where both are the system clock; a test's fake clock moves it).
              Instant present = clock.instant();
              Duration ahead = Duration.between(present, now);
              db.bindNowPlus(claim, 1, present, ahead.plus(Duration.between(now, leaseUntil)));
              db.setInstant(claim, 2, horizon);
              db.bindNowPlus(claim, 3, present, ahead);
              claim.setInt(4, limit);
              return rows(claim);
            });
    List<Claim> claims = new ArrayList<>(rows.size());
    for (Row row : rows) {
      JobInfo info = decode(row);
      if (info != null) {
        claims.add(new Claim(info, row.nextFireAt(), row.token()));
      }
    }
    claims.sort(
        Comparator.comparing(Claim::scheduledFor).thenComparing(claim -> claim.job().id().value()));
    return claims;
  }

  boolean advance(Claim claim, Instant nextFireAt, long runCount, JobState state) {
    return db.autocommit(
        "advance job " + claim.job().id(),
        session -> {
          PreparedStatement advance = session.prepare(ADVANCE);
          db.setInstant(advance, 1, Dialect.storedOccurrence(nextFireAt));
          advance.setLong(2, runCount);
          advance.setString(3, name(state));
          db.setInstant(advance, 4, clock.instant());
          advance.setString(5, claim.job().id().value());
          advance.setLong(6, claim.token());
          return advance.executeUpdate() > 0;
        });
  }

  /**
   * Applies the advances on the session (one batch of token-checked updates); returns, per advance,
   * whether it was applied.
   */
  boolean[] advance(Session session, List<dev.chime.spi.Advance> advances) throws SQLException {
    PreparedStatement advance = session.prepare(ADVANCE);
    Instant now = clock.instant();
    for (dev.chime.spi.Advance a : advances) {
      db.setInstant(advance, 1, Dialect.storedOccurrence(a.nextFireAt()));
      advance.setLong(2, a.runCount());
      advance.setString(3, name(a.state()));
      db.setInstant(advance, 4, now);
      advance.setString(5, a.claim().job().id().value());
      advance.setLong(6, a.claim().token());
      advance.addBatch();
    }
    int[] counts = advance.executeBatch();
    boolean[] applied = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      applied[i] = counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
    }
    return applied;
  }

  boolean release(Claim claim) {
    return db.autocommit(
        "release job " + claim.job().id(),
        session -> {
          PreparedStatement release = session.prepare(RELEASE);
          release.setString(1, claim.job().id().value());
          release.setLong(2, claim.token());
          return release.executeUpdate() > 0;
        });
  }

  List<Quarantined> quarantined() {
    return db.autocommit(
        "list quarantined jobs",
        session -> {
          List<Quarantined> found = new ArrayList<>();
          try (ResultSet row =
              session
                  .prepare(
                      "SELECT id, quarantine, quarantined_at FROM chime_jobs"
                          + " WHERE quarantine IS NOT NULL ORDER BY id")
                  .executeQuery()) {
            while (row.next()) {
              found.add(
                  new Quarantined(
                      JobId.of(row.getString(1)),
                      row.getString(2),
                      db.instant(row, "quarantined_at")));
            }
          } catch (IllegalArgumentException e) {
            throw new SQLException(
                "a quarantined row has an id that is not a job id: " + e.getMessage(), e);
          }
          return found;
        });
  }

  void quarantine(JobId id, String reason) {
    boolean found =
        db.autocommit(
            "quarantine job " + id,
            session -> {
              PreparedStatement quarantine = session.prepare(QUARANTINE);
              Instant now = clock.instant();
              quarantine.setString(1, db.text(reason));
              db.setInstant(quarantine, 2, now);
              db.setInstant(quarantine, 3, now);
              quarantine.setString(4, id.value());
              return quarantine.executeUpdate() > 0;
            });
    if (!found) {
      throw new SchedulerException(Kind.NOT_FOUND, "no job " + id);
    }
    LOG.warn("job {} quarantined: {}", id, reason);
  }

  boolean unquarantine(JobId id, String reason) {
    return db.autocommit(
        "take job " + id + " back from quarantine",
        session -> {
          PreparedStatement release = session.prepare(UNQUARANTINE);
          db.setInstant(release, 1, clock.instant());
          release.setString(2, id.value());
          release.setString(3, db.text(reason));
          return release.executeUpdate() > 0;
        });
  }

  // ---------------------------------------------------------------- rows

  private List<Row> rows(PreparedStatement select) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        rows.add(
            new Row(
                row.getString("id"),
                row.getString("definition"),
                row.getString("state"),
                row.getString("note"),
                db.instant(row, "next_fire_at"),
                row.getLong("run_count"),
                row.getLong("version"),
                row.getLong("token")));
      }
    }
    return rows;
  }

  private List<JobInfo> decoded(List<Row> rows) {
    List<JobInfo> infos = new ArrayList<>(rows.size());
    for (Row row : rows) {
      JobInfo info = decode(row);
      if (info != null) {
        infos.add(info);
      }
    }
    return infos;
  }

  /** The row as a job, or null after quarantining a row that cannot be read. */
  private JobInfo decode(Row row) {
    try {
      JobId id = JobId.of(row.id());
      return new JobInfo(
          JobCodec.decode(id, row.definition(), classes),
          state(row.state()),
          row.note(),
          row.nextFireAt(),
          row.runCount(),
          row.version());
    } catch (JobFormatException | IllegalArgumentException e) {
      quarantineUnreadable(row, e.getMessage());
      return null;
    }
  }

  private static JobState state(String text) {
    for (JobState state : JobState.values()) {
      if (name(state).equals(text)) {
        return state;
      }
    }
    throw new JobFormatException("state: unknown value '" + text + "'");
  }

  private void quarantineUnreadable(Row row, String reason) {
    String why = "unreadable definition: " + reason;
    boolean marked =
        db.autocommit(
            "quarantine job " + row.id(),
            session -> {
              PreparedStatement quarantine =
                  session.prepare(
                      "UPDATE chime_jobs SET quarantine = ?, quarantined_at = ?, token = token + 1,"
                          + " lease_until = NULL WHERE id = ? AND version = ? AND quarantine IS NULL");
              quarantine.setString(1, db.text(why));
              db.setInstant(quarantine, 2, clock.instant());
              quarantine.setString(3, row.id());
              quarantine.setLong(4, row.version());
              return quarantine.executeUpdate() > 0;
            });
    if (marked) {
      LOG.warn("job {} quarantined: {}", row.id(), why);
    }
  }

  static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
