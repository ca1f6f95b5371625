package dev.chime.internal.store;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.internal.timer.Nanos;
import dev.chime.internal.timer.TimerHeap;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link JobStore}: a hash map of jobs, a timer heap of unclaimed due jobs (earliest
 * first, O(log n) per claim) and one of leases (so an expired lease is found without a scan), and a
 * bounded, insertion-ordered history of runs. Finished jobs are bounded the same way: the newest
 * {@code historyLimit} stay readable, older ones are dropped, so a scheduler fed one-shot jobs
 * forever keeps a flat heap (without it, ~400 B per executed job stayed live and G1's pauses grew
 * to 50-200 ms after a million jobs, see docs/benchmarks.md). One monitor guards it; the engine
 * calls it in batches, so the lock is taken once per batch, not per run.
 */
public final class InMemoryStore implements JobStore {
  private final Map<JobId, Slot> jobs = new HashMap<>();
  private final TimerHeap<Slot> due = new TimerHeap<>();
  private final TimerHeap<Slot> leases = new TimerHeap<>();
  private final LinkedHashMap<RunId, Run> history;
  private final Map<JobId, Integer> historyByJob = new HashMap<>();
  private final AtomicLong runIds = new AtomicLong();
  private final java.util.ArrayDeque<Slot> finished = new java.util.ArrayDeque<>();
  private final int historyLimit;
  private final String node =
      "local:"
          + ProcessHandle.current().pid()
          + ":"
          + java.util.HexFormat.of()
              .toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt());

  /**
   * A job's state, kept as fields rather than as a {@link JobInfo} so that moving a job on ({@link
   * #advance}, once per fired occurrence) writes a few fields instead of allocating a new record
   * and storing it into a long-lived object (at 1M pending that churn was a large part of the young
   * collections' work); a {@code JobInfo} is made when one is read.
   */
  private static final class Slot extends TimerHeap.Entry<Slot> {
    private Job job;
    private JobState state;
    private String note;
    private Instant nextFireAt;
    private long runCount;
    private long version;
    private long token;
    // The slot is its own timer entry, in at most one heap: due (unclaimed), leases (claimed), or
    // none (null). An entry object per job was 32 B of every pending job's heap.
    private TimerHeap<Slot> in;

    private Slot(JobInfo info, long version) {
      set(info, version);
    }

    private void set(JobInfo info, long newVersion) {
      job = info.job();
      state = info.state();
      note = info.note();
      nextFireAt = info.nextFireAt();
      runCount = info.runCount();
      version = newVersion;
    }

    private JobInfo info() {
      return new JobInfo(job, state, note, nextFireAt, runCount, version);
    }
  }

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
            if (size() <= historyLimit) {
              return false;
            }
            historyByJob.computeIfPresent(
                eldest.getValue().jobId(), (k, n) -> n == 1 ? null : n - 1);
            return true;
          }
        };
  }

  @Override
  public boolean supportsInlineHandlers() {
    return true;
  }

  @Override
  public synchronized JobInfo insert(JobInfo job) {
    Slot slot = new Slot(job, 1);
    if (jobs.putIfAbsent(job.id(), slot) != null) {
      throw new SchedulerException(Kind.CONFLICT, "job " + job.id() + " already exists");
    }
    queue(slot);
    return job.version() == 1 ? job : slot.info();
  }

  /** Atomic under the store's monitor. */
  @Override
  public synchronized List<JobInfo> insertAll(List<JobInfo> batch) {
    return JobStore.super.insertAll(batch);
  }

  @Override
  public synchronized JobInfo update(JobInfo job) {
    Slot slot = jobs.get(job.id());
    if (slot == null) {
      throw new SchedulerException(Kind.NOT_FOUND, "no job " + job.id());
    }
    if (slot.version != job.version()) {
      throw new SchedulerException(
          Kind.CONFLICT,
          "job "
              + job.id()
              + " was changed meanwhile (version "
              + slot.version
              + ", the update was based on version "
              + job.version()
              + ")");
    }
    unqueue(slot);
    slot.token++;
    slot.set(job, job.version() + 1);
    queue(slot);
    return slot.info();
  }

  @Override
  public synchronized Optional<JobInfo> find(JobId id) {
    Slot slot = jobs.get(id);
    return slot == null ? Optional.empty() : Optional.of(slot.info());
  }

  @Override
  public synchronized List<JobInfo> list(JobQuery query) {
    List<JobInfo> found = new ArrayList<>();
    for (Slot slot : jobs.values()) {
      JobInfo info = slot.info();
      if (query.matches(info)) {
        found.add(info);
      }
    }
    found.sort(Comparator.comparing(info -> info.id().value()));
    return found;
  }

  @Override
  public synchronized boolean delete(JobId id) {
    Slot slot = jobs.remove(id);
    if (slot == null) {
      return false;
    }
    unqueue(slot);
    slot.token++;
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
    leases.drainDue(Nanos.of(now), Integer.MAX_VALUE, this::expire);
    List<Claim> claims = new ArrayList<>(Math.min(limit, due.size()));
    long leaseEnd = Nanos.of(leaseUntil);
    due.drainDue(
        Nanos.of(horizon),
        limit,
        slot -> {
          slot.token++;
          leases.add(slot, leaseEnd);
          slot.in = leases;
          claims.add(new Claim(slot.info(), slot.nextFireAt, slot.token));
        });
    return claims;
  }

  private void expire(Slot slot) {
    slot.in = null;
    queue(slot);
  }

  @Override
  public synchronized boolean advance(
      Claim claim, Instant nextFireAt, long runCount, JobState state) {
    Slot slot = held(claim);
    if (slot == null) {
      return false;
    }
    slot.state = state;
    slot.nextFireAt = nextFireAt;
    slot.runCount = runCount;
    queue(slot);
    return true;
  }

  /** Atomic under the store's monitor: no other call sees an advance without its runs. */
  @Override
  public synchronized List<Claim> write(List<Advance> advances, List<Run> runs) {
    List<Claim> refused = List.of();
    for (Advance advance : advances) {
      if (advance(advance.claim(), advance.nextFireAt(), advance.runCount(), advance.state())) {
        record(advance.runs());
      } else {
        refused = refused.isEmpty() ? new ArrayList<>() : refused;
        refused.add(advance.claim());
      }
    }
    record(runs);
    return refused;
  }

  @Override
  public synchronized boolean release(Claim claim) {
    Slot slot = held(claim);
    if (slot != null) {
      queue(slot);
    }
    return slot != null;
  }

  /** The slot if the claim still holds it (ending the lease), else null. */
  private Slot held(Claim claim) {
    Slot slot = jobs.get(claim.job().id());
    if (slot == null || slot.token != claim.token() || slot.in != leases) {
      return null;
    }
    leases.cancel(slot);
    slot.in = null;
    return slot;
  }

  @Override
  public RunId newRunId() {
    return new RunId(runIds.incrementAndGet());
  }

  @Override
  public synchronized void record(List<Run> runs) {
    for (Run run : runs) {
      if (history.put(run.id(), run.withNode(node)) == null) {
        historyByJob.merge(run.jobId(), 1, Integer::sum);
      }
    }
  }

  @Override
  public synchronized Optional<Run> run(RunId id) {
    return Optional.ofNullable(history.get(id));
  }

  @Override
  public synchronized List<Run> runs(JobId job, int limit) {
    List<Run> found = new ArrayList<>();
    int total = historyByJob.getOrDefault(job, 0);
    if (total == 0) {
      return found;
    }
    for (Run run : history.sequencedValues().reversed()) {
      if (run.jobId().equals(job)) {
        found.add(run);
        if (found.size() >= limit || found.size() >= total) {
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

  private void queue(Slot slot) {
    if (slot.state == JobState.FINISHED) {
      retire(slot);
    }
    if (slot.in == null && slot.state == JobState.ACTIVE && slot.nextFireAt != null) {
      due.add(slot, Nanos.of(slot.nextFireAt));
      slot.in = due;
    }
  }

  /** Remembers a finished job and drops the oldest ones still finished beyond the limit. */
  private void retire(Slot slot) {
    finished.add(slot);
    while (finished.size() > historyLimit) {
      Slot oldest = finished.poll();
      if (oldest.state == JobState.FINISHED && oldest.in != leases) {
        jobs.remove(oldest.job.id(), oldest); // unless it was deleted and its id taken again
      }
    }
  }

  private void unqueue(Slot slot) {
    if (slot.in != null) {
      slot.in.cancel(slot);
      slot.in = null;
    }
  }
}
