package dev.chime.jdbc;

import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes firings: advances of claimed occurrences and the runs they made, in one transaction, each
 * fired occurrence keyed ({@code V5__run_occurrences.sql}).
 *
 * <p>The runs a firing made for its job's occurrences (its first attempts, admitted or skipped, at
 * the claimed occurrence or after it) are inserted with {@code fired} set, and the unique index
 * {@code chime_runs_occurrence} holds one such row per job, occurrence and attempt. Only those: the
 * runs nothing schedules (run now, an event, a dependency, a pipeline) happen at the instant they
 * are asked for, and two in one microsecond are two runs, not one twice; a retry is not told apart
 * from the retry of such a run at the same instant.
 *
 * <p>The index refuses a firing of an occurrence on record already. The scheduler asks the key
 * ({@code JdbcJobStore.fired}) before it gives an updated job its first occurrence, so it makes
 * none of its own (an update at the very instant an occurrence fired, or a once job given back an
 * instant it fired at, starts after it); one can still come from a node that does not ask (an older
 * version, in a rolling deploy), and the transaction is then written again knowing which: a firing
 * whose occurrences are all on record is applied without their runs, so the job moves on, and
 * reported refused, so the scheduler does not start them (the occurrence ran once); in a firing
 * with others too, those on record are written unmarked, with a warning, so that none of the others
 * is lost. The check is made only after a refusal: the usual firing reads nothing more.
 */
final class Firings {
  /** A fired occurrence's key: the job, the occurrence as stored, the attempt. */
  record Key(String job, Instant at, int attempt) {
    static Key of(Run run) {
      return new Key(run.jobId().value(), Dialect.stored(run.scheduledFor()), run.attempt());
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Firings.class);

  private final Dialect db;
  private final Jobs jobs;
  private final Runs runs;

  Firings(Dialect db, Jobs jobs, Runs runs) {
    this.db = db;
    this.jobs = jobs;
    this.runs = runs;
  }

  /**
   * Writes the advances (token-checked), the runs of those applied, and the queued and other
   * records; returns the claims refused.
   */
  List<Claim> write(List<Advance> advances, List<Run> queued, List<Run> records) {
    List<Map<RunId, Key>> keyed = advances.stream().map(Firings::keyed).toList();
    String what = "write " + advances.size() + " advances and their runs";
    try {
      return db.transaction(
          what, session -> write(session, advances, keyed, queued, records, Map.of()).refused());
    } catch (SchedulerException e) {
      if (e.kind() != Kind.CONFLICT) {
        throw e;
      }
      Map<Key, RunId> onRecord =
          runs.fired(keyed.stream().flatMap(keys -> keys.values().stream()).toList());
      if (onRecord.isEmpty()) {
        throw e;
      }
      Written written =
          db.transaction(
              what, session -> write(session, advances, keyed, queued, records, onRecord));
      written.warnings().forEach(LOG::warn);
      return written.refused();
    }
  }

  private record Written(List<Claim> refused, List<String> warnings) {}

  private Written write(
      Session session,
      List<Advance> advances,
      List<Map<RunId, Key>> keyed,
      List<Run> queued,
      List<Run> records,
      Map<Key, RunId> onRecord)
      throws SQLException {
    boolean[] applied = jobs.advance(session, advances);
    Plan plan = new Plan(onRecord);
    List<Run> all = new ArrayList<>(queued);
    for (int i = 0; i < applied.length; i++) {
      if (plan.take(advances.get(i), applied[i], keyed.get(i))) {
        all.addAll(advances.get(i).runs());
      }
    }
    all.addAll(records);
    all.removeIf(run -> plan.dropped.contains(run.id()));
    runs.write(session, all, plan.fired);
    return new Written(plan.refused, plan.warnings);
  }

  /** What one write does with each advance's runs, given the fired occurrences on record. */
  private static final class Plan {
    final Map<Key, RunId> onRecord;
    final List<Claim> refused = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final Set<RunId> fired = new HashSet<>();
    final Set<RunId> dropped = new HashSet<>();
    final Set<Key> marked = new HashSet<>();

    Plan(Map<Key, RunId> onRecord) {
      this.onRecord = onRecord;
    }

    /** Decides on the advance's keyed runs; whether its runs are written. */
    boolean take(Advance advance, boolean applied, Map<RunId, Key> keys) {
      if (!applied) {
        refused.add(advance.claim());
        return false;
      }
      if (!keys.isEmpty() && onRecord.keySet().containsAll(keys.values())) {
        refused.add(advance.claim()); // applied all the same: the job moves on
        dropped.addAll(keys.keySet());
        warnings.add(ranOnce(advance, keys, onRecord));
        return true;
      }
      keys.forEach(
          (run, key) -> {
            if (onRecord.containsKey(key)) {
              warnings.add(recordedAgain(run, key, onRecord));
            } else if (marked.add(key)) {
              fired.add(run); // one per key: two occurrences in one microsecond are one
            }
          });
      return true;
    }
  }

  /**
   * The runs the firing made for its job's occurrences, with their keys: first attempts, admitted
   * or skipped by it (an older run it replaced is only cancelled), at the claimed occurrence or
   * after it. A dependent's run made on the way belongs to another job.
   */
  static Map<RunId, Key> keyed(Advance advance) {
    JobId job = advance.claim().job().id();
    Instant from = advance.claim().scheduledFor();
    Map<RunId, Key> keys = new LinkedHashMap<>();
    for (Run run : advance.runs()) {
      if (run.jobId().equals(job)
          && run.attempt() == 1
          && (run.state() == RunState.CLAIMED || run.state() == RunState.SKIPPED)
          && !run.scheduledFor().isBefore(from)) {
        keys.putIfAbsent(run.id(), Key.of(run));
      }
    }
    return keys;
  }

  private static String ranOnce(Advance advance, Map<RunId, Key> keys, Map<Key, RunId> onRecord) {
    List<String> each = new ArrayList<>();
    for (Map.Entry<RunId, Key> key : keys.entrySet()) {
      each.add(
          "occurrence "
              + key.getValue().at()
              + " is on record already as run "
              + onRecord.get(key.getValue())
              + ", so run "
              + key.getKey()
              + " is not started");
    }
    return "job "
        + advance.claim().job().id()
        + ": "
        + String.join("; ", each)
        + "; the job moves on (as after an update to a trigger that fires it again)";
  }

  private static String recordedAgain(RunId run, Key key, Map<Key, RunId> onRecord) {
    return "job "
        + key.job()
        + ": occurrence "
        + key.at()
        + " is on record already as run "
        + onRecord.get(key)
        + ", and fired again with others: run "
        + run
        + " is recorded beside it, outside the occurrence key";
  }
}
