package dev.chime.internal.engine;

import dev.chime.Event;
import dev.chime.Job;
import dev.chime.JobFailedException;
import dev.chime.JobHandler;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.Pipeline;
import dev.chime.PipelineRun;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.SchedulerEvent;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.SchedulerListener;
import dev.chime.Trigger;
import dev.chime.internal.timer.Nanos;
import dev.chime.internal.timer.TimerHeap;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import dev.chime.spi.RunQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling engine: the one deliberately central class (see the package notes for the design).
 * All mutable state is guarded by {@link #lock}; handlers run outside it.
 */
public final class Engine implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  /** Occurrences claimed per store call. */
  static final int CLAIM_BATCH = 512;

  /** Store calls per dispatcher cycle before it yields to let workers take the lock. */
  static final int CLAIMS_PER_CYCLE = 8;

  /**
   * Ready runs at which the dispatcher stops claiming: due jobs wait in the store until the workers
   * have taken most of what is ready (in manual mode, {@link #runDue} claims again as it runs
   * them). Without it the dispatcher, holding the lock for each cycle and taking it back at once,
   * claimed a million due jobs before a worker could start one (docs/benchmarks.md).
   */
  static final int READY_HIGH = 2 * CLAIM_BATCH;

  /**
   * Ready runs at which a worker wakes a dispatcher that stopped claiming at {@link #READY_HIGH}.
   */
  static final int READY_LOW = CLAIM_BATCH / 2;

  /** How often a dispatcher that stopped claiming looks again if no worker woke it. */
  static final long HELD_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** The longest the dispatcher parks before it reads the clock again. */
  static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /**
   * How often the standby looks at a run the dispatcher runs itself, while such runs happen: it
   * takes the dispatcher's role over when the run outlasts the next deadline or a whole tick.
   */
  static final long STANDBY_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Ticks without a run on the dispatcher after which the standby parks until it is needed. */
  static final int STANDBY_IDLE_TICKS = 20;

  /** How long the dispatcher hands every run to a worker after the standby had to take over. */
  static final long INLINE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * How often a due retry that cannot start yet looks again: its job is paused (and may be resumed
   * on another node), or the store did not answer.
   */
  static final long RETRY_LOOK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How often a node looks for quarantined jobs whose handler it has. */
  static final long UNQUARANTINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The reason a job without a registered handler is quarantined: these around its name. */
  static final String NO_HANDLER = "no handler named '";

  static final String NO_HANDLER_END = "' is registered";

  /** How many of a job's newest runs are searched for the attempt before an orphaned retry. */
  static final int RETRY_DUE_SEARCH = 100;

  /** How long shutdown waits for interrupted runs to return before it closes anyway. */
  static final long STOP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How long an idle worker waits for more work before it ends. */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How long after a failed write the engine waits before it writes run records again. */
  static final long WRITE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How often history is pruned when a retention is set. */
  static final long PRUNE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Rows deleted per transaction when pruning (short transactions keep vacuum working). */
  static final int PRUNE_BATCH = 500;

  /** How often a durable store is asked for runs orphaned by a scheduler that died. */
  static final long RECOVER_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Skipped occurrences recorded one by one in a catch-up; beyond, one summary record. */
  static final int CATCH_UP_RECORDS = 1_000;

  private final Settings settings;
  private final Clock clock;
  private final JobStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition quiet = lock.newCondition();
  private final Condition hasWork = lock.newCondition();
  private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
  private final Events events = new Events();
  private final TimerHeap<Object> timer = new TimerHeap<>();
  private final TimerHeap<Execution> timeouts = new TimerHeap<>();
  // Event, after and file jobs by end time: no occurrence of theirs is ahead to find it (see
  // noteEnd). An entry is not cancelled when the job changes: when due, the job is read again.
  private final TimerHeap<JobId> endings = new TimerHeap<>();
  private final java.util.function.Consumer<Object> fireDue = this::due; // one, not one per cycle
  private final Map<JobId, TimerHeap.Entry<Object>> claimed = new HashMap<>();
  private final Map<RunId, Execution> live = new HashMap<>();
  private final PerJob perJob = new PerJob();
  private final Map<String, Group> groups = new HashMap<>();
  private final ReadyQueue ready = new ReadyQueue();
  private final Map<JobId, Instant> pausedSince = new HashMap<>();
  // Retries waiting for their backoff (RETRYING, held by a pause too), per job; empty mostly.
  private final Map<JobId, List<Execution>> retrying = new HashMap<>();
  // Jobs that can fire no more but whose runs may still retry: each finishes once no attempt of it
  // is to come (finishWhenIdle), so a pause holds its retry and it is not reported finished early.
  private final Set<JobId> finishing = new java.util.HashSet<>();
  private final java.util.Set<JobId> deleted = new java.util.HashSet<>();
  private final Dependencies dependencies = new Dependencies();
  private final Pipelines pipelines = new Pipelines();
  private final FileWatch files;
  private final List<Run> unrecorded = new ArrayList<>();
  private boolean startsUnrecorded; // unrecorded holds a claimed record of a run that may start
  // Runs admitted outside an advance whose CLAIMED record is not stored yet: they become ready once
  // it is (a durable store only), so no run starts that a crash could hide or repeat.
  private final List<Execution> awaitingStore = new ArrayList<>();
  private final List<Execution> unstored = new ArrayList<>(); // every run marked unstored
  private boolean
      startsBehind; // the CLAIMED records of awaitingStore may wait in the store's queue
  private final List<Advance> unwritten = new ArrayList<>();
  // While an occurrence fires: the runs written with its advance (NO_RUNS until the first one, so
  // the usual firing of a store that records no admissions allocates no list); else null.
  private List<Run> firingRuns;
  private static final List<Run> NO_RUNS = List.of();
  private final boolean durable;
  private final long claimAheadNanos;
  private long claimedUntil = Long.MIN_VALUE; // every due job up to here is claimed (look-ahead)
  private boolean claimsHeld; // the last cycle stopped claiming at READY_HIGH ready runs
  private long recoverAt = Long.MIN_VALUE;
  private long unquarantineAt = Long.MIN_VALUE;
  private long pruneAt = Long.MIN_VALUE;
  private final List<Execution> inDoubt = new ArrayList<>(); // written when the store failed
  private Instant pruneDue; // set under the lock when pruning is due; done outside it
  private volatile boolean pruning = true; // false once the store says it cannot prune
  private final java.util.concurrent.atomic.AtomicBoolean pruneRunning =
      new java.util.concurrent.atomic.AtomicBoolean();
  private long writeFailedAt = Long.MIN_VALUE; // epoch nanos (clock) of the last failed write
  private RuntimeException lastWriteFailure; // why the last write failed, for callers told of it
  private final ExecutorService pool;
  private long order;
  private int workers;
  private int idle;
  // workers running a handler: they take no ready run until it returns
  private int executing;
  private int running;
  private boolean started;
  private boolean closing;
  private boolean closed;
  private String pauseNote;
  private Instant pausedAllSince;
  private Instant firing = Instant.EPOCH;
  private volatile Thread dispatcher; // the thread that claims and fires now (one of two)
  private Thread standby; // the other: parked, ticking, or still running a run it ran inline
  private volatile Execution inline; // the run a dispatcher thread runs itself, if any
  private volatile long inlineCount; // runs run inline so far, so the standby sees a new one
  private Thread inlineThread; // the thread that runs the inline run
  private boolean standbyParked; // the standby waits on standbyWake: signal it when needed
  private long standbySeen = -1; // the inline count at the standby's last look (one standby)
  private int standbyIdleTicks; // its looks in a row with no run on the dispatcher
  private final Condition standbyWake = lock.newCondition();
  private long inlineAfter = Long.MIN_VALUE; // System.nanoTime before which nothing runs inline
  private final Condition inlineDone = lock.newCondition();
  private volatile long wakeAt = Long.MAX_VALUE;
  private final Instant createdAt;
  private final String node; // the store's node id, recorded in the runs this engine makes
  private volatile boolean woken; // another node said work is due: claim at the next cycle

  /** Runs of one job that are admitted (ready or running) or queued behind them. */
  static final class JobRuns {
    final JobId id; // its key in PerJob, with the key's hash and the next node of its chain
    final int hash;
    JobRuns next;

    JobRuns(JobId id, int hash) {
      this.id = id;
      this.hash = hash;
    }

    // The admitted runs, oldest first: most jobs have one at a time, kept in a field; a list is
    // made (and kept) once a second one is admitted. (A list per run-holding job was 56 bytes of
    // the ~1 KB a run allocated; docs/benchmarks.md.)
    private Execution one;
    private ArrayList<Execution> many;
    private ArrayDeque<Execution> queued; // made on first use: most jobs never queue a run

    int admittedCount() {
      return many != null ? many.size() : one != null ? 1 : 0;
    }

    void admit(Execution run) {
      if (many != null) {
        many.add(run);
      } else if (one == null) {
        one = run;
      } else {
        many = new ArrayList<>(4);
        many.add(one);
        many.add(run);
        one = null;
      }
    }

    /** Removes an admitted run; false if it is not admitted here. */
    boolean leave(Execution run) {
      if (many != null) {
        return many.remove(run);
      }
      if (one == run) {
        one = null;
        return true;
      }
      return false;
    }

    /** The oldest admitted run not yet told to stop (cancelled, timed out), or null. */
    Execution oldestNotStopped() {
      if (many == null) {
        return one != null && one.stopState() == null ? one : null;
      }
      for (Execution run : many) {
        if (run.stopState() == null) {
          return run;
        }
      }
      return null;
    }

    int queuedCount() {
      return queued == null ? 0 : queued.size();
    }

    /** Whether an admitted or queued run may fail and be tried again (its policy allows more). */
    boolean mayRetry() {
      if (many == null && queued == null) {
        return one != null && one.mayRetry(); // the usual case: no allocation
      }
      boolean[] found = {false};
      forEach(run -> found[0] |= run.mayRetry());
      return found[0];
    }

    /** Each admitted run, oldest first, then each queued one. */
    void forEach(java.util.function.Consumer<Execution> action) {
      if (one != null) {
        action.accept(one);
      }
      if (many != null) {
        many.forEach(action);
      }
      if (queued != null) {
        queued.forEach(action);
      }
    }

    ArrayDeque<Execution> queue() {
      if (queued == null) {
        queued = new ArrayDeque<>(2);
      }
      return queued;
    }

    Execution pollQueued() {
      return queued == null ? null : queued.poll();
    }

    boolean unqueue(Execution run) {
      return queued != null && queued.remove(run);
    }
  }

  /** A concurrency group: its limit, how many of its runs run, and who waits. */
  private static final class Group {
    final int limit;
    int running;
    final PriorityQueue<Execution> waiting = new PriorityQueue<>(Execution::compare);

    Group(int limit) {
      this.limit = limit;
    }
  }

  /** An engine with the settings; not started. */
  public Engine(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = settings.store();
    this.durable = store.durable();
    // A durable store keeps instants to the microsecond: the engine's instants (a run-now's
    // occurrence, start and end times) are cut to that too, so a live run reads the same as its
    // record does once written (a client matching runs by occurrence sees one value).
    this.clock = durable ? Clock.tick(settings.clock(), Duration.ofNanos(1_000)) : settings.clock();
    this.claimAheadNanos = store.claimAhead().toNanos();
    this.node = store.node();
    this.createdAt = clock.instant();
    this.files = new FileWatch(clock, this::wakeNow);
    settings.groupLimits().forEach((name, limit) -> groups.put(name, new Group(limit)));
    this.pool =
        settings.manual()
            ? null
            : settings.platformThreads() > 0
                ? Executors.newFixedThreadPool(settings.platformThreads(), named("chime-worker"))
                : Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("chime-worker-", 0).factory());
    for (JobInfo info : store.list(JobQuery.ALL)) {
      dependencies.put(info.id(), info.job().trigger());
      if (info.state() != JobState.FINISHED) {
        watchFiles(info.job()); // a finished one watches again if an update makes it active
        noteEnd(info.job());
      }
    }
  }

  /** Watches the directory of a job with a file trigger; stops watching for any other job. */
  private void watchFiles(Job job) {
    if (!(job.trigger() instanceof Trigger.OnFile trigger)) {
      files.unwatch(job.id());
      return;
    }
    try {
      files.watch(job.id(), trigger);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn(
          "job {}: cannot watch {}, its file trigger is idle: {}",
          job.id(),
          trigger.path(),
          e.toString());
    }
  }

  /**
   * An event, after or file job with an end time ahead is finished at that time: nothing else would
   * find it then, as a clock trigger's next occurrence past the end does (before, it stayed active
   * until its next event, dependency end or file change). A job another node added or changed is
   * found at this node's next start, or by its next event.
   */
  private void noteEnd(Job job) {
    if (job.endAt() == null
        || !(job.trigger() instanceof Trigger.After
            || job.trigger() instanceof Trigger.OnEvent
            || job.trigger() instanceof Trigger.OnFile)) {
      return;
    }
    long end = Nanos.of(job.endAt()) + 1; // past its end once the clock is after it
    endings.add(end, job.id());
    if (end < wakeAt) {
      wakeNow();
    }
  }

  /** Finishes the job if it is past its end time now (it may have changed since it was noted). */
  private void endIfDue(JobId id, long now) {
    try {
      store.find(id).ifPresent(this::finishIfDone);
    } catch (RuntimeException e) {
      if (e instanceof SchedulerException gone && gone.kind() == Kind.NOT_FOUND) {
        return; // deleted meanwhile
      }
      // The store failed, or another node wrote the job in between: again in a second.
      LOG.warn(
          "job {}: finishing it at its end time failed, again in a second: {}", id, e.toString());
      endings.add(now + WRITE_RETRY_NANOS, id);
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    return Thread.ofPlatform().name(prefix + "-", 0).daemon(true).factory();
  }

  // ---------------------------------------------------------------- locking and bookkeeping

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      unlock();
    }
  }

  private void unlock() {
    try {
      flush();
    } finally {
      lock.unlock();
      events.deliver();
    }
  }

  /**
   * Writes what the locked section produced: each fired occurrence's advance with its runs, and the
   * other run records, before any worker can take the runs (workers need this lock). Runs of an
   * occurrence whose advance the store refused (its claim was void, or the occurrence fired
   * already) are dropped unstarted.
   */
  private void flush() {
    if (unwritten.isEmpty()
        && writeFailedAt != Long.MIN_VALUE
        && Nanos.of(now()) - writeFailedAt < WRITE_RETRY_NANOS) {
      return; // the store failed a moment ago: keep the records until it has had time
    }
    while (!unwritten.isEmpty() || !unrecorded.isEmpty()) {
      List<Claim> refused;
      try {
        refused = store.write(unwritten, unrecorded); // read during the call only: no copies
        // Records written with no advance may be queued behind (JdbcJobStore); with one, they are
        // stored in its transaction.
        startsBehind |= startsUnrecorded && unwritten.isEmpty();
        startsUnrecorded = false;
        unrecorded.clear();
        writeFailedAt = Long.MIN_VALUE;
      } catch (RuntimeException e) {
        writeFailed(e);
        return;
      }
      if (events.wanted()) {
        finishedEvents(refused);
      }
      unwritten.clear();
      for (Claim claim : refused) {
        dropRunsOf(
            claim,
            "the store refused its claim (void: the job changed meanwhile, or another"
                + " scheduler took the occurrence over; or the occurrence fired already)");
      }
    }
    if (!unstored.isEmpty() && unrecorded.isEmpty()) {
      startStored();
    }
  }

  /**
   * Makes ready the runs admitted outside an advance (a retry, run now, a dependent) once their
   * CLAIMED records are stored, flushing the store first if they may be queued behind: they are on
   * record before they can start, as fired runs are, so if the process dies while one runs,
   * recovery fails it as interrupted rather than starting the same attempt again. If the store
   * cannot write, they wait (the store keeps the records queued; this is tried again with the next
   * write).
   */
  private void startStored() {
    if (startsBehind) {
      try {
        store.flush();
        startsBehind = false;
      } catch (RuntimeException e) {
        if (writeFailedAt == Long.MIN_VALUE) {
          LOG.warn(
              "the store could not record {} run(s) admitted outside a firing; they wait: {}",
              awaitingStore.size(),
              e.toString());
        }
        writeFailedAt = Nanos.of(now());
        lastWriteFailure = e;
        return;
      }
    }
    for (Execution run : unstored) {
      run.unstored = false; // ready, queued behind another run of its job, or ended since
    }
    unstored.clear();
    for (Execution run : awaitingStore) {
      ready.add(run);
    }
    awaitingStore.clear();
    kick();
  }

  /**
   * The store could not write: the runs of what fired are dropped unstarted (their claims run out
   * and the occurrences are claimed again), and the other records wait for the next try, a second
   * or more later, so a store that is down does not stall every locked section.
   */
  private void writeFailed(RuntimeException e) {
    lastWriteFailure = e;
    if (writeFailedAt == Long.MIN_VALUE) {
      LOG.warn(
          "the store failed to write ({} occurrence(s), {} run record(s)); retrying: {}",
          unwritten.size(),
          unrecorded.size(),
          e.toString());
    }
    writeFailedAt = Nanos.of(now());
    List<Advance> lost = new ArrayList<>(unwritten);
    unwritten.clear();
    for (Advance advance : lost) {
      inDoubt.addAll(dropRunsOf(advance.claim(), "the store could not record it"));
    }
  }

  private void finishedEvents(List<Claim> refused) {
    for (Advance advance : unwritten) {
      if (advance.state() == JobState.FINISHED && !refused.contains(advance.claim())) {
        // The job as the advance left it (an advance keeps the note and adds one to the version):
        // no store read under the lock for every finished job.
        JobInfo claimed = advance.claim().job();
        jobChanged(
            SchedulerEvent.Change.FINISHED,
            new JobInfo(
                claimed.job(),
                JobState.FINISHED,
                claimed.note(),
                advance.nextFireAt(),
                advance.runCount(),
                claimed.version() + 1));
      }
    }
  }

  /** Forgets the unstarted runs a refused advance made: another scheduler owns the occurrence. */
  private List<Execution> dropRunsOf(Claim claim, String why) {
    LOG.info(
        "occurrence {} of job {}: {}; its runs are not started",
        claim.scheduledFor(),
        claim.job().id(),
        why);
    List<Execution> dropped = new ArrayList<>();
    for (Execution run : new ArrayList<>(live.values())) {
      if (run.claim == claim && run.state != RunState.RUNNING) {
        unready(run);
        live.remove(run.id);
        leaveJob(run);
        dropped.add(run);
      }
    }
    return dropped;
  }

  /**
   * Runs whose write failed are in doubt: the transaction may have committed with only its answer
   * lost (a connection cut at commit). Once the store answers again, each is looked up: a run on
   * record was taken for good, so it is admitted again (late, never twice: it had not started); a
   * run not on record was never taken, and its occurrence is claimed again when the claim ends.
   */
  private void settleInDoubt() {
    List<Execution> doubtful = new ArrayList<>(inDoubt);
    for (Execution run : doubtful) {
      Optional<Run> record = store.run(run.id); // throws while the store is down
      inDoubt.remove(run);
      // Recorded, and still this node's and unstarted: taken for good. A run another node took
      // over meanwhile (this node was silent longer than its lease) is that node's to end.
      boolean recorded =
          record.isPresent()
              && !record.get().state().isFinal()
              && (node == null || record.get().node() == null || record.get().node().equals(node));
      if (record.isPresent() && !recorded) {
        LOG.info(
            "run {} of job {} was taken over by node {}",
            run.id,
            run.job.id(),
            record.get().node());
      }
      if (recorded) {
        LOG.info("run {} of job {} was recorded after all; starting it", run.id, run.job.id());
        run.claim = null;
        run.state = RunState.SCHEDULED;
        admit(run, false);
      }
    }
  }

  private Instant now() {
    return clock.instant();
  }

  private void openOrFail() {
    if (closing) {
      throw new SchedulerException(Kind.CLOSED, "the scheduler is shut down");
    }
  }

  private void record(Run run) {
    if (firingRuns != null) {
      firingRun(run);
    } else {
      unrecorded.add(run);
    }
    if (events.wanted()) {
      events.emit(new SchedulerEvent.RunChanged(run));
    }
  }

  private void changed(Execution run) {
    if (events.wanted()) {
      events.emit(new SchedulerEvent.RunChanged(run.snapshot()));
    }
  }

  private void jobChanged(SchedulerEvent.Change change, JobInfo info) {
    if (events.wanted()) {
      events.emit(new SchedulerEvent.JobChanged(change, info));
    }
  }

  private RunId skip(Job job, Instant occurrence, int attempt, String reason) {
    return skipped(job, occurrence, attempt, reason, null).id();
  }

  private Run skipped(Job job, Instant occurrence, int attempt, String reason, Event event) {
    Run run =
        new Run(
            store.newRunId(),
            job.id(),
            occurrence,
            attempt,
            RunState.SKIPPED,
            reason,
            null,
            now(),
            null,
            "",
            0,
            null,
            null,
            node,
            event);
    record(run);
    return run;
  }

  // ---------------------------------------------------------------- jobs

  @Override
  public Scheduler register(String name, JobHandler handler) {
    Objects.requireNonNull(name, "handler name must not be null");
    Objects.requireNonNull(handler, "handler must not be null");
    if (Job.INLINE_HANDLER.equals(name)) {
      throw new IllegalArgumentException("handler name '" + name + "' is reserved");
    }
    handlers.put(name, handler);
    return this;
  }

  @Override
  public JobId schedule(Job job) {
    return scheduleAndGet(job).id();
  }

  @Override
  public JobInfo scheduleAndGet(Job job) {
    Job keyed = keyed(Objects.requireNonNull(job, "job must not be null"));
    lock.lock(); // as locked() does, without a capturing lambda per call (the hot path)
    try {
      openOrFail();
      check(keyed);
      JobInfo info = store.insert(initial(keyed, JobState.ACTIVE, null, 0, 1));
      dependencies.put(keyed.id(), keyed.trigger());
      watchFiles(keyed);
      noteEnd(keyed);
      jobChanged(SchedulerEvent.Change.ADDED, info);
      JobInfo now = finishIfDone(info);
      wake(info.nextFireAt());
      return now;
    } finally {
      unlock();
    }
  }

  @Override
  public List<JobId> scheduleAll(java.util.Collection<Job> given) {
    Objects.requireNonNull(given, "jobs must not be null");
    List<Job> jobs = given.stream().map(job -> keyed(Objects.requireNonNull(job, "job"))).toList();
    java.util.Set<JobId> seen = new java.util.HashSet<>();
    for (Job job : jobs) {
      if (!seen.add(job.id())) {
        throw new SchedulerException(Kind.INVALID, "job " + job.id() + " is given twice");
      }
      if (containsAfter(job.trigger())) {
        throw new SchedulerException(
            Kind.INVALID,
            "job " + job.id() + " has an after trigger: schedule such jobs one at a time");
      }
    }
    return locked(
        () -> {
          openOrFail();
          List<JobInfo> initial = new ArrayList<>(jobs.size());
          for (Job job : jobs) {
            check(job);
            initial.add(initial(job, JobState.ACTIVE, null, 0, 1));
          }
          List<JobInfo> stored = store.insertAll(initial);
          for (JobInfo info : stored) {
            dependencies.put(info.id(), info.job().trigger());
            watchFiles(info.job());
            noteEnd(info.job());
            jobChanged(SchedulerEvent.Change.ADDED, info);
            finishIfDone(info);
            wake(info.nextFireAt());
          }
          return jobs.stream().map(Job::id).toList();
        });
  }

  /**
   * The job with the {@code H} fields of its cron triggers, those inside any/all too, hashed from
   * its id, as Jenkins does.
   */
  private static Job keyed(Job job) {
    Trigger rekeyed;
    try {
      rekeyed = job.trigger().withHashKey(job.id().value());
    } catch (dev.chime.cron.CronSyntaxException e) {
      // Only an expression with too many H draws to check them all when it was parsed gets here.
      throw new SchedulerException(
          Kind.INVALID,
          "trigger",
          "job "
              + job.id()
              + ": cron '"
              + e.expression()
              + "' with the job id as the key of its H fields can never fire: "
              + e.getMessage());
    }
    return rekeyed == job.trigger()
        ? job
        : new Job(
            job.id(),
            job.handler(),
            job.params(),
            rekeyed,
            job.timeout(),
            job.retry(),
            job.overlap(),
            job.misfire(),
            job.priority(),
            job.group(),
            job.maxRuns(),
            job.endAt(),
            job.labels(),
            job.owner(),
            job.code());
  }

  private void check(Job job) {
    check(job, false);
  }

  /**
   * Refuses a job the scheduler cannot run. {@code sameTrigger}: an update that keeps the job's
   * trigger, whose dependencies were checked when it was set (one that has finished since may be
   * gone: a store keeps finished jobs for a while only).
   */
  private void check(Job job, boolean sameTrigger) {
    if (job.code() != null
        ? !store.supportsInlineHandlers()
        : !handlers.containsKey(job.handler())) {
      throw new SchedulerException(
          Kind.INVALID,
          "handler",
          job.code() != null
              ? "job "
                  + job.id()
                  + " has a lambda handler, which this store cannot keep:"
                  + " register a handler by name and refer to it"
              : "job " + job.id() + ": no handler named '" + job.handler() + "' is registered");
    }
    if (job.trigger() instanceof Trigger.After after) {
      if (sameTrigger) {
        return;
      }
      for (JobId awaited : after.jobs().stream().sorted(Dependencies.BY_ID).toList()) {
        if (!awaited.equals(job.id()) && store.find(awaited).isEmpty()) {
          throw new SchedulerException(
              Kind.INVALID,
              "trigger.after",
              "job " + job.id() + " depends on " + awaited + ", which does not exist");
        }
      }
      List<JobId> cycle = dependencies.cycleIf(job.id(), after);
      if (cycle != null) {
        throw new SchedulerException(
            Kind.INVALID,
            "trigger.after",
            "dependency cycle: " + String.join(" -> ", cycle.stream().map(JobId::value).toList()));
      }
    } else if (job.trigger() instanceof Trigger.OnFile file
        && !java.nio.file.Files.isDirectory(file.path())) {
      throw new SchedulerException(
          Kind.INVALID,
          "trigger.file.path",
          "job "
              + job.id()
              + ": file trigger path "
              + file.path()
              + (java.nio.file.Files.exists(file.path())
                  ? " is not a directory"
                  : " does not exist"));
    } else if (containsAfter(job.trigger())) {
      throw new SchedulerException(
          Kind.INVALID,
          "job " + job.id() + ": an after trigger cannot be part of any/all; use it on its own");
    }
  }

  private static boolean containsAfter(Trigger trigger) {
    return switch (trigger) {
      case Trigger.After after -> true;
      case Trigger.Any any -> any.triggers().stream().anyMatch(Engine::containsAfter);
      case Trigger.All all -> all.triggers().stream().anyMatch(Engine::containsAfter);
      default -> false;
    };
  }

  /** The job as first stored: its first occurrence from now (a once trigger keeps its instant). */
  private JobInfo initial(Job job, JobState state, String note, long runs, long version) {
    return new JobInfo(job, state, note, firstFire(job), runs, version);
  }

  /**
   * The next occurrence of an updated job. With the trigger unchanged, the schedule goes on where
   * it was (an occurrence that fired at this very instant, or a once job's past instant, must not
   * fire again); a new trigger starts afresh, as a new job would, but after the occurrences of it
   * the job fired already ({@link #unfired}).
   */
  private Instant updatedFire(JobInfo old, Job job) {
    if (!job.trigger().equals(old.job().trigger())) {
      return unfired(job, firstFire(job));
    }
    return beforeEnd(
        job,
        old.nextFireAt() != null
            ? old.nextFireAt()
            : job.trigger().nextAfter(now()).orElse(null)); // finished: only what is still ahead
  }

  /**
   * The occurrence, or the first after it that the job has not fired: an occurrence fires once. A
   * new trigger's first occurrence may be one the job fired: the update lands at the very instant
   * of an occurrence that just fired (or was claimed and written as taken) and the new trigger has
   * it too, or a once job is given back an instant it fired at (a once job given a past instant it
   * never fired at still catches it up, by its misfire policy). The store knows what fired ({@link
   * JobStore#fired}), whichever scheduler fired it; a once job that fired its instant has nothing
   * after it, and finishes.
   */
  private Instant unfired(Job job, Instant first) {
    Instant at = first;
    while (at != null && store.fired(job.id(), at)) {
      at = beforeEnd(job, job.trigger().nextAfter(at).orElse(null));
    }
    return at;
  }

  /** The job's first occurrence; the clock is read only for a trigger that needs it. */
  private Instant firstFire(Job job) {
    return beforeEnd(
        job,
        job.trigger() instanceof Trigger.Once once
            ? once.at()
            : job.trigger().nextAfter(now().minusNanos(1)).orElse(null));
  }

  /** The occurrence, or null when there is none or it is after the job's end time. */
  private static Instant beforeEnd(Job job, Instant occurrence) {
    return occurrence != null && job.endAt() != null && occurrence.isAfter(job.endAt())
        ? null
        : occurrence;
  }

  /**
   * Marks a job that can never fire again as finished, unless an attempt of it is still to come
   * (then it finishes when the last one ends); returns the job as it is now. A paused job finishes
   * too (updated past its end, say): resumed, it would never fire, and {@link #finishWhenIdle}
   * finishes a paused one as well.
   */
  private JobInfo finishIfDone(JobInfo info) {
    if (info.state() == JobState.FINISHED || !exhausted(info) || fixedDelayPending(info)) {
      return info;
    }
    if (attemptsPending(info.id())) {
      finishing.add(info.id());
      return info;
    }
    JobInfo done = store.update(withState(info, JobState.FINISHED, null, null));
    finished(done);
    return done;
  }

  /**
   * The job will not fire again: listeners hear of it, and a file trigger stops watching (it
   * gathered changes for a run that would never come). Clock triggers finish with their advance
   * ({@link #finishedEvents}); they watch nothing.
   */
  private void finished(JobInfo done) {
    files.unwatch(done.id());
    if (!pausedSince.isEmpty()) {
      pausedSince.remove(done.id()); // finished while paused: no occurrence is late for it now
    }
    jobChanged(SchedulerEvent.Change.FINISHED, done);
  }

  /**
   * Whether the job can never fire again: no next occurrence (a trigger that fires on other things
   * has none anyway: it is past its end time instead), or its max runs counted.
   */
  private boolean exhausted(JobInfo info) {
    Job job = info.job();
    if (job.maxRuns() > 0 && info.runCount() >= job.maxRuns()) {
      return true;
    }
    if (job.trigger() instanceof Trigger.After
        || job.trigger() instanceof Trigger.OnEvent
        || job.trigger() instanceof Trigger.OnFile) {
      return job.endAt() != null && now().isAfter(job.endAt());
    }
    return info.nextFireAt() == null;
  }

  /**
   * Whether an attempt of the job is still to come: a retry waits for its backoff, or a run is
   * admitted or queued that may fail and be tried again.
   */
  private boolean attemptsPending(JobId id) {
    if (!retrying.isEmpty() && retrying.containsKey(id)) {
      return true;
    }
    JobRuns runs = perJob.get(id);
    return runs != null && runs.mayRetry();
  }

  /**
   * A job that could fire no more but had attempts to come finishes once none is left (a paused one
   * too: there is nothing left to hold). A store that fails is asked again in a while.
   */
  private void finishWhenIdle(JobId id) {
    if (attemptsPending(id)) {
      return;
    }
    finishing.remove(id);
    boolean[] finished = {false};
    JobInfo done;
    try {
      done =
          updateFresh(
              id,
              current -> {
                finished[0] =
                    current.state() != JobState.FINISHED
                        && exhausted(current)
                        && !fixedDelayPending(current);
                return finished[0] ? withState(current, JobState.FINISHED, null, null) : current;
              });
    } catch (RuntimeException e) {
      if (!storeDown(e)) {
        return; // deleted meanwhile: nothing to finish
      }
      LOG.warn(
          "job {}: its finish is written again in a second: the store failed: {}",
          id,
          e.toString());
      finishing.add(id);
      long again = Nanos.of(now()) + RETRY_LOOK_NANOS;
      timer.add(again, new Unfinished(id));
      wake(Nanos.toInstant(again));
      return;
    }
    if (finished[0]) {
      finished(done);
    }
  }

  /**
   * Whether a write about a job failed because the store did not answer (the caller tries again or
   * goes on without it), not because the job is gone (false: deleted meanwhile, on another node
   * perhaps, so nothing is left to write); any other refusal is thrown on.
   */
  private static boolean storeDown(RuntimeException e) {
    if (e instanceof SchedulerException refused && refused.kind() == Kind.NOT_FOUND) {
      return false;
    }
    if (e instanceof SchedulerException refused && refused.kind() != Kind.UNAVAILABLE) {
      throw e;
    }
    return true;
  }

  /**
   * A run made while its job was finished (run now, a pipeline stage, an orphan) failed and is
   * retried: the job is active again, with no next fire time, so it does not show finished with an
   * attempt still to come. It finishes again once its last attempt ends ({@link #finishWhenIdle}),
   * and a pause meanwhile holds the retry, as for a job whose last occurrence waits for a retry. A
   * job gone meanwhile (evicted from memory, deleted on another node) has nothing to reopen; while
   * the store cannot write, the job stays finished and the retry runs all the same (the policy is
   * the job's).
   */
  private void reopen(JobId id) {
    boolean[] reopened = {false};
    JobInfo active;
    try {
      active =
          updateFresh(
              id,
              current -> {
                reopened[0] = current.state() == JobState.FINISHED;
                return reopened[0] ? withState(current, JobState.ACTIVE, null, null) : current;
              });
    } catch (RuntimeException e) {
      if (storeDown(e)) {
        LOG.warn(
            "job {}: still shown finished while a run of it waits for a retry: the store failed:"
                + " {}",
            id,
            e.toString());
      }
      return;
    }
    if (reopened[0]) {
      finishing.add(id);
      jobChanged(SchedulerEvent.Change.REOPENED, active);
    }
  }

  /** A job whose finish the store failed to write (see {@link #finishWhenIdle}). */
  private record Unfinished(JobId job) {}

  private boolean fixedDelayPending(JobInfo info) {
    return info.job().trigger() instanceof Trigger.Interval interval
        && interval.mode() == Trigger.Interval.Mode.FIXED_DELAY
        && perJob.containsKey(info.id());
  }

  private static JobInfo withState(JobInfo info, JobState state, String note, Instant next) {
    return new JobInfo(info.job(), state, note, next, info.runCount(), info.version());
  }

  @Override
  public Optional<JobInfo> get(JobId id) {
    return store.find(Objects.requireNonNull(id, "id must not be null"));
  }

  @Override
  public List<JobInfo> list(JobQuery query) {
    return store.list(Objects.requireNonNull(query, "query must not be null"));
  }

  @Override
  public List<JobInfo> list(JobQuery query, JobId after, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    return store.list(Objects.requireNonNull(query, "query must not be null"), after, limit);
  }

  /**
   * Replaces the job. The job as it is (equal to the stored one, its {@code H} fields keyed) passes
   * the same checks and then changes nothing: no write, no new version, no event, and its claim and
   * schedule stay as they are.
   */
  @Override
  public JobInfo update(Job given) {
    Job job = keyed(Objects.requireNonNull(given, "job must not be null"));
    return locked(
        () -> {
          openOrFail();
          JobInfo current = existing(job.id());
          check(job, job.trigger().equals(current.job().trigger()));
          if (job.equals(current.job())) {
            // Nothing to write; but an untimed job past its end time finishes now, as at any
            // update (before its end-time entry falls due, or with the scheduler not started).
            return finishIfDone(current);
          }
          unclaim(job.id());
          JobInfo info =
              updateFresh(
                  job.id(),
                  old ->
                      new JobInfo(
                          job,
                          old.state() == JobState.FINISHED ? JobState.ACTIVE : old.state(),
                          old.note(),
                          updatedFire(old, job),
                          old.runCount(),
                          old.version()));
          dependencies.update(job.id(), job.trigger());
          watchFiles(job);
          noteEnd(job);
          jobChanged(SchedulerEvent.Change.UPDATED, info);
          finishIfDone(info);
          wake(info.nextFireAt());
          return store.find(job.id()).orElse(info);
        });
  }

  /**
   * Writes {@code change} applied to the job as stored now (the same job: nothing to write), and
   * again on a version conflict: another node's write (a firing, say) came between the read and the
   * write, and the change must be made to what that write left.
   */
  private JobInfo updateFresh(JobId id, java.util.function.UnaryOperator<JobInfo> change) {
    for (int tries = 1; ; tries++) {
      JobInfo current = existing(id);
      JobInfo changed = change.apply(current);
      if (changed == current) {
        return current;
      }
      try {
        return store.update(changed);
      } catch (SchedulerException e) {
        if (e.kind() != Kind.CONFLICT || tries >= UPDATE_TRIES) {
          throw e;
        }
      }
    }
  }

  private JobInfo existing(JobId id) {
    Objects.requireNonNull(id, "id must not be null");
    return store.find(id).orElseThrow(() -> new SchedulerException(Kind.NOT_FOUND, "no job " + id));
  }

  @Override
  public boolean delete(JobId id) {
    Objects.requireNonNull(id, "id must not be null");
    return locked(
        () -> {
          Optional<JobInfo> old = store.find(id);
          if (old.isEmpty()) {
            return false;
          }
          List<JobId> waiting = new ArrayList<>();
          for (JobId dependent : dependencies.dependentsOf(id)) {
            // A finished dependent waits for nothing: it can never fire again.
            if (store.find(dependent).filter(d -> d.state() != JobState.FINISHED).isPresent()) {
              waiting.add(dependent);
            }
          }
          if (!waiting.isEmpty()) {
            throw new SchedulerException(
                Kind.CONFLICT, "job " + id + " cannot be deleted: " + waiting + " depend on it");
          }
          if (pipelines.uses(id)) {
            throw new SchedulerException(
                Kind.CONFLICT, "job " + id + " cannot be deleted: a pipeline uses it");
          }
          unclaim(id);
          store.delete(id);
          dependencies.remove(id);
          files.unwatch(id);
          for (Execution run : new ArrayList<>(live.values())) {
            if (run.job.id().equals(id) && run.state == RunState.RETRYING) {
              cancelRun(run, "the job was deleted");
            }
          }
          if (perJob.containsKey(id)) {
            deleted.add(id); // its running runs end without a retry
          }
          jobChanged(SchedulerEvent.Change.DELETED, old.get());
          return true;
        });
  }

  /** Drops the occurrence held in the timer for the job, ending its claim. */
  private void unclaim(JobId id) {
    TimerHeap.Entry<Object> entry = claimed.remove(id);
    if (entry != null && timer.cancel(entry)) {
      store.release((Claim) entry.payload());
    }
  }

  @Override
  public JobInfo pause(JobId id, String note) {
    return locked(() -> pauseLocked(existing(id), note));
  }

  private JobInfo pauseLocked(JobInfo info, String note) {
    if (info.state() == JobState.PAUSED) {
      return renoteLocked(info, note);
    }
    if (info.state() != JobState.ACTIVE) {
      return info;
    }
    unclaim(info.id());
    JobInfo paused =
        updateFresh(
            info.id(),
            current ->
                current.state() != JobState.ACTIVE
                    ? current
                    : withState(current, JobState.PAUSED, note, current.nextFireAt()));
    if (paused.state() != JobState.PAUSED) {
      return paused; // it finished meanwhile
    }
    pausedSince.put(info.id(), now());
    jobChanged(SchedulerEvent.Change.PAUSED, paused);
    return paused;
  }

  /**
   * A paused job paused again: a new note replaces the old one, stored and told as a paused event
   * (it was ignored, so the job went on showing why it was first paused). The same note, or none,
   * changes nothing and tells nothing.
   */
  private JobInfo renoteLocked(JobInfo info, String note) {
    if (note == null || note.equals(info.note())) {
      return info;
    }
    JobInfo noted =
        updateFresh(
            info.id(),
            current ->
                current.state() != JobState.PAUSED || note.equals(current.note())
                    ? current
                    : withState(current, JobState.PAUSED, note, current.nextFireAt()));
    if (noted.state() == JobState.PAUSED && noted.version() != info.version()) {
      jobChanged(SchedulerEvent.Change.PAUSED, noted);
    }
    return noted;
  }

  @Override
  public JobInfo resume(JobId id) {
    return locked(() -> resumeLocked(existing(id)));
  }

  private JobInfo resumeLocked(JobInfo info) {
    if (info.state() != JobState.PAUSED) {
      return info;
    }
    JobInfo resumed =
        updateFresh(
            info.id(),
            current ->
                current.state() != JobState.PAUSED
                    ? current
                    : withState(current, JobState.ACTIVE, null, current.nextFireAt()));
    if (resumed.state() != JobState.ACTIVE) {
      return resumed;
    }
    for (Execution run : live.values()) {
      if (run.heldByPause && run.job.id().equals(info.id()) && timer.cancel(run.timerEntry)) {
        run.timerEntry = timer.add(Nanos.of(now()), run); // held for the pause: due now
        wakeNow();
      }
    }
    jobChanged(SchedulerEvent.Change.RESUMED, resumed);
    wake(resumed.nextFireAt());
    return resumed;
  }

  @Override
  public int pauseLabeled(String label, String note) {
    Objects.requireNonNull(label, "label must not be null");
    return locked(
        () -> {
          int count = 0;
          for (JobInfo info :
              store.list(JobQuery.ALL.withLabel(label).withState(JobState.ACTIVE))) {
            pauseLocked(info, note);
            count++;
          }
          return count;
        });
  }

  @Override
  public int resumeLabeled(String label) {
    Objects.requireNonNull(label, "label must not be null");
    return locked(
        () -> {
          int count = 0;
          for (JobInfo info :
              store.list(JobQuery.ALL.withLabel(label).withState(JobState.PAUSED))) {
            resumeLocked(info);
            count++;
          }
          return count;
        });
  }

  @Override
  public void pauseAll(String note) {
    locked(
        () -> {
          if (pausedAllSince == null) {
            pausedAllSince = now();
            pauseNote = note;
          }
          return null;
        });
  }

  @Override
  public void resumeAll() {
    locked(
        () -> {
          pausedAllSince = null;
          pauseNote = null;
          wakeNow();
          return null;
        });
  }

  @Override
  public boolean isPaused() {
    return locked(() -> pausedAllSince != null);
  }

  // ---------------------------------------------------------------- runs

  @Override
  public RunId runNow(JobId id) {
    return runNow(id, false);
  }

  @Override
  public RunId runNow(JobId id, boolean force) {
    return locked(
        () -> {
          openOrFail();
          JobInfo info = existing(id);
          RunId run = occurrence(info, now(), force, 0);
          refuseUnstored(run);
          kick();
          return run;
        });
  }

  /**
   * A run someone asked for (run now) that a durable store could not record is not started: it is
   * cancelled (recorded so once the store writes again) and the caller told, rather than run off
   * the record, where a crash would lose it.
   */
  private void refuseUnstored(RunId id) {
    flush();
    Execution run = live.get(id);
    if (run == null || !run.unstored) {
      return;
    }
    cancelRun(run, "not started: the store could not record it");
    RuntimeException cause = lastWriteFailure;
    throw new SchedulerException(
        Kind.UNAVAILABLE,
        "the store could not record run "
            + id
            + ", so it was not started"
            + (cause == null ? "" : ": " + cause.getMessage()),
        cause);
  }

  /**
   * Creates a first attempt of the job for the occurrence (run now, a pipeline stage) and admits
   * it; returns its id. A finished job may run so too: a retry of the run makes it active again
   * ({@link #reopen}).
   */
  private RunId occurrence(JobInfo info, Instant at, boolean force, long pipelineRun) {
    Execution run =
        new Execution(store.newRunId(), info.job(), at, 1, order++, pipelineRun, clock, node);
    run.ofFinishedJob = info.state() == JobState.FINISHED;
    admit(run, force);
    return run.id;
  }

  /** Admits a run by its job's overlap policy: ready, queued, replacing another, or skipped. */
  private void admit(Execution run, boolean force) {
    OverlapPolicy overlap = run.job.overlap();
    if (overlap.mode() == OverlapPolicy.Mode.REPLACE && !force && run.attempt == 1) {
      supersedeRetries(run);
    }
    JobRuns runs = perJob.of(run.job.id());
    run.jobRuns = runs;
    live.put(run.id, run);
    admitted(run, RunState.CLAIMED);
    if (force || runs.admittedCount() < overlap.maxConcurrent()) {
      runs.admit(run);
      makeReady(run);
      return;
    }
    String skipped = overlapSkip(runs, overlap);
    if (skipped != null) {
      end(run, RunState.SKIPPED, skipped);
      return;
    }
    switch (overlap.mode()) {
      case QUEUE -> {
        runs.queue().add(run);
        changed(run);
      }
      case REPLACE -> {
        Execution oldest = runs.oldestNotStopped();
        if (oldest != null) {
          cancelRun(oldest, "replaced by run " + run.id);
        } else if (runs.queuedCount() > 0) {
          // Every admitted run was told to stop and goes on regardless: the replacement that waits
          // for one of them is superseded by this newer one, which takes its turn.
          cancelRun(runs.queue().peekFirst(), "replaced by run " + run.id);
        }
        // A replaced run that had not started left at once, and if it was the job's last, its
        // runs left the table with it: the new run goes into the job's runs as they are now.
        runs = perJob.of(run.job.id());
        run.jobRuns = runs;
        if (runs.admittedCount() < overlap.maxConcurrent()) {
          runs.admit(run); // the replaced run had not started: its place is free now
          makeReady(run);
        } else {
          runs.queue().addFirst(run); // starts when the replaced run's code returns
          changed(run);
        }
      }
      default -> throw new IllegalStateException("overlap " + overlap.mode() + " skips");
    }
  }

  /**
   * Why the overlap policy skips a new, unforced run of the job now, or null when it admits it
   * (ready, queued or replacing another). {@code runs} may be null: none admitted or queued.
   */
  private static String overlapSkip(JobRuns runs, OverlapPolicy overlap) {
    int admitted = runs == null ? 0 : runs.admittedCount();
    if (admitted < overlap.maxConcurrent()) {
      return null;
    }
    return switch (overlap.mode()) {
      case QUEUE ->
          runs.queuedCount() < overlap.queueLimit()
              ? null
              : "overlap: " + overlap.queueLimit() + " run(s) already queued";
      case REPLACE -> null;
      default -> "overlap: " + admitted + " run(s) of the job still running";
    };
  }

  /**
   * Under replace, a new run supersedes the retries of older occurrences that have not started:
   * those waiting out their backoff and those waiting for their turn (queued, or admitted and not
   * yet started) are cancelled, "replaced by run N", so none runs after the newer occurrence. A run
   * of an older occurrence that goes on (running, or a first attempt that has room beside the newer
   * one under {@code maxConcurrent > 1}) is left to the limit, as any running run is, but a retry
   * it would get is superseded too: it is recorded cancelled the same way when that run fails
   * ({@link #retry}), instead of running after the newer occurrence.
   */
  private void supersedeRetries(Execution newer) {
    List<Execution> stale = new ArrayList<>();
    List<Execution> waiting = retrying.isEmpty() ? null : retrying.get(newer.job.id());
    if (waiting != null) {
      stale.addAll(waiting);
    }
    JobRuns runs = perJob.get(newer.job.id());
    if (runs != null) {
      runs.forEach(stale::add);
    }
    for (Execution run : stale) {
      if (!run.scheduledFor.isBefore(newer.scheduledFor)) {
        continue;
      }
      if (run.attempt > 1 && run.state != RunState.RUNNING) {
        cancelRun(run, "replaced by run " + newer.id);
      } else if (run.replacedBy == null) {
        run.replacedBy = newer.id;
      }
    }
  }

  /**
   * A run-all catch-up run or a retry that fell due: runs as its overlap allows, else waits its
   * turn (never skipped, never beside more runs than the job allows).
   */
  private void catchUpRun(Execution run) {
    JobRuns runs = perJob.of(run.job.id());
    run.jobRuns = runs;
    if (runs.admittedCount() < run.job.overlap().maxConcurrent()) {
      admit(run, false);
    } else {
      live.put(run.id, run);
      admitted(run, RunState.CLAIMED);
      run.state = RunState.CLAIMED; // a retry was RETRYING: now it is admitted, waiting its turn
      runs.queue().add(run);
      changed(run);
    }
  }

  /** A skipped first attempt's record made here, for an occurrence no job run stands for. */
  private Run skippedRecord(JobId job, Instant occurrence, String reason, Instant now) {
    return new Run(
        store.newRunId(),
        job,
        occurrence,
        1,
        RunState.SKIPPED,
        reason,
        null,
        now,
        null,
        "",
        0,
        null,
        null,
        node,
        null);
  }

  /** A durable store records every run when it is admitted, so a crash cannot hide it. */
  private void admitted(Execution run, RunState as) {
    if (!durable) {
      return;
    }
    run.life = store.life();
    if (firingRuns != null) {
      firingRun(run.snapshotAs(as));
    } else {
      unrecorded.add(run.snapshotAs(as));
      if (as == RunState.CLAIMED) {
        startsUnrecorded = true;
        run.unstored = true;
        unstored.add(run);
      }
    }
  }

  private void firingRun(Run run) {
    if (firingRuns == NO_RUNS) {
      firingRuns = new ArrayList<>(2);
    }
    firingRuns.add(run);
  }

  private void makeReady(Execution run) {
    run.state = RunState.CLAIMED;
    if (run.unstored) {
      awaitingStore.add(run); // ready once its CLAIMED record is stored (startStored)
    } else {
      ready.add(run);
    }
    changed(run);
  }

  /** Takes an unstarted run out of wherever it waits to start: ready, for the store, its group. */
  private void unready(Execution run) {
    if (!ready.remove(run) && !awaitingStore.remove(run)) {
      Group group = run.job.group() == null ? null : groups.get(run.job.group());
      if (group != null) {
        group.waiting.remove(run);
      }
    }
  }

  /** The next ready run whose group has room, marked running; null if none. */
  private Execution takeReady() {
    return takeReady(null);
  }

  /** {@link #takeReady()} with the clock read already made in this locked section, if any. */
  private Execution takeReady(Instant readAt) {
    if (running >= settings.maxConcurrency()) {
      return null; // the global limit, exact whichever thread runs the run
    }
    Execution run;
    long life = durable ? store.life() : 0;
    while ((run = ready.poll()) != null) {
      if (run.life != life || life < 0) {
        setAside(run, life);
        continue;
      }
      Group group = run.job.group() == null ? null : groups.get(run.job.group());
      if (group != null && group.running >= group.limit) {
        group.waiting.add(run);
        continue;
      }
      if (group != null) {
        group.running++;
      }
      running++;
      run.state = RunState.RUNNING;
      run.startedAt = readAt != null ? readAt : now();
      if (run.job.timeout() != null) {
        run.deadlineNanos = Nanos.of(run.startedAt.plus(run.job.timeout()));
        run.timeoutEntry = timeouts.add(run.deadlineNanos, run);
      }
      changed(run);
      if (claimsHeld && ready.size() <= READY_LOW) {
        claimsHeld = false;
        wakeNow();
      }
      return run;
    }
    return null;
  }

  /**
   * A ready run recorded in an earlier life of this node in a shared store, or while other nodes
   * may take this node for dead (see {@link JobStore#life}): another node may have taken it over.
   * It waits with the runs in doubt, and starts only once the store shows it still this node's.
   */
  private void setAside(Execution run, long life) {
    LOG.info(
        "run {} of job {} waits: {}; it starts once the store shows it still this node's",
        run.id,
        run.job.id(),
        life < 0
            ? "this node's heartbeat is late, so other nodes may take its runs over"
            : "this node was taken for dead since it was recorded");
    live.remove(run.id);
    leaveJob(run);
    inDoubt.add(run);
  }

  /** Runs the handler on this thread, outside the lock, and notes how it ended. */
  private void execute(Execution run) {
    JobHandler handler = run.job.code() != null ? run.job.code() : handlers.get(run.job.handler());
    run.attach(Thread.currentThread());
    try {
      if (handler == null) {
        throw new IllegalStateException(
            "no handler named '" + run.job.handler() + "' is registered");
      }
      handler.run(run);
    } catch (Throwable e) {
      run.failure = e;
      if (e instanceof Error
          && !(e instanceof AssertionError)
          && !(e instanceof StackOverflowError)) {
        LOG.error("run {} of job {} threw an error", run.id, run.job.id(), e);
      }
    } finally {
      run.detach();
    }
  }

  /** Settles a run whose handler returned, under the lock. */
  private Instant completed(Execution run) {
    Instant finished = now();
    RunState state;
    String reason = null;
    if (run.stopState() != null) {
      state = run.stopState();
      reason = run.stopReason();
    } else if (run.deadlineNanos != Long.MAX_VALUE && Nanos.of(finished) >= run.deadlineNanos) {
      state = RunState.TIMED_OUT;
      reason = "ran longer than its timeout " + run.job.timeout();
    } else {
      state = run.failure == null ? RunState.SUCCEEDED : RunState.FAILED;
    }
    if (run.failure != null && state != RunState.SUCCEEDED) {
      run.error = describe(run.failure);
    }
    release(run);
    run.finishedAt = finished;
    end(run, state, reason);
    return finished;
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    if (failure instanceof JobFailedException) {
      return message; // says it all: no class name (its constructor refuses a blank message)
    }
    return failure.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** Frees the run's place in its job, group and the global count. */
  private void release(Execution run) {
    running--;
    if (run.timeoutEntry != null) {
      timeouts.cancel(run.timeoutEntry);
    }
    Group group = run.job.group() == null ? null : groups.get(run.job.group());
    if (group != null) {
      group.running--;
      Execution next = group.waiting.poll();
      if (next != null) {
        ready.add(next);
      }
    }
    if (closing) {
      quiet.signalAll();
    }
  }

  /** Ends a run in a final state: records it, then retries, dependents and pipelines follow. */
  private void end(Execution run, RunState state, String reason) {
    if (run.state == RunState.RETRYING) {
      retryLeaves(run);
    }
    run.state = state;
    run.reason = reason;
    if (run.finishedAt == null) {
      run.finishedAt = now();
    }
    live.remove(run.id);
    leaveJob(run);
    record(run.snapshot());
    boolean retrying =
        (state == RunState.FAILED || state == RunState.TIMED_OUT)
            && !closing
            && run.job
                .retry()
                .retries(run.attempt, state == RunState.TIMED_OUT ? TIMEOUT : run.failure)
            && (deleted.isEmpty() || !deleted.contains(run.job.id()));
    if (retrying) {
      retry(run);
    } else {
      // A retry the misfire policy skipped never ran: its occurrence ended as the attempt before.
      occurrenceEnded(run, state == RunState.SKIPPED && run.retryOf != null ? run.retryOf : state);
    }
  }

  private void leaveJob(Execution run) {
    // The run's own JobRuns while it is in one (it stays in the map until it is empty): no lookup.
    JobRuns runs = run.jobRuns != null ? run.jobRuns : perJob.get(run.job.id());
    run.jobRuns = null;
    if (runs == null) {
      return;
    }
    if (!runs.leave(run)) {
      runs.unqueue(run);
    }
    while (runs.queuedCount() > 0 && runs.admittedCount() < run.job.overlap().maxConcurrent()) {
      Execution next = runs.pollQueued();
      runs.admit(next);
      makeReady(next);
    }
    if (runs.admittedCount() == 0 && runs.queuedCount() == 0) {
      perJob.remove(runs);
      if (!deleted.isEmpty()) {
        deleted.remove(run.job.id());
      }
    }
  }

  private void retry(Execution failed) {
    int attempt = failed.attempt + 1;
    Execution next =
        new Execution(
            store.newRunId(),
            failed.job,
            failed.scheduledFor,
            attempt,
            order++,
            failed.pipelineRun,
            clock,
            node);
    next.event = failed.event;
    next.retryOf = failed.state;
    if (failed.replacedBy != null) {
      end(next, RunState.CANCELLED, "replaced by run " + failed.replacedBy); // supersedeRetries
      return;
    }
    if (failed.ofFinishedJob) {
      reopen(failed.job.id());
    }
    next.state = RunState.RETRYING;
    next.reason =
        "attempt " + failed.attempt + " " + failed.state.name().toLowerCase(java.util.Locale.ROOT);
    Instant at = now().plus(failed.job.retry().delayBefore(attempt, failed.id.value()));
    next.retryDueNanos = Nanos.of(at);
    live.put(next.id, next);
    waitForRetry(next);
    admitted(next, RunState.RETRYING);
    next.timerEntry = timer.add(Nanos.of(at), next);
    changed(next);
    wake(at);
  }

  /** Notes a retry waiting for its backoff (see {@link #retrying}). */
  private void waitForRetry(Execution run) {
    retrying.computeIfAbsent(run.job.id(), k -> new ArrayList<>(1)).add(run);
  }

  /** A retry that waited for its backoff is admitted, ended or gone. */
  private void retryLeaves(Execution run) {
    List<Execution> waiting = retrying.get(run.job.id());
    if (waiting != null && waiting.remove(run) && waiting.isEmpty()) {
      retrying.remove(run.job.id());
    }
  }

  /** An occurrence is over for good: fixed delays move on, dependents and pipelines hear of it. */
  private void occurrenceEnded(Execution run, RunState outcome) {
    Instant now = run.finishedAt;
    if (run.fixedDelay
        && run.job.trigger() instanceof Trigger.Interval interval
        && !perJob.containsKey(run.job.id())) {
      moveOnAfterDelay(new DelayEnded(run.job.id(), interval, now));
    }
    if (!finishing.isEmpty() && finishing.contains(run.job.id())) {
      finishWhenIdle(run.job.id());
    }
    for (Dependencies.Verdict verdict : dependencies.ended(run.job.id(), outcome)) {
      fireDependent(verdict, now);
    }
    if (run.pipelineRun != 0) {
      for (PipelineRun event :
          pipelines.jobEnded(
              run.pipelineRun,
              run.job.id(),
              outcome,
              now,
              this::pipelineStart,
              this::cancelForPipeline)) {
        events.emit(new SchedulerEvent.PipelineChanged(event));
      }
    }
  }

  /** A fixed-delay job's run that ended at {@code at}: the job moves on from there. */
  private record DelayEnded(JobId job, Trigger.Interval interval, Instant at) {}

  /**
   * Moves a fixed-delay job on after its run ended. The store holds no next fire time for it until
   * then, so a write that fails here is tried again (every {@link #RETRY_LOOK_NANOS}) until the
   * store takes it: else the job would never fire again.
   */
  private void moveOnAfterDelay(DelayEnded ended) {
    try {
      store
          .find(ended.job())
          .ifPresent(info -> afterFixedDelay(info, ended.interval(), ended.at()));
    } catch (RuntimeException e) {
      if (!storeDown(e)) {
        return; // deleted meanwhile (on another node): nothing moves on
      }
      LOG.warn(
          "job {}: its next fire time after the run that ended at {} is written again in a second:"
              + " the store failed: {}",
          ended.job(),
          ended.at(),
          e.toString());
      long again = Nanos.of(now()) + RETRY_LOOK_NANOS;
      timer.add(again, ended);
      wake(Nanos.toInstant(again));
    }
  }

  private void afterFixedDelay(JobInfo info, Trigger.Interval interval, Instant now) {
    if (info.nextFireAt() != null || info.state() == JobState.FINISHED) {
      return;
    }
    if (info.job().maxRuns() > 0 && info.runCount() >= info.job().maxRuns()) {
      finishIfDone(info); // its last run ended (an attempt still to come keeps it active)
      return;
    }
    Instant next = interval.nextAfter(now).orElse(null);
    if (next != null && info.job().endAt() != null && next.isAfter(info.job().endAt())) {
      next = null;
    }
    Instant moveTo = next;
    JobInfo moved =
        updateFresh(
            info.id(),
            current ->
                current.nextFireAt() != null || current.state() == JobState.FINISHED
                    ? current
                    : withState(current, current.state(), current.note(), moveTo));
    finishIfDone(moved);
    wake(next);
  }

  private void fireDependent(Dependencies.Verdict verdict, Instant now) {
    Optional<JobInfo> found = store.find(verdict.dependent());
    if (found.isEmpty()) {
      return;
    }
    JobInfo info = found.get();
    String skipped = null;
    if (!verdict.fire()) {
      skipped = verdict.reason(); // null: the outcome it waits for did not come, no occurrence
    } else if (closing) {
      // A dependency that ends during shutdown starts nothing new (as a retry would not): the
      // dependent's occurrence is recorded as skipped, with why.
      skipped = "shutting down";
    } else {
      // A skip there (paused, or by the overlap policy) already told its dependents.
      fireUntimed(info, now, null, 1);
      kick();
    }
    if (skipped != null) {
      skip(info.job(), now, 1, skipped);
      propagateSkip(info.id(), now);
    }
  }

  /**
   * Why a run no clock fires (after, event, pipeline) is skipped as paused, or null when neither
   * the job nor the whole scheduler is: the job's own note, else pauseAll's.
   */
  private String pausedReason(JobInfo info) {
    if (info.state() != JobState.PAUSED && pausedAllSince == null) {
      return null;
    }
    String note = info.state() == JobState.PAUSED ? info.note() : pauseNote;
    return "paused" + (note == null ? "" : ": " + note);
  }

  /** A skipped occurrence ends there: the jobs that wait for this one hear of it too. */
  private void propagateSkip(JobId job, Instant now) {
    for (Dependencies.Verdict next : dependencies.ended(job, RunState.SKIPPED)) {
      fireDependent(next, now);
    }
  }

  /**
   * Starts a run of a job that no clock fires (after, event, file) for an occurrence at {@code
   * now}: one past its end finishes (a paused one too: it could never fire again), a paused one
   * records a skipped run (which its own dependents hear of), one whose overlap policy skips the
   * run records it so (not counted: it never ran), an active one counts the run and admits it; the
   * run that reaches max runs finishes the job in the same write, and a job whose count is already
   * at max runs makes none. Returns the run as admitted or skipped, or null when none was made. A
   * job another node changed since it was read (a publish there counted a run) is read again and
   * judged afresh, so that each run counts and max runs holds across a cluster.
   */
  private Run fireUntimed(JobInfo info, Instant now, Event event, int tries) {
    if (info.state() != JobState.ACTIVE && info.state() != JobState.PAUSED) {
      return null; // finished: no occurrence is expected
    }
    if (info.job().endAt() != null && now.isAfter(info.job().endAt())) {
      finishIfDone(info); // paused too; unless an attempt of an earlier run is still to come
      return null;
    }
    String paused = pausedReason(info);
    if (paused != null) {
      Run skipped = skipped(info.job(), now, 1, paused, event);
      propagateSkip(info.id(), now); // an ending for the jobs that wait for this one
      return skipped;
    }
    long maxRuns = info.job().maxRuns();
    if (maxRuns > 0 && info.runCount() >= maxRuns) {
      return null; // its last run is counted: the job is finished, or is being marked so
    }
    if (overlapSkip(perJob.get(info.id()), info.job().overlap()) != null) {
      return admitUntimed(info.job(), now, event); // skipped, recorded so, and not counted
    }
    boolean last = maxRuns > 0 && info.runCount() + 1 >= maxRuns;
    // A run that may retry, or an earlier one's attempt to come, keeps the job active until then.
    boolean finishes = last && info.job().retry().attempts() == 1 && !attemptsPending(info.id());
    JobInfo counted;
    try { // the count and, for the last run, the finish: one write, so no node counts past it
      counted =
          store.update(
              new JobInfo(
                  info.job(),
                  finishes ? JobState.FINISHED : info.state(),
                  null,
                  null,
                  info.runCount() + 1,
                  info.version()));
    } catch (SchedulerException e) {
      if (e.kind() != Kind.CONFLICT || tries >= UPDATE_TRIES) {
        throw e;
      }
      Optional<JobInfo> again = store.find(info.id());
      return again.isEmpty() ? null : fireUntimed(again.get(), now, event, tries + 1);
    }
    if (last && !finishes) {
      finishing.add(info.id());
    }
    Run run = admitUntimed(info.job(), now, event);
    if (finishes) {
      finished(counted);
    }
    return run;
  }

  /** Makes and admits a run of a job no clock fires; returns it as admitted or skipped. */
  private Run admitUntimed(Job job, Instant now, Event event) {
    Execution run = new Execution(store.newRunId(), job, now, 1, order++, 0, clock, node);
    run.event = event;
    admit(run, false);
    return run.snapshot();
  }

  /**
   * Starts a pipeline stage's job: a forced run, or a skipped one when the job is gone, paused or
   * the scheduler shuts down. A skip is an ending of the job's occurrence like any other: the jobs
   * that wait for this one hear of it.
   */
  private Pipelines.Started pipelineStart(JobId job, long pipelineRun) {
    Optional<JobInfo> info = store.find(job);
    Instant now = now();
    RunId skipped;
    if (info.isEmpty()) {
      Run record = skippedRecord(job, now, "job " + job + " no longer exists", now);
      record(record);
      skipped = record.id();
    } else {
      String why = closing ? "shutting down" : pausedReason(info.get());
      if (why == null) {
        return new Pipelines.Started(occurrence(info.get(), now, true, pipelineRun), null);
      }
      skipped = skip(info.get().job(), now, 1, why);
    }
    propagateSkip(job, now);
    return new Pipelines.Started(skipped, RunState.SKIPPED);
  }

  /**
   * Cancels a job's current run for an ended pipeline run (fail-fast): whichever attempt it is on,
   * a retry waiting included, if it has not ended yet.
   */
  private void cancelForPipeline(long pipelineRun, JobId job, String reason) {
    for (Execution run : new ArrayList<>(live.values())) {
      if (run.pipelineRun == pipelineRun && run.job.id().equals(job) && run.stopState() == null) {
        cancelRun(run, reason);
      }
    }
  }

  // ---------------------------------------------------------------- events

  /** How often a job another node keeps changing is read again before its run gives up. */
  private static final int UPDATE_TRIES = 100;

  @Override
  public List<Run> publish(String name, Map<String, ?> payload) {
    Event event =
        new Event(
            name, payload == null ? null : dev.chime.spi.JsonValues.copyMap(payload, "payload"));
    List<Run> runs =
        locked(
            () -> {
              openOrFail();
              Instant now = now();
              List<Run> started = new ArrayList<>();
              for (JobInfo info : store.listening(event.name())) {
                Run run = fireUntimed(info, now, event, 1);
                if (run != null) {
                  started.add(run);
                }
              }
              kick();
              return started;
            });
    if (durable && !runs.isEmpty()) {
      store.flush(); // the runs (and so the event) are on record when the caller hears of them
    }
    return runs;
  }

  @Override
  public boolean cancel(RunId id) {
    Objects.requireNonNull(id, "id must not be null");
    return locked(
        () -> {
          Execution run = live.get(id);
          if (run == null) {
            return false;
          }
          cancelRun(run, "cancelled");
          return true;
        });
  }

  /** Cancels a run wherever it is: running ones are interrupted and end when their code returns. */
  private void cancelRun(Execution run, String reason) {
    switch (run.state) {
      case RUNNING -> run.stop(RunState.CANCELLED, reason);
      case RETRYING -> {
        timer.cancel(run.timerEntry);
        end(run, RunState.CANCELLED, reason);
      }
      default -> {
        unready(run);
        end(run, RunState.CANCELLED, reason);
      }
    }
  }

  @Override
  public Optional<Run> run(RunId id) {
    Objects.requireNonNull(id, "id must not be null");
    Optional<Run> current =
        locked(() -> Optional.ofNullable(live.get(id)).map(Execution::snapshot));
    return current.isPresent() ? current : store.run(id);
  }

  @Override
  public List<Run> runs(JobId id, int limit) {
    Objects.requireNonNull(id, "id must not be null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    List<Run> found =
        locked(
            () -> {
              List<Run> current = new ArrayList<>();
              for (Execution run : live.values()) {
                if (run.job.id().equals(id)) {
                  current.add(run.snapshot());
                }
              }
              return current;
            });
    found.addAll(store.runs(id, limit));
    found.sort((a, b) -> Long.compare(b.id().value(), a.id().value()));
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  @Override
  public dev.chime.spi.RunPage runs(dev.chime.spi.RunQuery query) {
    Objects.requireNonNull(query, "query must not be null");
    locked(() -> null); // what is buffered is written first, so the page includes it
    Set<RunState> asked = query.states();
    boolean widen = asked.contains(RunState.RUNNING) && !asked.contains(RunState.CLAIMED);
    dev.chime.spi.RunQuery stored = query;
    if (widen) { // a durable store records a run as claimed; whether it started is known here
      Set<RunState> states = EnumSet.copyOf(asked);
      states.add(RunState.CLAIMED);
      stored = new dev.chime.spi.RunQuery(query.job(), states, query.limit(), query.before());
    }
    dev.chime.spi.RunPage page = store.runs(stored);
    List<Run> items = new ArrayList<>(page.items().size());
    locked(
        () -> {
          for (Run run : page.items()) {
            Execution current = live.get(run.id());
            Run shown = current == null ? run : current.snapshot();
            if (asked.isEmpty() || asked.contains(shown.state())) {
              items.add(shown);
            }
          }
          return null;
        });
    return new dev.chime.spi.RunPage(items, page.nextCursor());
  }

  @Override
  public List<dev.chime.spi.Quarantined> quarantined() {
    return store.quarantined();
  }

  // ---------------------------------------------------------------- pipelines

  @Override
  public void definePipeline(Pipeline pipeline) {
    Objects.requireNonNull(pipeline, "pipeline must not be null");
    locked(
        () -> {
          for (List<JobId> stage : pipeline.stages()) {
            for (JobId job : stage) {
              existing(job);
            }
          }
          pipelines.define(pipeline);
          return null;
        });
  }

  @Override
  public long runPipeline(String pipelineId) {
    return locked(
        () -> {
          openOrFail();
          Pipeline pipeline = pipelines.get(pipelineId);
          if (pipeline == null) {
            throw new SchedulerException(Kind.NOT_FOUND, "no pipeline " + pipelineId);
          }
          for (PipelineRun event :
              pipelines.start(pipeline, now(), this::pipelineStart, this::cancelForPipeline)) {
            events.emit(new SchedulerEvent.PipelineChanged(event));
          }
          kick();
          return pipelines.lastId();
        });
  }

  @Override
  public List<PipelineRun> pipelineRuns(String pipelineId, int limit) {
    return locked(
        () -> {
          if (pipelines.get(pipelineId) == null) {
            throw new SchedulerException(Kind.NOT_FOUND, "no pipeline " + pipelineId);
          }
          return List.copyOf(pipelines.runs(pipelineId, limit));
        });
  }

  @Override
  public void addListener(SchedulerListener listener) {
    events.add(Objects.requireNonNull(listener, "listener must not be null"));
  }

  // ---------------------------------------------------------------- firing

  /**
   * One cycle: claims what is due, fires it, times out overdue runs. Returns the epoch nanos of the
   * next thing to do.
   */
  private long storeNextDue() {
    Optional<Instant> due = store.nextDue();
    return due.isPresent() ? Nanos.of(due.get()) : Long.MAX_VALUE;
  }

  private long cycle() {
    firing = now();
    long now = Nanos.of(firing);
    if (!inDoubt.isEmpty()
        && (writeFailedAt == Long.MIN_VALUE || now - writeFailedAt >= WRITE_RETRY_NANOS)
        && (!durable || store.life() >= 0)) {
      try {
        settleInDoubt();
      } catch (RuntimeException e) {
        writeFailedAt = now; // still down: ask again a second later
      }
    }
    if (woken) {
      woken = false;
      claimedUntil = Long.MIN_VALUE;
    }
    boolean leader = (durable || settings.retention() != null) && store.leader();
    if (settings.retention() != null && pruning && now >= pruneAt && !closing && leader) {
      pruneAt = now + PRUNE_EVERY_NANOS;
      pruneDue = firing;
    }
    if (durable && now >= unquarantineAt && !closing) {
      unquarantineAt = now + UNQUARANTINE_EVERY_NANOS;
      takeBackQuarantined();
    }
    if (durable && now >= recoverAt && !closing) {
      recoverAt = now + RECOVER_EVERY_NANOS; // a node that does not lead looks again then too
      if (leader) {
        store.recover(firing).forEach(this::orphaned);
      }
    }
    claimsHeld = false;
    if (pausedAllSince == null && !closing) {
      claimDue(now);
      timer.drainDue(now, Integer.MAX_VALUE, fireDue);
    }
    timeouts.drainDue(
        now,
        Integer.MAX_VALUE,
        run -> run.stop(RunState.TIMED_OUT, "ran longer than its timeout " + run.job.timeout()));
    if (!closing) {
      endings.drainDue(now, Integer.MAX_VALUE, id -> endIfDue(id, now));
      for (Map.Entry<JobId, Event> changed : files.takeDue(now)) {
        store
            .find(changed.getKey())
            .ifPresent(info -> fireUntimed(info, firing, changed.getValue(), 1));
      }
    }
    long next = Math.min(Math.min(timer.nextDeadline(), timeouts.nextDeadline()), files.nextDue());
    next = Math.min(next, endings.nextDeadline());
    if (durable) {
      next = Math.min(next, Math.min(recoverAt, unquarantineAt));
      if (!inDoubt.isEmpty()) {
        next = Math.min(next, now + WRITE_RETRY_NANOS); // settled once the store can tell
      }
    }
    if (pausedAllSince != null) {
      return next;
    }
    if (claimsHeld) { // a worker wakes it when the ready runs are down to READY_LOW
      return Math.min(next, now + HELD_RECHECK_NANOS);
    }
    if (claimAheadNanos > 0) {
      // The next claim is due when the claimed window runs low (at most claimAhead / 2 away):
      // that is also how jobs added elsewhere (another node) are found.
      return Math.min(next, reclaimAt());
    }
    return Math.min(next, storeNextDue());
  }

  private void claimDue(long nowNanos) {
    if (claimAheadNanos > 0 && nowNanos < reclaimAt()) {
      return; // claimed far enough ahead; new or moved jobs due sooner reset claimedUntil (wake)
    }
    Instant now = Nanos.toInstant(nowNanos);
    Instant horizon = now.plus(store.claimAhead());
    Instant leaseUntil = now.plus(store.lease());
    for (int calls = 0; calls < CLAIMS_PER_CYCLE; calls++) {
      if (ready.size() >= READY_HIGH) {
        claimsHeld = true;
        claimedUntil = Long.MIN_VALUE; // claim again once the workers have caught up
        return;
      }
      List<Claim> claims = store.claim(now, horizon, CLAIM_BATCH, leaseUntil);
      for (Claim claim : claims) {
        if (unrunnable(claim)) {
          continue;
        }
        long due = Nanos.of(claim.scheduledFor());
        if (due <= nowNanos) {
          fire(claim);
        } else {
          claimed.put(claim.job().id(), timer.add(due, claim));
        }
      }
      if (claims.size() < CLAIM_BATCH) {
        claimedUntil = Nanos.of(horizon);
        return;
      }
      timer.drainDue(nowNanos, Integer.MAX_VALUE, fireDue);
    }
    claimedUntil = Long.MIN_VALUE; // more is due than one cycle claims: claim again next cycle
  }

  /**
   * A claimed job whose handler is not registered here is quarantined (a durable store keeps jobs
   * across deployments, and a handler may have been renamed or dropped): it stops firing, and
   * {@link #quarantined} says why, instead of failing every occurrence.
   */
  private boolean unrunnable(Claim claim) {
    Job job = claim.job().job();
    if (job.code() != null || handlers.containsKey(job.handler())) {
      return false;
    }
    try {
      store.quarantine(job.id(), NO_HANDLER + job.handler() + NO_HANDLER_END);
      LOG.warn("job {} quarantined: no handler named '{}' is registered", job.id(), job.handler());
      return true;
    } catch (UnsupportedOperationException e) {
      return false; // a store that cannot quarantine: the run fails and says why
    }
  }

  /**
   * Takes back the jobs another node quarantined for lack of a handler that this node has: in a
   * rolling deploy, a node of the old version may claim a job of a handler only the new one has.
   * Such a node may set the job aside again; the nodes that have the handler take it back each
   * time, so it runs once only they claim it.
   */
  private void takeBackQuarantined() {
    try {
      for (dev.chime.spi.Quarantined set : store.quarantined()) {
        String reason = set.reason();
        if (!reason.startsWith(NO_HANDLER) || !reason.endsWith(NO_HANDLER_END)) {
          continue;
        }
        String handler =
            reason.substring(NO_HANDLER.length(), reason.length() - NO_HANDLER_END.length());
        if (handlers.containsKey(handler) && store.unquarantine(set.id(), reason)) {
          LOG.info(
              "job {} taken back from quarantine: this node has its handler '{}'",
              set.id(),
              handler);
          claimedUntil = Long.MIN_VALUE; // claim again now: it may be due
        }
      }
    } catch (UnsupportedOperationException e) {
      unquarantineAt = Long.MAX_VALUE; // a store that cannot quarantine has nothing to take back
    } catch (RuntimeException e) {
      LOG.warn("cannot look for jobs to take back from quarantine: {}", e.toString());
    }
  }

  /** When the claimed look-ahead window runs low and the store is asked again. */
  private long reclaimAt() {
    return claimedUntil == Long.MIN_VALUE ? Long.MIN_VALUE : claimedUntil - claimAheadNanos / 2;
  }

  private void due(Object payload) {
    if (payload instanceof Claim claim) {
      claimed.remove(claim.job().id());
      fire(claim);
    } else if (payload instanceof DelayEnded ended) {
      moveOnAfterDelay(ended);
    } else if (payload instanceof Unfinished unfinished) {
      finishWhenIdle(unfinished.job());
    } else {
      Execution retry = (Execution) payload;
      retry.timerEntry = null;
      retryDue(retry); // its occurrence was admitted once: it waits for a place, never skipped
    }
  }

  /**
   * A retry that fell due starts unless, meanwhile, its job was deleted from a durable store (it is
   * cancelled; an in-memory store evicts finished jobs, and their retries run all the same) or
   * paused (it waits for the resume, looking again every {@link #RETRY_LOOK_NANOS}), or, in a
   * cluster, another node took the run over (this node was silent past its lease: the run is that
   * node's now) or ended it. Either may have happened on another node, so the store is asked. One
   * that starts later than the job's grace goes through the misfire policy ({@link #lateRetry}).
   */
  private void retryDue(Execution retry) {
    Optional<JobInfo> job;
    try {
      if (durable && !stillOurs(retry)) {
        live.remove(retry.id); // never started here: nothing to record or release
        retryLeaves(retry);
        return;
      }
      job = store.find(retry.job.id());
    } catch (RuntimeException e) {
      LOG.warn(
          "retry {} of job {} waits: the store did not answer: {}",
          retry.id,
          retry.job.id(),
          e.toString());
      retry.timerEntry = timer.add(Nanos.of(firing) + RETRY_LOOK_NANOS, retry);
      return;
    }
    if (job.isEmpty() && durable) {
      end(
          retry,
          RunState.CANCELLED,
          "the job was deleted"); // on another node: here, delete ends it
    } else if (job.isPresent() && job.get().state() == JobState.PAUSED) {
      // A resume here starts it at once; one on another node is seen at the next look.
      retry.heldByPause = true;
      retry.timerEntry = timer.add(Nanos.of(firing) + RETRY_LOOK_NANOS, retry);
    } else {
      String late = lateRetry(retry, job.map(JobInfo::job).orElse(retry.job));
      retry.heldByPause = false;
      retryLeaves(retry);
      if (late != null) {
        end(retry, RunState.SKIPPED, late);
      } else {
        catchUpRun(retry); // its occurrence was admitted once: it waits for a place, not skipped
      }
    }
  }

  /**
   * Why a retry that falls due later than the job's grace (held by a pause, or the scheduler was
   * down or paused) is skipped by its misfire policy, as a late occurrence would be; null when it
   * runs: it is on time, or the policy runs late ones (run once, run all: there is one to run).
   */
  private String lateRetry(Execution retry, Job job) {
    MisfirePolicy policy = job.misfire();
    if (policy.mode() != MisfirePolicy.Mode.SKIP
        || Nanos.of(firing) - retry.retryDueNanos <= policy.grace().toNanos()) {
      return null;
    }
    return "misfire: later than the grace of "
        + policy.grace()
        + (retry.heldByPause ? " while the job was paused" : "");
  }

  /** Whether the store still has the waiting run as this node's and unended. */
  private boolean stillOurs(Execution retry) {
    Optional<Run> record = store.run(retry.id);
    if (record.isEmpty()) {
      return true; // not written yet: no other node can have it
    }
    Run stored = record.get();
    boolean ours = node == null || stored.node() == null || stored.node().equals(node);
    if (ours && !stored.state().isFinal()) {
      return true;
    }
    LOG.info(
        "retry {} of job {} is not started here: {}",
        retry.id,
        retry.job.id(),
        ours
            ? "it ended " + stored.state().name().toLowerCase(java.util.Locale.ROOT)
            : "node " + stored.node() + " took it over");
    return false;
  }

  /**
   * A run a dead scheduler left unfinished (see {@link JobStore#recover}): one waiting for a retry
   * waits again here; one admitted or running may have run, so it ends as failed, interrupted, and
   * its job's retry policy decides whether a new attempt follows.
   */
  private void orphaned(Run orphan) {
    Optional<JobInfo> info = store.find(orphan.jobId());
    if (info.isEmpty()) {
      record(
          ended(orphan, RunState.CANCELLED, "the scheduler running it stopped; the job is gone"));
      return;
    }
    Execution run =
        new Execution(
            orphan.id(),
            info.get().job(),
            orphan.scheduledFor(),
            orphan.attempt(),
            order++,
            0,
            clock,
            node);
    run.event = orphan.event();
    live.put(run.id, run);
    run.ofFinishedJob = info.get().state() == JobState.FINISHED; // a run now of it, say
    if (!run.ofFinishedJob && exhausted(info.get())) {
      finishing.add(run.job.id()); // the dead scheduler left it to finish after this run
    }
    if (orphan.state() == RunState.RETRYING) {
      if (run.ofFinishedJob) {
        reopen(run.job.id()); // its scheduler could not reopen the job (its store failed)
      }
      run.state = RunState.RETRYING;
      waitForRetry(run);
      run.reason = orphan.reason();
      run.retryOf = RunState.FAILED; // or timed out: either is a failure to its dependents
      run.retryDueNanos = retryDueOf(orphan, run.job);
      admitted(run, RunState.RETRYING);
      run.timerEntry = timer.add(Math.max(Nanos.of(firing), run.retryDueNanos), run);
      return;
    }
    run.startedAt = orphan.startedAt();
    run.failure = INTERRUPTED;
    run.error = "interrupted: the scheduler running it stopped before it ended";
    end(run, RunState.FAILED, run.error);
  }

  /**
   * When a waiting retry the dead scheduler left was due: the failed attempt's end plus the delay
   * its policy gave it (the same, jitter included: it is seeded by that attempt's run id), as the
   * dead scheduler had it in its timer. Now, if that attempt is not on record.
   */
  private long retryDueOf(Run waiting, Job job) {
    RunQuery query = new RunQuery(waiting.jobId(), Set.of(), RETRY_DUE_SEARCH, null);
    for (Run run : store.runs(query).items()) {
      if (run.attempt() == waiting.attempt() - 1
          && run.scheduledFor().equals(waiting.scheduledFor())
          && run.finishedAt() != null) {
        Duration delay = job.retry().delayBefore(waiting.attempt(), run.id().value());
        return Nanos.of(run.finishedAt().plus(delay));
      }
    }
    return Nanos.of(firing);
  }

  private Run ended(Run run, RunState state, String reason) {
    return new Run(
        run.id(),
        run.jobId(),
        run.scheduledFor(),
        run.attempt(),
        state,
        reason,
        run.startedAt(),
        now(),
        run.error(),
        run.log(),
        run.progress(),
        run.progressMessage(),
        run.result(),
        node,
        run.event());
  }

  /**
   * What retry-on and abort-on lists see for a run that timed out, whatever its code threw (an
   * interrupt, an exception that wraps one, or nothing): a timeout is named as such.
   */
  private static final java.util.concurrent.TimeoutException TIMEOUT =
      new java.util.concurrent.TimeoutException("ran longer than its timeout");

  /** The failure an orphaned run is retried for (retry-on and abort-on lists see this type). */
  private static final RuntimeException INTERRUPTED = new OrphanedRun();

  /** Why a run a dead scheduler left unfinished failed. */
  static final class OrphanedRun extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OrphanedRun() {
      super("the scheduler running it stopped before it ended", null, false, false);
    }
  }

  /** Fires a claimed occurrence: the misfire policy for late ones, then the overlap policy. */
  private void fire(Claim claim) {
    JobInfo info = claim.job();
    Job job = info.job();
    firingRuns = NO_RUNS;
    Instant now = firing;
    Instant last = claim.scheduledFor();
    long runs = info.runCount();
    Instant lateLimit = now.minus(job.misfire().grace());
    if (!last.isBefore(lateLimit)) {
      runs = startOccurrences(claim, List.of(last), runs); // on time: the usual case
    } else {
      List<Instant> toRun = new ArrayList<>();
      last = catchUp(job, last, lateLimit, now, toRun);
      runs = startOccurrences(claim, toRun, runs);
    }
    Instant next = nextAfter(job, last);
    boolean done = next == null && !fixedDelay(job) || job.maxRuns() > 0 && runs >= job.maxRuns();
    boolean pending = done && attemptsPending(job.id()); // it finishes when the last attempt ends
    if (pending) {
      finishing.add(job.id());
    }
    JobState state = done && !pending ? JobState.FINISHED : JobState.ACTIVE;
    unwritten.add(new Advance(claim, done ? null : next, runs, state, firingRuns));
    firingRuns = null;
    if (!pausedSince.isEmpty()) {
      pausedSince.remove(job.id());
    }
  }

  /**
   * Admits runs for the occurrences, in order, within the job's end and run limit; returns the new
   * count, which a run the overlap policy skips does not add to (it never ran).
   */
  private long startOccurrences(Claim claim, List<Instant> occurrences, long runCount) {
    Job job = claim.job().job();
    long runs = runCount;
    for (Instant at : occurrences) {
      if (job.endAt() != null && at.isAfter(job.endAt())
          || job.maxRuns() > 0 && runs >= job.maxRuns()) {
        break;
      }
      Execution run = new Execution(store.newRunId(), job, at, 1, order++, 0, clock, node);
      run.claim = claim;
      if (occurrences.size() > 1) {
        catchUpRun(run);
      } else {
        admit(run, false);
      }
      if (run.state != RunState.SKIPPED) {
        runs++;
      }
    }
    return runs;
  }

  private static boolean fixedDelay(Job job) {
    return job.trigger() instanceof Trigger.Interval interval
        && interval.mode() == Trigger.Interval.Mode.FIXED_DELAY;
  }

  /** The occurrence after {@code last}, or null (none, past the end, or a fixed delay). */
  private static Instant nextAfter(Job job, Instant last) {
    if (fixedDelay(job)) {
      return null;
    }
    Instant next = job.trigger().nextAfter(last).orElse(null);
    return next != null && job.endAt() != null && next.isAfter(job.endAt()) ? null : next;
  }

  /**
   * Applies the misfire policy to the occurrences from {@code first} that are older than {@code
   * lateLimit}: adds the ones to run to {@code toRun}, records the others as skipped (each an
   * ending that the jobs waiting for this one hear of, as of a run), and returns the last
   * occurrence dealt with.
   */
  private Instant catchUp(
      Job job, Instant first, Instant lateLimit, Instant now, List<Instant> toRun) {
    MisfirePolicy policy = job.misfire();
    String why = lateReason(job.id(), first, policy);
    List<Instant> missed = new ArrayList<>();
    Instant at = first;
    Instant last = first;
    while (at != null
        && at.isBefore(lateLimit)
        && missed.size() < CATCH_UP_RECORDS + policy.cap()) {
      missed.add(at);
      last = at;
      at = beforeEnd(job, job.trigger().nextAfter(at).orElse(null)); // none after the end runs
      if (fixedDelay(job)) {
        break;
      }
    }
    Instant latest = null; // the newest missed occurrence, when the walk stopped before it
    boolean summarised = false; // one record stands for the occurrences after the walk
    // (A fixed delay has no occurrence after the first until that run ends: the walk took one.)
    if (at != null && at.isBefore(lateLimit) && !fixedDelay(job)) {
      latest = lastBefore(job, last, lateLimit);
      if (policy.mode() != MisfirePolicy.Mode.RUN_ONCE || !latest.equals(at)) {
        summarised = true;
        String detail =
            policy.mode() == MisfirePolicy.Mode.RUN_ONCE ? "; one catch-up run for " + latest : "";
        record(
            skippedRecord(
                job.id(),
                at,
                why
                    + "; and every later occurrence before "
                    + lateLimit
                    + " (too many to list)"
                    + detail,
                now));
      }
      Instant resumeFrom = job.trigger().nextAfter(lateLimit.minusNanos(1)).orElse(null);
      last = resumeFrom == null ? lateLimit : resumeFrom.minusNanos(1);
    }
    List<Instant> runs =
        switch (policy.mode()) {
          case SKIP -> List.of();
          case RUN_ONCE -> List.of(latest != null ? latest : missed.get(missed.size() - 1));
          case RUN_ALL -> missed.subList(0, Math.min(policy.cap(), missed.size()));
        };
    for (Instant occurrence : missed) {
      if (!runs.contains(occurrence)) {
        String detail =
            policy.mode() == MisfirePolicy.Mode.RUN_ONCE
                ? "; one catch-up run for " + runs.get(0)
                : policy.mode() == MisfirePolicy.Mode.RUN_ALL
                    ? "; beyond the catch-up cap of " + policy.cap()
                    : "";
        skip(job, occurrence, 1, why + detail);
        propagateSkip(job.id(), now);
      }
    }
    if (summarised) {
      propagateSkip(job.id(), now); // one ending for the summary, as for its one record
    }
    toRun.addAll(runs);
    return last;
  }

  /**
   * The job's last occurrence before {@code limit} (and not after its end), given {@code earlier},
   * an instant whose next occurrence is before both. Found by bisecting time, since a trigger only
   * says what comes after an instant: "the next occurrence after t" only moves later as t does, so
   * the last t whose next is still before the limit gives it, in about 64 calls however many
   * occurrences lie between.
   */
  private static Instant lastBefore(Job job, Instant earlier, Instant limit) {
    Instant bound =
        job.endAt() != null && job.endAt().isBefore(limit) ? job.endAt().plusNanos(1) : limit;
    if (!bisectable(job.trigger())) {
      Instant walked = walkTo(job, earlier, bound);
      if (walked != null) {
        return walked;
      }
      // Too far to walk: the occurrence the trigger names nearest before the limit, by bisecting
      // (for an all trigger, an instant it would fire at if the walk had been there).
    }
    java.util.function.Predicate<Instant> before =
        t -> job.trigger().nextAfter(t).map(next -> next.isBefore(bound)).orElse(false);
    long lo = earlier.getEpochSecond(); // its next is no later than earlier's: before the bound
    long hi = bound.getEpochSecond() + 1; // its next is after the bound, or there is none
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (before.test(Instant.ofEpochSecond(mid))) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    long loNanos = 0; // the same within the second after lo
    long hiNanos = 1_000_000_000L;
    while (hiNanos - loNanos > 1) {
      long mid = (loNanos + hiNanos) / 2;
      if (before.test(Instant.ofEpochSecond(lo, mid))) {
        loNanos = mid;
      } else {
        hiNanos = mid;
      }
    }
    return job.trigger().nextAfter(Instant.ofEpochSecond(lo, loNanos)).orElseThrow();
  }

  /**
   * Whether "the next occurrence after t" is that of a fixed set of instants, so bisecting time
   * finds the occurrence the walk would: not for {@code all}, whose next is the latest of its
   * children's nexts, so that which instants it yields depends on where the walk started.
   */
  private static boolean bisectable(Trigger trigger) {
    return switch (trigger) {
      case Trigger.All all -> false;
      case Trigger.Any any -> any.triggers().stream().allMatch(Engine::bisectable);
      default -> true;
    };
  }

  /**
   * The last occurrence before {@code bound} by walking on from {@code earlier}, or null when it is
   * more than {@link #WALK_LIMIT} occurrences away.
   */
  private static Instant walkTo(Job job, Instant earlier, Instant bound) {
    Instant last = earlier;
    Instant at = job.trigger().nextAfter(earlier).orElse(null);
    for (int steps = 0; at != null && at.isBefore(bound); steps++) {
      if (steps == WALK_LIMIT) {
        return null;
      }
      last = at;
      at = job.trigger().nextAfter(at).orElse(null);
    }
    return last;
  }

  /**
   * How far a catch-up walks a trigger it cannot bisect (an {@code all}) to its newest miss: about
   * 0.1 s under the engine's lock at the ~1 us a composite's next costs.
   */
  private static final int WALK_LIMIT = 100_000;

  private String lateReason(JobId id, Instant first, MisfirePolicy policy) {
    Instant paused = pausedSince.get(id);
    String cause = paused != null && !first.isBefore(paused) ? " while the job was paused" : "";
    return "misfire: later than the grace of " + policy.grace() + cause;
  }

  // ---------------------------------------------------------------- threads

  /** Starts workers for ready runs, up to the global limit; a manual engine runs them itself. */
  private void kick() {
    if (settings.manual() || pool == null || !started || pool.isShutdown()) {
      return;
    }
    // As many threads as ready runs can start under the global limit (the running runs, inline
    // ones included, hold their slots), less the workers already starting: a worker woken or
    // started beyond that finds the limit full and only lingers.
    int wanted =
        Math.min(ready.size(), settings.maxConcurrency() - running) - (workers - executing - idle);
    for (int i = 0; i < wanted && i < idle; i++) {
      hasWork.signal();
    }
    for (int i = idle; i < wanted && workers < settings.maxConcurrency(); i++) {
      workers++;
      pool.execute(this::work);
    }
  }

  /**
   * A worker: runs ready runs until none is left, then lingers briefly for more before it ends, so
   * a steady stream of due runs does not start a thread per batch.
   */
  private void work() {
    Execution run = null;
    while (true) {
      lock.lock();
      try {
        Instant now = null;
        if (run != null) {
          executing--;
          now = completed(run); // one clock read: the next run starts as this one is settled
        }
        run = takeReady(now);
        if (run == null) {
          run = linger();
        }
        if (run == null) {
          workers--;
          return;
        }
        executing++;
        kick();
      } finally {
        unlock();
      }
      execute(run);
    }
  }

  private Execution linger() {
    long left = LINGER_NANOS;
    Execution run = null;
    while (run == null && left > 0 && !closing) {
      idle++;
      try {
        left = hasWork.awaitNanos(left);
      } catch (InterruptedException e) {
        left = 0;
      } finally {
        idle--;
      }
      run = takeReady();
    }
    return run;
  }

  private void wake(Instant at) {
    if (at == null) {
      return;
    }
    long due = Nanos.of(at);
    if (due <= claimedUntil) {
      claimedUntil = Long.MIN_VALUE; // inside the window already claimed: claim again
    }
    if (due < wakeAt || claimedUntil == Long.MIN_VALUE && claimAheadNanos > 0) {
      wakeNow();
    }
  }

  private void wakeNow() {
    Thread thread = dispatcher;
    if (thread != null) {
      wakeAt = Long.MIN_VALUE;
      LockSupport.unpark(thread);
    }
  }

  @Override
  public List<dev.chime.NodeInfo> nodes() {
    List<dev.chime.NodeInfo> listed = store.nodes();
    if (!listed.isEmpty() || node == null) {
      return listed;
    }
    // A store that lists no nodes (in memory): this one alone, alive now, and its own leader.
    return List.of(new dev.chime.NodeInfo(node, createdAt, now(), true));
  }

  /** Another node said work is due now: claim at once rather than at the next poll. */
  private void wokenByStore() {
    woken = true;
    wakeNow();
  }

  /** One dispatcher cycle (for tests): the deadline it returns, by {@link Nanos}. */
  long cycleOnce() {
    lock.lock();
    try {
      return cycle();
    } finally {
      unlock();
    }
  }

  @Override
  public void start() {
    locked(
        () -> {
          openOrFail();
          if (settings.manual()) {
            throw new IllegalStateException("a manual scheduler runs only through runDue()");
          }
          if (!started) {
            started = true;
            store.onWake(this::wokenByStore);
            // Two threads that trade the dispatcher's role (see dispatch()); both started here, so
            // no thread is created under load or while a run is already marked running.
            dispatcher =
                Thread.ofPlatform().name("chime-dispatcher").daemon(true).unstarted(this::dispatch);
            standby =
                Thread.ofPlatform().name("chime-dispatcher").daemon(true).unstarted(this::dispatch);
            dispatcher.start();
            standby.start();
          }
          return null;
        });
  }

  /**
   * The loop of the two dispatcher threads, which trade roles (see the package notes). The one that
   * is {@link #dispatcher} claims and fires; when a cycle leaves a single ready run that no worker
   * is starting for, it runs that run itself: one thread wake-up per job instead of two. The other
   * stands by and takes the role over when such a run outlasts the next deadline or a standby tick;
   * the old dispatcher, once its run returns, stands by in turn.
   */
  private void dispatch() {
    Thread self = Thread.currentThread();
    Execution run = null;
    while (true) {
      long next;
      boolean dispatching;
      lock.lock();
      try {
        if (run != null) {
          Execution ran = run;
          run = null;
          inlineEnded(ran);
        }
        if (closed) {
          return;
        }
        dispatching = dispatcher == self;
        next = dispatching ? dispatchCycle(self) : standbyTick(self);
      } catch (RuntimeException e) {
        LOG.error("the dispatcher's cycle failed; retrying in a second", e);
        dispatching = true;
        next = Nanos.of(now()) + TimeUnit.SECONDS.toNanos(1);
      } finally {
        unlock();
      }
      Execution mine = inline; // only this thread makes itself the inline run's thread
      if (mine != null && inlineThread == self) {
        run = mine;
      }
      if (run != null) {
        execute(run);
      } else if (!dispatching) {
        if (next > 0) {
          LockSupport.parkNanos(this, next);
        }
      } else {
        long wait = Math.min(next - Nanos.of(now()), MAX_PARK_NANOS);
        if (wait > 0 && wakeAt != Long.MIN_VALUE) {
          LockSupport.parkNanos(this, wait);
        }
      }
    }
  }

  /** The dispatcher's cycle and what follows it (under the lock); returns the next deadline. */
  private long dispatchCycle(Thread self) {
    long next = cycle();
    // What the cycle fired is written first, as it would be before any worker could take it: a run
    // whose occurrence the store refused or failed to record is dropped unstarted, never run here.
    flush();
    takeInline(self); // before kick(), which would otherwise start or signal a worker for it
    kick();
    wakeAt = next;
    Instant prune = takePruneDue();
    if (prune != null && pruneRunning.compareAndSet(false, true)) {
      Thread.ofPlatform()
          .name("chime-prune")
          .daemon(true)
          .start(
              () -> {
                try {
                  prune(prune);
                } finally {
                  pruneRunning.set(false);
                }
              });
    }
    return next;
  }

  /**
   * Takes the single ready run, marked running, as {@link #inline} if the dispatcher is to run it
   * itself (under the lock); leaves it to a worker otherwise.
   */
  private void takeInline(Thread self) {
    if (inline != null
        || ready.size() != 1
        || closing
        || workers - executing - idle > 0 // a worker is starting and will take it
        || System.nanoTime() < inlineAfter) {
      return;
    }
    Execution run = takeReady();
    if (run == null) {
      return; // its group is full
    }
    inline = run;
    inlineThread = self;
    inlineCount++;
    if (standbyParked) {
      standbyWake.signal(); // under the lock the standby checked its flag under: never lost
    }
  }

  /** Settles a run a dispatcher thread ran itself (under the lock). */
  private void inlineEnded(Execution run) {
    inline = null;
    inlineThread = null;
    try {
      completed(run);
      kick(); // what the run's end made ready (a retry, a dependent), if this thread now stands by
    } finally {
      inlineDone.signalAll();
    }
  }

  /**
   * The standby's look at the dispatcher (under the lock). Takes the role over (returns 0: go on at
   * once) if the dispatcher has been running the same run since the last tick or past its next
   * deadline; otherwise returns how long to park: a tick. Once nothing has run inline for {@value
   * #STANDBY_IDLE_TICKS} ticks it waits, on a condition of the lock (so no signal is lost, as a
   * stray unpark permit could be), until the next inline run or {@value #MAX_PARK_NANOS} ns.
   */
  private long standbyTick(Thread self) {
    standbyParked = false;
    long count = inlineCount;
    if (inline != null) {
      boolean slow = count == standbySeen;
      if (slow || wakeAt <= Nanos.of(now())) {
        standby = dispatcher;
        dispatcher = self;
        if (slow) { // a run that outlasts a tick: runs go to workers for a while
          inlineAfter = System.nanoTime() + INLINE_BACKOFF_NANOS;
        }
        standbySeen = -1;
        standbyIdleTicks = 0;
        return 0;
      }
      standbyIdleTicks = 0;
    } else if (count != standbySeen) {
      standbyIdleTicks = 0;
    } else if (++standbyIdleTicks >= STANDBY_IDLE_TICKS) {
      standbyIdleTicks = 0;
      standbyParked = true;
      try {
        standbyWake.awaitNanos(MAX_PARK_NANOS);
      } catch (InterruptedException e) {
        // Nothing interrupts the standby on purpose; it looks again either way.
      } finally {
        standbyParked = false;
      }
      return 0;
    }
    standbySeen = count;
    return STANDBY_TICK_NANOS;
  }

  /** Takes the pruning that fell due, if any (under the lock). */
  private Instant takePruneDue() {
    Instant due = pruneDue;
    pruneDue = null;
    return due;
  }

  /** Deletes ended runs past the retention, outside the engine's lock (many short transactions). */
  private void prune(Instant now) {
    try {
      int deleted =
          store.prune(now.minus(settings.retention()), settings.retainPerJob(), PRUNE_BATCH);
      if (deleted > 0) {
        LOG.info("pruned {} ended run(s) older than {}", deleted, settings.retention());
      }
    } catch (UnsupportedOperationException e) {
      pruning = false;
      LOG.info("this store does not prune; its own bound keeps history ({})", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("pruning history failed (tried again in a minute): {}", e.toString());
    }
  }

  /** How many file changes are gathered for the job's next run (tests await the watcher). */
  public int filesPending(JobId job) {
    return files.pending(job);
  }

  /**
   * One synchronous cycle for a manual engine (the test kit's {@code ManualScheduler}): fires what
   * is due by the clock, then runs every ready run on this thread, in priority order, until nothing
   * more is due; returns how many runs ran.
   */
  public int runDue() {
    if (!settings.manual()) {
      throw new IllegalStateException(
          "runDue() is for manual schedulers; this one runs on its own");
    }
    int ran = 0;
    long before = Long.MIN_VALUE;
    while (true) {
      Execution run;
      Instant prune;
      long next;
      long now;
      lock.lock();
      try {
        cycle();
        now = Nanos.of(firing);
        flush(); // what fired is written (or refused) before a run of it can start
        run = takeReady();
        prune = takePruneDue();
        // read after the flush: the cycle's own answer predates what it wrote
        next = run != null || pausedAllSince != null ? Long.MAX_VALUE : storeNextDue();
      } finally {
        unlock();
      }
      if (prune != null) {
        prune(prune);
      }
      if (run == null) {
        // A cycle can make an occurrence due that it did not claim (a catch-up that skipped the
        // missed ones moves the job to the one due now): another cycle takes it. The same due
        // time twice means nothing moved (paused, say): then nothing more is due to run.
        if (next <= now && next != before) {
          before = next;
          continue;
        }
        return ran;
      }
      execute(run);
      ran++;
      lock.lock();
      try {
        completed(run);
      } finally {
        unlock();
      }
    }
  }

  @Override
  public boolean shutdown() {
    List<Execution> stragglers;
    lock.lock();
    try {
      if (closing) {
        return running == 0;
      }
      closing = true;
      files.close();
      pipelines.close(); // no later stage starts while the running ones finish
      hasWork.signalAll();
      for (Map.Entry<JobId, TimerHeap.Entry<Object>> entry : new ArrayList<>(claimed.entrySet())) {
        unclaim(entry.getKey());
      }
      for (Execution run : new ArrayList<>(live.values())) {
        if (run.state != RunState.RUNNING) {
          cancelRun(run, "the scheduler shut down before it started");
        }
      }
      long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
      while (running > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !awaitQuiet(left)) {
          break;
        }
      }
      stragglers = new ArrayList<>(live.values());
      for (Execution run : stragglers) {
        run.stop(
            RunState.CANCELLED,
            "interrupted at shutdown after the grace of " + settings.shutdownGrace());
      }
    } finally {
      unlock();
    }
    boolean clean = stragglers.isEmpty();
    stopThreads();
    locked(
        () -> {
          for (PipelineRun event : pipelines.cancelAll(now())) { // the runs that never ended
            events.emit(new SchedulerEvent.PipelineChanged(event));
          }
          return null;
        });
    return clean;
  }

  private boolean awaitQuiet(long nanos) {
    try {
      quiet.awaitNanos(nanos);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void stopThreads() {
    long deadline = System.nanoTime() + STOP_WAIT_NANOS;
    boolean stopped = true;
    if (pool != null) {
      pool.shutdown();
      try {
        stopped = pool.awaitTermination(STOP_WAIT_NANOS, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      // A run a dispatcher thread runs itself is not in the pool: wait for it the same way (unless
      // it is this thread's own, a handler that shut the scheduler down).
      long left = deadline - System.nanoTime();
      try {
        while (inline != null && inlineThread != Thread.currentThread() && left > 0) {
          left = inlineDone.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped &= inline == null || inlineThread == Thread.currentThread();
      closed = true;
      standbyWake.signalAll(); // a standby in its idle wait ends now; a ticking one within a tick
    } finally {
      unlock();
    }
    if (!stopped) {
      LOG.warn("runs still running 10 s after they were interrupted at shutdown");
    }
    try {
      store.flush(); // the last run records are stored once close() returns
    } catch (RuntimeException e) {
      LOG.warn("the store could not write the last run records at shutdown: {}", e.toString());
    }
    if (durable) {
      store.resign(); // the chores go to a node still scheduling (its own failures are logged)
    }
    Thread thread = dispatcher;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void close() {
    shutdown();
  }

  /** How many runs are running now. */
  public int running() {
    return locked(() -> running);
  }
}
