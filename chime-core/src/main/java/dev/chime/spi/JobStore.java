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
   * Adds the jobs, each with version 1, all or none: CONFLICT (naming the taken ids) if any id is
   * taken. The default inserts one by one, which is all-or-none only for a store no other caller
   * writes to meanwhile; a database store does it in one transaction.
   */
  default List<JobInfo> insertAll(List<JobInfo> jobs) {
    List<JobInfo> taken = jobs.stream().filter(job -> find(job.id()).isPresent()).toList();
    if (!taken.isEmpty()) {
      throw new dev.chime.SchedulerException(
          dev.chime.SchedulerException.Kind.CONFLICT,
          "jobs already exist: " + taken.stream().map(JobInfo::id).toList());
    }
    return jobs.stream().map(this::insert).toList();
  }

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

  /**
   * One page of {@link #list}: the jobs the query selects whose id sorts after {@code after} (from
   * the first, if null), ordered by id, at most {@code limit} of them. The default filters {@link
   * #list}; a database store reads only as many jobs as the page needs.
   */
  default List<JobInfo> list(JobQuery query, JobId after, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    return list(query).stream()
        .filter(job -> after == null || job.id().value().compareTo(after.value()) > 0)
        .limit(limit)
        .toList();
  }

  /**
   * The jobs whose trigger is {@link dev.chime.Trigger#onEvent} for the event name, in any state,
   * ordered by id. The default filters {@link #list} of every job; a database store asks an index.
   */
  default List<JobInfo> listening(String event) {
    java.util.Objects.requireNonNull(event, "event must not be null");
    return list(JobQuery.ALL).stream()
        .filter(
            info ->
                info.job().trigger() instanceof dev.chime.Trigger.OnEvent on
                    && on.name().equals(event))
        .toList();
  }

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
   * Moves a claimed job to its next fire time (null: none), run count and state, ends the claim and
   * makes a new version (so an {@link #update} based on a read before it is a CONFLICT, not a
   * rewind); false (and no change) if the claim's token is stale or the job is gone.
   */
  boolean advance(Claim claim, Instant nextFireAt, long runCount, JobState state);

  /**
   * Applies the advances and records the runs. Each advance and its own runs are written together
   * or not at all; an advance whose claim's token is stale (or whose job is gone) is refused, and
   * then none of its runs are written. Returns the claims of the refused advances. A durable store
   * writes everything in one transaction; the lists are read during the call only.
   *
   * <p>The default applies the advances one by one through {@link #advance} and then {@link
   * #record}s the runs: right for a store whose calls cannot fail halfway.
   */
  default List<Claim> write(List<Advance> advances, List<Run> runs) {
    List<Claim> refused = new java.util.ArrayList<>();
    List<Run> accepted = new java.util.ArrayList<>(runs);
    for (Advance advance : advances) {
      if (advance(advance.claim(), advance.nextFireAt(), advance.runCount(), advance.state())) {
        accepted.addAll(advance.runs());
      } else {
        refused.add(advance.claim());
      }
    }
    if (!accepted.isEmpty()) {
      record(accepted);
    }
    return refused;
  }

  /**
   * How long a claim holds before another scheduler may take the occurrence (the engine asks for
   * leases this long); at least {@link #claimAhead()}. A store shared by several nodes keeps it
   * short, so a dead node's claims come free soon.
   */
  default Duration lease() {
    return Duration.ofMinutes(10);
  }

  /**
   * Whether the store outlives the process. A durable store gets every run recorded when it is
   * admitted (state CLAIMED), in the same {@link #write} as its occurrence's advance, so that a run
   * under way when the process died is found by {@link #recover} afterwards.
   */
  default boolean durable() {
    return false;
  }

  /**
   * Runs that were admitted or running under a scheduler that stopped without ending them (its
   * node's lease ran out), now taken over by this one, so that it records how they ended and
   * retries them by their jobs' policies. Each such run is handed to one caller only. A store in
   * memory has none.
   */
  default List<Run> recover(Instant now) {
    return List.of();
  }

  /**
   * This store's node id (the {@link Run#node} of the runs this scheduler records), or null for a
   * store that does not name its node.
   */
  default String node() {
    return null;
  }

  /**
   * This node's current life in a store other nodes share: a number that changes each time they may
   * have taken this node for dead (its heartbeat went unwritten for longer than the lease, so its
   * unfinished runs may be another node's now), or -1 while they may. A scheduler starts a run it
   * recorded in an earlier life, or while this is -1, only after {@link #run} shows the run still
   * this node's and unended. Always 0 for a store no other node shares (the default).
   */
  default long life() {
    return 0;
  }

  /** The nodes sharing the store, ordered by id; none by default. */
  default List<dev.chime.NodeInfo> nodes() {
    return List.of();
  }

  /**
   * Whether this node should run the chores only one node of a cluster runs (recovering dead nodes'
   * runs, pruning history). True unless a shared store elected another node leader.
   */
  default boolean leader() {
    return true;
  }

  /**
   * This node's scheduler stopped: the node no longer asks for the lead, and hands it over now if
   * it holds it (a store left open after its scheduler, to read, would otherwise keep the chores
   * from the nodes still scheduling). A later {@link #leader} call asks again. None by default.
   */
  default void resign() {}

  /**
   * Registers what the store calls when another node says work is due now (a database store
   * listening for its notifications); the scheduler then claims at once instead of at its next
   * poll. Nothing by default.
   */
  default void onWake(Runnable wake) {}

  /** Ends the claim without moving the job, so the occurrence can be claimed again. */
  boolean release(Claim claim);

  /**
   * Whether the job's occurrence has fired: a {@link #write} applied an advance whose runs hold a
   * first attempt at it (run or skipped) for the job, and the job was not deleted since. A
   * scheduler asks before it gives an updated job its first occurrence, so that an occurrence fires
   * once (an update at the very instant of one that fired, or a once job given back an instant it
   * fired at, starts after it). Runs recorded outside an advance (run now, an event's, a
   * dependency's, a retry) never count. A store that is not {@link #durable} also counts each
   * applied advance's claimed occurrence: its scheduler records a fired run only as it ends, so an
   * advance holds the skipped ones only. A store may forget what its history no longer holds (a
   * database store, the runs it pruned; the in-memory store keeps each job's latest such occurrence
   * and the one it had at each change of its trigger).
   */
  boolean fired(JobId job, Instant occurrence);

  /** A new run id, never handed out before by this store. */
  RunId newRunId();

  /**
   * Records runs (new, or a newer state of one recorded before). The list is read during the call
   * only: the caller reuses it, so the store must not keep a reference to it.
   */
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

  /**
   * Takes the job back from quarantine if it is still set aside for exactly {@code reason} (a node
   * that has the handler another node lacked, in a rolling deploy): it is claimed again, as a new
   * version. False if it is not (replaced, deleted, or set aside for another reason meanwhile).
   *
   * @throws UnsupportedOperationException if the store cannot quarantine (the default)
   */
  default boolean unquarantine(JobId id, String reason) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot quarantine jobs");
  }

  /**
   * Writes whatever the store has queued ({@link #write} may queue run records it need not write at
   * once); the scheduler calls it when it shuts down, so its last records are stored when {@code
   * close()} returns. Nothing by default.
   */
  default void flush() {}

  /** Releases the store's resources. */
  @Override
  void close();
}
