package dev.chime.internal.store;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.internal.timer.Nanos;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link JobStore}: a table of jobs ({@link JobTable}), a queue of unclaimed due jobs
 * (earliest first: a wheel of time buckets for the next seconds, a heap beyond, {@link DueQueue})
 * and the leases ({@link Leases}: a ring by token, so an expired lease is found without a scan),
 * all over the table's int slots, and a bounded, insertion-ordered history of runs. Finished jobs
 * are bounded the same way: the newest {@code historyLimit} stay readable, older ones are dropped,
 * so a scheduler fed one-shot jobs forever keeps a flat heap (without it, ~400 B per executed job
 * stayed live and G1's pauses grew to 50-200 ms after a million jobs, see docs/benchmarks.md). One
 * monitor guards it; the engine calls it in batches, so the lock is taken once per batch, not per
 * run. The package notes give the layout and its figures.
 */
public final class InMemoryStore implements JobStore {
  private static final int CLAIMS_REMEMBERED = 8192; // a power of two; twice a dispatcher cycle

  private final JobTable jobs = new JobTable();
  private final DueQueue due = new DueQueue(jobs);
  private final Leases leases = new Leases(jobs);
  private final Fired fired = new Fired();
  // No index of runs by job: keeping one up to date cost a lookup per recorded and per dropped
  // run (the dropped run, its job id and their strings are cold: a quarter of a worker's time in
  // the executions benchmark), so a job's runs are found by a scan, as run queries are.
  private final LinkedHashMap<RunId, Run> history;
  private final AtomicLong runIds = new AtomicLong();
  // Finished jobs in the order they finished, by slot and stamp (see Retired): an entry whose slot
  // no longer holds a finished job under that stamp (updated, deleted, reused) is stale.
  private final Retired finished = new Retired();
  private final int historyLimit;
  private static final int TOUCH_AHEAD = 8;

  @SuppressWarnings("unused") // written so that the reads behind it are not optimised away
  private long touched;

  // The slot of each recent claim by its token's low bits, so moving a claimed job on needs no
  // lookup of its id (whose objects are cold by then at 1M jobs); an older claim falls back to one.
  private final int[] claimed = new int[CLAIMS_REMEMBERED];
  // And its job's id as claimed: the same instance is the same job, found without reading the
  // slot's id back (its cache line is gone by the time the claim is written at a million jobs).
  private final JobId[] claimedIds = new JobId[CLAIMS_REMEMBERED];
  private int[] taken = new int[64]; // the slots one claim takes off the due queue
  private long[] deadlines = new long[64]; // and their deadlines
  private final String node =
      "local:"
          + ProcessHandle.current().pid()
          + ":"
          + java.util.HexFormat.of()
              .toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt());

  /** This process's node: the only one a store in memory has. */
  @Override
  public String node() {
    return node;
  }

  /** A store that keeps the newest {@code historyLimit} ended runs. */
  public InMemoryStore(int historyLimit) {
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit must be positive, was " + historyLimit);
    }
    this.historyLimit = historyLimit;
    this.history =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<RunId, Run> eldest) {
            return size() > historyLimit;
          }
        };
  }

  @Override
  public boolean supportsInlineHandlers() {
    return true;
  }

  @Override
  public synchronized JobInfo insert(JobInfo job) {
    int slot = jobs.addIfAbsent(job, 1);
    if (slot < 0) {
      throw new SchedulerException(Kind.CONFLICT, "job " + job.id() + " already exists");
    }
    queue(slot);
    return job.version() == 1 ? job : jobs.info(slot);
  }

  /** Atomic under the store's monitor. */
  @Override
  public synchronized List<JobInfo> insertAll(List<JobInfo> batch) {
    return JobStore.super.insertAll(batch);
  }

  @Override
  public synchronized JobInfo update(JobInfo job) {
    int slot = jobs.find(job.id());
    if (slot < 0) {
      throw new SchedulerException(Kind.NOT_FOUND, "no job " + job.id());
    }
    if (jobs.version(slot) != job.version()) {
      throw new SchedulerException(
          Kind.CONFLICT,
          "job "
              + job.id()
              + " was changed meanwhile (version "
              + jobs.version(slot)
              + ", the update was based on version "
              + job.version()
              + ")");
    }
    unqueue(slot); // which voids its claim: the token lived in the lease
    if (!job.job().trigger().equals(jobs.trigger(slot))) {
      fired.triggerChanged(slot, jobs.fired(slot));
    }
    jobs.set(slot, job, job.version() + 1);
    queue(slot);
    return jobs.info(slot);
  }

  @Override
  public synchronized Optional<JobInfo> find(JobId id) {
    int slot = jobs.find(id);
    return slot < 0 ? Optional.empty() : Optional.of(jobs.info(slot));
  }

  @Override
  public synchronized List<JobInfo> list(JobQuery query) {
    List<JobInfo> found = new ArrayList<>();
    for (int slot : jobs.slots()) {
      JobInfo info = jobs.info(slot);
      if (query.matches(info)) {
        found.add(info);
      }
    }
    found.sort(Comparator.comparing(info -> info.id().value()));
    return found;
  }

  @Override
  public synchronized boolean delete(JobId id) {
    int slot = jobs.find(id);
    if (slot < 0) {
      return false;
    }
    unqueue(slot);
    fired.forget(slot);
    jobs.remove(slot);
    return true;
  }

  @Override
  public Duration claimAhead() {
    return Duration.ZERO;
  }

  @Override
  public synchronized Optional<Instant> nextDue() {
    return due.isEmpty() ? Optional.empty() : Optional.of(Nanos.toInstant(due.nextDeadline()));
  }

  @Override
  public synchronized List<Claim> claim(
      Instant now, Instant horizon, int limit, Instant leaseUntil) {
    long nowNanos = Nanos.of(now);
    due.now(nowNanos); // where the wheel starts when it is empty (see DueQueue)
    expireLeases(nowNanos);
    long until = Nanos.of(horizon);
    if (limit < 1 || due.isEmpty() || due.nextDeadline() > until) {
      // An ArrayList as when jobs are due, not List.of(): the dispatcher's loop over the claims
      // stays compiled for one list class (a second one, first seen when a burst ends, cost a
      // deoptimisation and a C2 recompile of the dispatcher's cycle in the next burst).
      return new ArrayList<>(0);
    }
    // Sized for what is usually due per call (a few), not for the limit: a list of the limit's
    // capacity was 2 KB per call, most of what a run allocated at 10k jobs/s (docs/benchmarks.md).
    // Three passes: the due slots off the queue, then their ids read (touchIds), then each slot
    // read into its claim. The queue's polls are a chain of dependent loads; the slots' lines are
    // not, so read in a loop of their own the processor fetches several slots' lines at once.
    int count = 0;
    // Not empty as well as due: an empty queue's deadline is Long.MAX_VALUE, which a horizon
    // beyond 2262 saturates to.
    for (long deadline;
        count < limit && !due.isEmpty() && (deadline = due.nextDeadline()) <= until;
        count++) {
      if (count == taken.length) {
        taken = java.util.Arrays.copyOf(taken, Math.min(limit, count * 2));
        deadlines = java.util.Arrays.copyOf(deadlines, taken.length);
      }
      deadlines[count] = deadline;
      taken[count] = due.poll();
    }
    touched ^= jobs.touchIds(taken, count); // their lines fetched side by side, see touchIds
    List<Claim> claims = new ArrayList<>(count);
    long leaseEnd = Nanos.of(leaseUntil);
    for (int i = 0; i < count; i++) {
      claims.add(lease(taken[i], deadlines[i], leaseEnd));
    }
    return claims;
  }

  /** Queues again the jobs whose lease ended at or before {@code now}. */
  private void expireLeases(long now) {
    for (int slot; (slot = leases.expired(now)) >= 0; ) {
      queue(slot);
    }
  }

  /**
   * Leases a job just taken off the due queue under a new token. Its fire time is made again from
   * the queue's {@code deadline} (the nanoseconds of the stored one, equal to it unless saturated):
   * the stored {@code Instant} is cold by now at a million jobs, a fresh one is in the cache for
   * the engine, which reads it next.
   */
  private Claim lease(int slot, long deadline, long leaseEnd) {
    // One sequence of tokens for every job: a stale token never matches a later claim.
    long token = leases.lease(slot, leaseEnd);
    int ring = (int) token & (claimed.length - 1);
    claimed[ring] = slot;
    claimedIds[ring] = jobs.id(slot);
    Instant next =
        deadline == Long.MAX_VALUE || deadline == Long.MIN_VALUE
            ? jobs.nextFireAt(slot)
            : Nanos.toInstant(deadline);
    return new Claim(jobs.info(slot, next), next, token);
  }

  @Override
  public synchronized boolean advance(
      Claim claim, Instant nextFireAt, long runCount, JobState state) {
    return advanced(claim, nextFireAt, runCount, state) >= 0;
  }

  /** Applies the advance; returns the job's slot, or -1 if the claim no longer holds. */
  private int advanced(Claim claim, Instant nextFireAt, long runCount, JobState state) {
    int slot = held(claim);
    if (slot < 0) {
      return -1;
    }
    jobs.fired(slot, claim.scheduledFor()); // the engine records a fired run only as it ends
    jobs.state(slot, state);
    jobs.nextFireAt(slot, nextFireAt);
    jobs.runCount(slot, runCount);
    jobs.bumpVersion(slot); // an update read before this would write the old fire time back
    queue(slot);
    return slot;
  }

  /** Atomic under the store's monitor: no other call sees an advance without its runs. */
  @Override
  public synchronized List<Claim> write(List<Advance> advances, List<Run> runs) {
    List<Claim> refused = List.of();
    for (int i = 0; i < advances.size(); i++) { // indexed: no iterator per write (hot path)
      Advance advance = advances.get(i);
      int slot =
          advanced(advance.claim(), advance.nextFireAt(), advance.runCount(), advance.state());
      if (slot >= 0) {
        record(advance.runs());
        fireLater(slot, advance);
      } else {
        refused = refused.isEmpty() ? new ArrayList<>() : refused;
        refused.add(advance.claim());
      }
    }
    record(runs);
    return refused;
  }

  /**
   * Notes the latest occurrence after the claimed one that the advance holds a first attempt at (a
   * catch-up's), if any.
   */
  private void fireLater(int slot, Advance advance) {
    Instant last = advance.claim().scheduledFor();
    List<Run> made = advance.runs();
    for (int i = 0; i < made.size(); i++) {
      Run run = made.get(i);
      if (run.attempt() == 1
          && run.scheduledFor().isAfter(last)
          && jobs.is(slot, run.jobId())
          && (run.state() == RunState.CLAIMED || run.state() == RunState.SKIPPED)) {
        last = run.scheduledFor();
      }
    }
    if (last != advance.claim().scheduledFor()) {
      jobs.fired(slot, last);
    }
  }

  @Override
  public synchronized boolean fired(JobId job, Instant occurrence) {
    int slot = jobs.find(job);
    return slot >= 0 && (occurrence.equals(jobs.fired(slot)) || fired.before(slot, occurrence));
  }

  @Override
  public synchronized boolean release(Claim claim) {
    int slot = held(claim);
    if (slot >= 0) {
      queue(slot);
    }
    return slot >= 0;
  }

  /** The slot if the claim still holds it (ending the lease), else -1. */
  private int held(Claim claim) {
    JobId id = claim.job().id();
    int ring = (int) claim.token() & (claimed.length - 1);
    int slot = claimed[ring];
    if (!holds(slot, claim.token()) || claimedIds[ring] != id && !jobs.is(slot, id)) {
      slot = jobs.find(id); // claimed longer ago than the ring remembers
      if (slot < 0 || !holds(slot, claim.token())) {
        return -1;
      }
    }
    leases.end(slot);
    return slot;
  }

  /** Whether the slot is leased under the token. */
  private boolean holds(int slot, long token) {
    return leases.holds(slot, token);
  }

  @Override
  public RunId newRunId() {
    return new RunId(runIds.incrementAndGet());
  }

  @Override
  public synchronized void record(List<Run> runs) {
    for (int i = 0; i < runs.size(); i++) { // indexed: no iterator per call (hot path)
      Run run = runs.get(i);
      history.put(run.id(), run.withNode(node));
    }
  }

  @Override
  public synchronized Optional<Run> run(RunId id) {
    return Optional.ofNullable(history.get(id));
  }

  @Override
  public synchronized List<Run> runs(JobId job, int limit) {
    List<Run> found = new ArrayList<>();
    for (Run run : history.sequencedValues().reversed()) {
      if (run.jobId().equals(job)) {
        found.add(run);
        if (found.size() >= limit) {
          break;
        }
      }
    }
    found.sort(Comparator.comparing((Run run) -> run.id().value()).reversed());
    return found;
  }

  /** Filters the bounded history (at most historyLimit runs), newest id first. */
  @Override
  public synchronized dev.chime.spi.RunPage runs(dev.chime.spi.RunQuery query) {
    List<Run> found = new ArrayList<>();
    for (Run run : history.values()) {
      if ((query.job() == null || run.jobId().equals(query.job()))
          && (query.states().isEmpty() || query.states().contains(run.state()))
          && (query.before() == null || run.id().value() < query.before())) {
        found.add(run);
      }
    }
    found.sort(Comparator.comparing((Run run) -> run.id().value()).reversed());
    if (found.size() <= query.limit()) {
      return new dev.chime.spi.RunPage(List.copyOf(found), null);
    }
    List<Run> page = List.copyOf(found.subList(0, query.limit()));
    return new dev.chime.spi.RunPage(page, page.getLast().id().value());
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  private void queue(int slot) {
    JobState state = jobs.state(slot);
    if (state == JobState.FINISHED) {
      retire(slot);
    }
    Instant next = jobs.nextFireAt(slot);
    if (jobs.in(slot) == JobTable.IN_NONE && state == JobState.ACTIVE && next != null) {
      due.add(slot, Nanos.of(next)); // which marks the slot as queued
    }
  }

  /** Remembers a finished job and drops the oldest ones still finished beyond the limit. */
  private void retire(int slot) {
    jobs.position(slot, finished.add(slot)); // the slot is in no queue: its position is free
    if (finished.size() > historyLimit && finished.size() > 2 * TOUCH_AHEAD) {
      // The slots dropped a few retires from now: their words, then (for those whose words were
      // read a few retires ago) their index buckets, each read on its own so they overlap.
      touched ^= jobs.touchWords(finished.slotAt(2 * TOUCH_AHEAD));
      touched ^= jobs.touchBucket(finished.slotAt(TOUCH_AHEAD));
    }
    while (finished.size() > historyLimit) {
      int oldest = finished.oldestSlot();
      int stamp = finished.oldestStamp();
      finished.drop();
      // Unless it changed since (updated, finished again, deleted or its slot reused): any of
      // those moves the position on or clears the state.
      if (jobs.finishedAs(oldest, stamp)) {
        fired.forget(oldest);
        jobs.remove(oldest);
      }
    }
  }

  private void unqueue(int slot) {
    int in = jobs.in(slot);
    if (in == JobTable.IN_LEASES || in == JobTable.IN_LATE) {
      leases.end(slot);
    } else if (in != JobTable.IN_NONE) {
      due.remove(slot);
    }
  }

  /**
   * The slots of finished jobs, oldest first, each with a stamp: the count of slots added before
   * it, which the job's slot keeps as its position while it stays finished (a ring holds at most
   * ten million, so a stamp's low half is unique among them).
   */
  private static final class Retired {
    private int[] slots = new int[16];
    private int head;
    private int size;
    private long added;

    int size() {
      return size;
    }

    /** Adds a slot; returns its stamp. */
    int add(int slot) {
      if (size == slots.length) {
        int[] more = new int[size * 2];
        for (int i = 0; i < size; i++) {
          more[i] = slots[(head + i) % size];
        }
        slots = more;
        head = 0;
      }
      slots[(head + size++) % slots.length] = slot;
      return (int) added++;
    }

    int oldestSlot() {
      return slots[head];
    }

    /** The slot {@code n} places after the oldest (n below the size). */
    int slotAt(int n) {
      return slots[(head + n) % slots.length];
    }

    int oldestStamp() {
      return (int) (added - size);
    }

    void drop() {
      head = (head + 1) % slots.length;
      size--;
    }
  }
}
