package dev.chime.jdbc;

import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.spi.RunPage;
import dev.chime.spi.RunQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code chime_runs} table: run records written in multi-row upserts, read by id, by job or by
 * query with a cursor, and pruned in small transactions.
 */
final class Runs {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Runs.class);

  /** Rows per upsert statement: 200 x 17 parameters stays far below both databases' limits. */
  static final int CHUNK = 200;

  /** Jobs per pass of {@link #prune}. */
  static final int PRUNE_JOBS = 100;

  static final String COLUMNS =
      "id, job_id, scheduled_for, attempt, state, reason, started_at, finished_at, error, log,"
          + " progress, progress_message, result, updated_at";

  /**
   * The columns written and read: {@link #COLUMNS}, the node that wrote the record and the event
   * that started the run.
   */
  static final String WRITTEN = COLUMNS + ", node, event";

  /**
   * The columns inserted: {@link #WRITTEN} and whether the row keys a fired occurrence, which only
   * the first insert sets (a later record of the run leaves it as it is).
   */
  private static final String INSERTED = WRITTEN + ", fired";

  private static final int WIDTH = 17;

  /** The SQL list of final states: ('succeeded', ...). */
  static final String FINAL =
      Arrays.stream(RunState.values())
          .filter(RunState::isFinal)
          .map(state -> "'" + Jobs.name(state) + "'")
          .collect(Collectors.joining(", ", "(", ")"));

  /** A recorded run is replaced unless it has ended and the new record has not. */
  private static final String UPSERT_TAIL =
      " ON CONFLICT (id) DO UPDATE SET job_id = excluded.job_id,"
          + " scheduled_for = excluded.scheduled_for, attempt = excluded.attempt,"
          + " state = excluded.state, reason = excluded.reason, started_at = excluded.started_at,"
          + " finished_at = excluded.finished_at, error = excluded.error, log = excluded.log,"
          + " progress = excluded.progress, progress_message = excluded.progress_message,"
          + " result = excluded.result, updated_at = excluded.updated_at, node = excluded.node,"
          + " event = excluded.event"
          + " WHERE (chime_runs.state NOT IN "
          + FINAL
          + " OR excluded.state IN "
          + FINAL
          // A node writes only its own runs: once another node has taken a run over (recover),
          // a late record from the node that lost it is not applied.
          + ") AND (chime_runs.node IS NULL OR chime_runs.node = excluded.node)";

  private final Dialect db;
  private final Clock clock;
  private final String node;

  Runs(Dialect db, Clock clock, String node) {
    this.db = db;
    this.clock = clock;
    this.node = node;
  }

  // ---------------------------------------------------------------- writing

  void record(List<Run> runs) {
    List<Run> newest = newestPerId(runs);
    if (newest.isEmpty()) {
      return;
    }
    String what = "record " + newest.size() + " runs";
    if (newest.size() <= CHUNK) {
      db.autocommit(what, session -> upsert(session, newest, Set.of(), clock.instant()));
    } else {
      db.transaction(what, session -> write(session, newest, Set.of()));
    }
  }

  /**
   * Records the runs on the session, in its transaction, the newest record of each run; those whose
   * id is in {@code fired} key their occurrence if this inserts them ({@link Firings}).
   */
  Void write(Session session, List<Run> runs, Set<RunId> fired) throws SQLException {
    List<Run> newest = newestPerId(runs);
    Instant now = clock.instant();
    for (int from = 0; from < newest.size(); from += CHUNK) {
      upsert(session, newest.subList(from, Math.min(from + CHUNK, newest.size())), fired, now);
    }
    return null;
  }

  /** The last record of each run in the batch (one statement cannot upsert a row twice). */
  private static List<Run> newestPerId(List<Run> runs) {
    Map<RunId, Run> newest = new LinkedHashMap<>();
    for (Run run : runs) {
      newest.remove(run.id());
      newest.put(run.id(), run);
    }
    return new ArrayList<>(newest.values());
  }

  private Void upsert(Session session, List<Run> runs, Set<RunId> fired, Instant now)
      throws SQLException {
    String row = "(" + String.join(", ", Collections.nCopies(WIDTH, "?")) + ")";
    String sql =
        "INSERT INTO chime_runs ("
            + INSERTED
            + ") VALUES "
            + String.join(", ", Collections.nCopies(runs.size(), row))
            + UPSERT_TAIL;
    PreparedStatement upsert = session.prepare(sql);
    int i = 0;
    for (Run run : runs) {
      upsert.setLong(++i, run.id().value());
      upsert.setString(++i, run.jobId().value());
      db.setInstant(upsert, ++i, run.scheduledFor());
      upsert.setInt(++i, run.attempt());
      upsert.setString(++i, Jobs.name(run.state()));
      upsert.setString(++i, db.text(run.reason()));
      db.setInstant(upsert, ++i, run.startedAt());
      db.setInstant(upsert, ++i, run.finishedAt());
      upsert.setString(++i, db.text(run.error()));
      upsert.setString(++i, db.text(run.log()));
      upsert.setInt(++i, run.progress());
      upsert.setString(++i, db.text(run.progressMessage()));
      db.setJson(upsert, ++i, JobCodec.encodeValue(run.result()));
      db.setInstant(upsert, ++i, now);
      upsert.setString(++i, node);
      db.setJson(upsert, ++i, JobCodec.encodeEvent(run.event()));
      upsert.setBoolean(++i, fired.contains(run.id()));
    }
    upsert.executeUpdate();
    return null;
  }

  /**
   * Unkeys the fired occurrences of a job being deleted, in the delete's transaction: its runs
   * stay, and a new job given its id fires its occurrences afresh.
   */
  void unkey(Session session, JobId job) throws SQLException {
    PreparedStatement unkey =
        session.prepare("UPDATE chime_runs SET fired = ? WHERE job_id = ? AND fired");
    unkey.setBoolean(1, false);
    unkey.setString(2, job.value());
    unkey.executeUpdate();
  }

  // ---------------------------------------------------------------- reading

  Optional<Run> find(RunId id) {
    return db.autocommit(
        "read run " + id,
        session -> {
          PreparedStatement select =
              session.prepare("SELECT " + WRITTEN + " FROM chime_runs WHERE id = ?");
          select.setLong(1, id.value());
          return runs(select).stream().findFirst();
        });
  }

  /** Of the keys, those a fired run stands for, with that run's id. */
  Map<Firings.Key, RunId> fired(List<Firings.Key> keys) {
    Map<Firings.Key, RunId> found = new LinkedHashMap<>();
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<Firings.Key> chunk = keys.subList(from, Math.min(from + CHUNK, keys.size()));
      db.autocommit(
          "find " + chunk.size() + " fired occurrences",
          session -> {
            PreparedStatement select =
                session.prepare(
                    "SELECT id, job_id, scheduled_for, attempt FROM chime_runs WHERE fired AND ("
                        + String.join(
                            " OR ",
                            Collections.nCopies(
                                chunk.size(), "(job_id = ? AND scheduled_for = ? AND attempt = ?)"))
                        + ")");
            int i = 0;
            for (Firings.Key key : chunk) {
              select.setString(++i, key.job());
              db.setInstant(select, ++i, key.at());
              select.setInt(++i, key.attempt());
            }
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                found.put(
                    new Firings.Key(
                        row.getString("job_id"),
                        db.instant(row, "scheduled_for"),
                        row.getInt("attempt")),
                    RunId.of(row.getLong("id")));
              }
            }
            return null;
          });
    }
    return found;
  }

  RunPage query(RunQuery query) {
    List<Run> found =
        db.autocommit(
            "query runs",
            session -> {
              StringBuilder sql =
                  new StringBuilder("SELECT " + WRITTEN + " FROM chime_runs WHERE 1 = 1");
              if (query.job() != null) {
                sql.append(" AND job_id = ?");
              }
              if (!query.states().isEmpty()) {
                sql.append(" AND state IN (")
                    .append(String.join(", ", Collections.nCopies(query.states().size(), "?")))
                    .append(")");
              }
              if (query.before() != null) {
                sql.append(" AND id < ?");
              }
              sql.append(" ORDER BY id DESC LIMIT ?");
              PreparedStatement select = session.prepare(sql.toString());
              int i = 0;
              if (query.job() != null) {
                select.setString(++i, query.job().value());
              }
              for (RunState state : query.states().stream().sorted().toList()) {
                select.setString(++i, Jobs.name(state));
              }
              if (query.before() != null) {
                select.setLong(++i, query.before());
              }
              select.setInt(++i, query.limit() + 1);
              return runs(select);
            });
    if (found.size() <= query.limit()) {
      return new RunPage(found, null);
    }
    List<Run> page = found.subList(0, query.limit());
    return new RunPage(page, page.getLast().id().value());
  }

  private List<Run> runs(PreparedStatement select) throws SQLException {
    List<Run> runs = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        runs.add(run(row));
      }
    }
    return runs;
  }

  Run run(ResultSet row) throws SQLException {
    return run(row, false);
  }

  /**
   * A run taken over from a dead node. One whose result or event cannot be read (a newer version's
   * field, a damaged row) is taken over without them, with a warning, rather than failing the
   * takeover of every run; null, with an error logged, if even its id or job cannot be read (the
   * row is this node's then, as the takeover's update made it, and stays unfinished).
   */
  Run recovered(ResultSet row) throws SQLException {
    try {
      return run(row, false);
    } catch (SchedulerException e) {
      try {
        Run run = run(row, true);
        LOG.warn("{}; taken over without its result and event", e.getMessage());
        return run;
      } catch (SchedulerException worse) {
        LOG.error(
            "{}; this node now owns it but cannot run or end it: it stays unfinished until the"
                + " row is repaired or deleted",
            worse.getMessage());
        return null;
      }
    }
  }

  private Run run(ResultSet row, boolean withoutValues) throws SQLException {
    long id = row.getLong("id");
    try {
      return new Run(
          RunId.of(id),
          JobId.of(row.getString("job_id")),
          db.instant(row, "scheduled_for"),
          row.getInt("attempt"),
          state(row.getString("state")),
          row.getString("reason"),
          db.instant(row, "started_at"),
          db.instant(row, "finished_at"),
          row.getString("error"),
          row.getString("log"),
          row.getInt("progress"),
          row.getString("progress_message"),
          withoutValues ? null : JobCodec.decodeValue(row.getString("result"), "result"),
          row.getString("node"),
          withoutValues ? null : JobCodec.decodeEvent(row.getString("event")));
    } catch (IllegalArgumentException | JobFormatException e) {
      throw new SchedulerException(
          Kind.UNAVAILABLE,
          "run " + id + " in " + db.describe() + " is unreadable: " + e.getMessage(),
          e);
    }
  }

  private static RunState state(String text) {
    for (RunState state : RunState.values()) {
      if (Jobs.name(state).equals(text)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown state '" + text + "'");
  }

  // ---------------------------------------------------------------- pruning

  /**
   * Deletes ended runs that ended before the instant, beyond each job's newest {@code keepPerJob}
   * ended runs: a page of jobs at a time (found by walking the job index, which PostgreSQL cannot
   * skip-scan for DISTINCT), each job's cut-off id from one ranking query per page, then deletes of
   * at most {@code batchSize} rows, each its own transaction.
   */
  int prune(Instant endedBefore, int keepPerJob, int batchSize) {
    int deleted = 0;
    String after = "";
    while (true) {
      List<String> jobs = jobsAfter(after);
      if (jobs.isEmpty()) {
        return deleted;
      }
      for (Map.Entry<String, Long> cutoff : cutoffs(jobs, keepPerJob).entrySet()) {
        deleted += pruneJob(cutoff.getKey(), cutoff.getValue(), endedBefore, batchSize);
      }
      after = jobs.getLast();
    }
  }

  /** The next {@link #PRUNE_JOBS} job ids with runs after the id, in order. */
  private List<String> jobsAfter(String after) {
    return db.autocommit(
        "list the jobs with runs",
        session -> {
          PreparedStatement select =
              session.prepare(
                  "WITH RECURSIVE jobs(job_id, n) AS ("
                      + " SELECT (SELECT MIN(job_id) FROM chime_runs WHERE job_id > ?), 1"
                      + " UNION ALL SELECT (SELECT MIN(r.job_id) FROM chime_runs r"
                      + " WHERE r.job_id > jobs.job_id), n + 1 FROM jobs"
                      + " WHERE jobs.job_id IS NOT NULL AND n < ?)"
                      + " SELECT job_id FROM jobs WHERE job_id IS NOT NULL");
          select.setString(1, after);
          select.setInt(2, PRUNE_JOBS);
          List<String> jobs = new ArrayList<>();
          try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
              jobs.add(row.getString(1));
            }
          }
          return jobs;
        });
  }

  /**
   * Per job, the id of its {@code keep}-th newest ended run (older ended runs may go); jobs with
   * fewer ended runs keep them all. With {@code keep} 0 every job's ended runs may go.
   */
  private Map<String, Long> cutoffs(List<String> jobs, int keep) {
    Map<String, Long> cutoffs = new LinkedHashMap<>();
    if (keep == 0) {
      jobs.forEach(job -> cutoffs.put(job, Long.MAX_VALUE));
      return cutoffs;
    }
    return db.autocommit(
        "rank the runs of " + jobs.size() + " jobs",
        session -> {
          PreparedStatement select =
              session.prepare(
                  "SELECT job_id, id FROM (SELECT job_id, id, ROW_NUMBER() OVER"
                      + " (PARTITION BY job_id ORDER BY id DESC) AS newest FROM chime_runs"
                      + " WHERE job_id IN ("
                      + String.join(", ", Collections.nCopies(jobs.size(), "?"))
                      + ") AND state IN "
                      + FINAL
                      + ") ranked WHERE newest = ?");
          int i = 0;
          for (String job : jobs) {
            select.setString(++i, job);
          }
          select.setInt(++i, keep);
          try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
              cutoffs.put(row.getString(1), row.getLong(2));
            }
          }
          return cutoffs;
        });
  }

  private int pruneJob(String job, long cutoff, Instant endedBefore, int batchSize) {
    int deleted = 0;
    while (true) {
      int batch =
          db.autocommit(
              "prune the runs of job " + job,
              session -> {
                PreparedStatement delete =
                    session.prepare(
                        "DELETE FROM chime_runs WHERE id IN (SELECT id FROM chime_runs"
                            + " WHERE job_id = ? AND id < ? AND state IN "
                            + FINAL
                            + " AND COALESCE(finished_at, scheduled_for) < ?"
                            + " ORDER BY id LIMIT ?)");
                delete.setString(1, job);
                delete.setLong(2, cutoff);
                db.setInstant(delete, 3, endedBefore);
                delete.setInt(4, batchSize);
                return delete.executeUpdate();
              });
      deleted += batch;
      if (batch < batchSize) {
        return deleted;
      }
    }
  }
}
