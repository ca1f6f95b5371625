package dev.chime.spi;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a scheduler keeps jobs and run history. The engine claims due occurrences in batches ahead
 * of time ({@link #claim}), holds them in its own timer, and moves each job on ({@link #advance})
 * once the occurrence is dealt with. Every store passes the test kit's {@code StoreContractTest}.
 *
 * <p>Implementations are thread-safe. Methods that refuse a request throw {@link
 * dev.chime.SchedulerException} with the kind that says why.
 */
public interface JobStore extends AutoCloseable {

  /** A store in memory that keeps the newest {@code historyLimit} ended runs. */
  static JobStore inMemory(int historyLimit) {
    return new dev.chime.internal.store.InMemoryStore(historyLimit);
  }

  /** Whether jobs may carry a Java lambda as handler (only a store in the same heap can). */
  boolean supportsInlineHandlers();

  /** Adds a job with version 1; CONFLICT if the id is taken. */
  JobInfo insert(JobInfo job);

  /**
   * Replaces a job if its stored version equals {@code job.version()}, and returns it with the next
   * version; CONFLICT if the version is stale, NOT_FOUND if there is no such job. A replaced job's
   * claim, if any, is void: its token no longer advances it.
   */
  JobInfo update(JobInfo job);

  /** The job with the id. */
  Optional<JobInfo> find(JobId id);

  /** The jobs the query selects, ordered by id. */
  List<JobInfo> list(JobQuery query);

  /** Deletes the job (its history stays); false if there was none. */
  boolean delete(JobId id);

  /**
   * How far ahead of their fire time occurrences are claimed: zero for a store in memory, a few
   * seconds for a database, so one claim covers many occurrences.
   */
  Duration claimAhead();

  /** The earliest fire time of an active, unclaimed job, if any: when to claim next. */
  Optional<Instant> nextDue();

  /**
   * Claims up to {@code limit} active jobs whose next fire time is at or before {@code horizon} and
   * that are not claimed (or whose lease ended at or before {@code now}), earliest first, with a
   * lease until {@code leaseUntil} and a new fencing token each.
   */
  List<Claim> claim(Instant now, Instant horizon, int limit, Instant leaseUntil);

  /**
   * Moves a claimed job to its next fire time (null: none), run count and state, and ends the
   * claim; false (and no change) if the claim's token is stale or the job is gone.
   */
  boolean advance(Claim claim, Instant nextFireAt, long runCount, JobState state);

  /** Ends the claim without moving the job, so the occurrence can be claimed again. */
  boolean release(Claim claim);

  /** A new run id, never handed out before by this store. */
  RunId newRunId();

  /** Records runs (new, or a newer state of one recorded before). */
  void record(List<Run> runs);

  /** A recorded run. */
  Optional<Run> run(RunId id);

  /** The job's recorded runs, newest first, at most {@code limit}. */
  List<Run> runs(JobId job, int limit);

  /**
   * Runs the query selects, newest first (by id), one page at a time: pass the page's {@link
   * RunPage#nextCursor} as the next query's {@code before}.
   *
   * @throws UnsupportedOperationException if the store has no run queries (the default)
   */
  default RunPage runs(RunQuery query) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no run queries");
  }

  /**
   * Deletes ended runs (in a {@linkplain RunState#isFinal final} state) that ended before {@code
   * endedBefore}, except each job's newest {@code keepPerJob} ended runs, at most {@code batchSize}
   * rows per transaction; returns how many it deleted.
   *
   * @throws UnsupportedOperationException if the store cannot prune (the default)
   */
  default int prune(Instant endedBefore, int keepPerJob, int batchSize) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot prune runs");
  }

  /** The jobs set aside as unusable, ordered by id; none by default. */
  default List<Quarantined> quarantined() {
    return List.of();
  }

  /**
   * Sets the job aside with the reason (its handler is not registered, say): it is not claimed
   * until it is replaced ({@link #update}) or deleted, and any claim of it is void.
   *
   * @throws UnsupportedOperationException if the store cannot (the default)
   */
  default void quarantine(JobId id, String reason) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot quarantine jobs");
  }

  /** Releases the store's resources. */
  @Override
  void close();
}
