package dev.chime;

import dev.chime.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Schedules jobs and runs them. Build one with {@link #builder()}, {@link #register} handlers,
 * {@link #schedule} jobs, then {@link #start()}; {@link #close()} shuts it down.
 *
 * {@snippet :
 * try (Scheduler scheduler = Scheduler.builder().maxConcurrency(8).build()) {
 *   scheduler.register("report", ctx -> ctx.log("rendering " + ctx.params().get("name")));
 *   scheduler.schedule(Job.builder("weekly-report")
 *       .handler("report")
 *       .params(Map.of("name", "sales"))
 *       .trigger(Trigger.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(8, 0), ZoneId.of("Europe/Berlin")))
 *       .build());
 *   scheduler.start();
 * }
 * }
 *
 * <p>Every method is safe to call from any thread, including from a running handler.
 */
public interface Scheduler extends AutoCloseable {

  /** A builder with the defaults: system UTC clock, in-memory store, virtual threads. */
  static Builder builder() {
    return new Builder();
  }

  /** Registers the handler under the name jobs refer to; replaces an earlier one. */
  Scheduler register(String name, JobHandler handler);

  /**
   * Adds the job and returns its id. Fails if the id is taken, the handler is not registered, or
   * its {@link Trigger.After} dependencies are unknown or would make a cycle (the message names
   * it).
   */
  JobId schedule(Job job);

  /**
   * Adds the job like {@link #schedule} and returns it as stored: what {@link #get} returns right
   * after (a job that will never fire is {@link JobState#FINISHED} already). The engine answers
   * from the write itself, without reading the job back.
   */
  default JobInfo scheduleAndGet(Job job) {
    JobId id = schedule(job);
    return get(id)
        .orElseThrow(
            () ->
                new SchedulerException(
                    SchedulerException.Kind.NOT_FOUND,
                    "job " + id + " was deleted as it was scheduled"));
  }

  /**
   * Adds the jobs, all or none, in one store call (one transaction on a database: much faster than
   * one {@link #schedule} per job); returns their ids in order. Fails like {@link #schedule} for
   * the first bad job, and for a job with an {@link Trigger.After} trigger (schedule those one at a
   * time) or an id given twice.
   */
  List<JobId> scheduleAll(java.util.Collection<Job> jobs);

  /** The job, if there is one with the id. */
  Optional<JobInfo> get(JobId id);

  /** The jobs the query selects, ordered by id. */
  List<JobInfo> list(JobQuery query);

  /**
   * One page of {@link #list(JobQuery)}: the jobs whose id sorts after {@code after} (from the
   * first, if null), at most {@code limit}. With a database store only the page is read, not every
   * job.
   */
  List<JobInfo> list(JobQuery query, JobId after, int limit);

  /**
   * Replaces the job's definition (same id). With its trigger unchanged, its schedule goes on where
   * it was; a new trigger starts afresh, after the occurrences the job fired already: an occurrence
   * fires once, so an update at the very instant of one that fired, to a trigger that has it too,
   * starts after it, and a once job given back an instant it fired at finishes without running it
   * again (a once job given a past instant it never fired at catches it up by its misfire policy).
   * The job as it is (equal to the stored one) is checked as any update is and then changes
   * nothing: it is returned as stored, with the same version, and no update is told (an event,
   * after or file job whose end time has passed finishes, as at any update).
   */
  JobInfo update(Job job);

  /**
   * Deletes the job; its running runs finish. False if there was none. A job that another job (not
   * finished) waits for ({@link Trigger#after}) or that a pipeline uses is not deleted: a {@code
   * CONFLICT} names them.
   */
  boolean delete(JobId id);

  /**
   * Pauses the job with a note saying why. Its runs already running go on; a retry that falls due
   * while it is paused waits for the resume (a job whose retry is to come is not finished, even if
   * its trigger has run out: see {@link JobState#FINISHED}). A paused job paused again with another
   * note takes that note (a paused event says so); with the same note or none it is left as it is.
   * A finished job is returned as it is.
   */
  JobInfo pause(JobId id, String note);

  /**
   * Resumes a paused job; occurrences missed meanwhile go through its misfire policy, and so does a
   * retry the pause held (it runs at once, unless the policy skips what is late).
   */
  JobInfo resume(JobId id);

  /** Pauses every active job with the label; returns how many. */
  int pauseLabeled(String label, String note);

  /** Resumes every paused job with the label; returns how many. */
  int resumeLabeled(String label);

  /** Stops firing anything (running runs go on) until {@link #resumeAll}. */
  void pauseAll(String note);

  /** Fires again after {@link #pauseAll}; late occurrences go through their misfire policy. */
  void resumeAll();

  /** Whether {@link #pauseAll} is in force. */
  boolean isPaused();

  /**
   * Runs the job now, as its overlap policy allows (the run may be skipped or queued; the returned
   * run says which). The run is not counted toward max runs. A finished job runs too: should the
   * run fail and be retried by the job's policy, the job is active, with no next fire time, until
   * the last attempt ends, then finished again ({@link SchedulerEvent.Change#REOPENED}).
   */
  RunId runNow(JobId id);

  /** Runs the job now; with {@code force}, regardless of its overlap policy. */
  RunId runNow(JobId id, boolean force);

  /**
   * Publishes an event: starts one run of every job whose trigger is {@link Trigger#onEvent} for
   * the name, each through its job's policies like any run (overlap, concurrency and group limits,
   * priority, retries, timeout); a paused job gets a skipped run saying so, a finished one none
   * (nor one past its end time, paused or not: it finishes then). The runs carry the event ({@link
   * JobContext#event()}, {@link Run#event()}). Returns them as admitted, ordered by job id (state
   * claimed, scheduled when queued, or skipped); none when no job listens. With a durable store the
   * runs are recorded before this returns, and in a cluster they run on this node: one publish
   * starts each job once, whichever node receives it.
   *
   * @param name the event's name (see {@link Event} for the names accepted)
   * @param payload JSON-friendly values (strings, numbers, booleans, null, lists, maps), or null
   * @throws IllegalArgumentException if the name is not valid or the payload is not JSON
   */
  List<Run> publish(String name, Map<String, ?> payload);

  /** Cancels a waiting or running run (a running one is interrupted). False if it had ended. */
  boolean cancel(RunId id);

  /** The run, live or from history. */
  Optional<Run> run(RunId id);

  /** The job's runs, newest first, at most {@code limit}. */
  List<Run> runs(JobId id, int limit);

  /**
   * Recorded runs the query selects (by job and state), newest first, one page at a time: pass the
   * page's {@code nextCursor} as the next query's {@code before}. Runs still under way are read as
   * last recorded.
   */
  dev.chime.spi.RunPage runs(dev.chime.spi.RunQuery query);

  /**
   * Jobs set aside as unusable, with why: a stored row that cannot be read, or a job whose handler
   * is not registered here when it comes due. Replacing the job ({@link #update}) takes it back.
   */
  List<dev.chime.spi.Quarantined> quarantined();

  /**
   * The nodes sharing this scheduler's store, ordered by id: this one alone for a store in memory;
   * every registered node for a database store, with its last heartbeat (the database's clock) and
   * whether it is the leader.
   */
  List<NodeInfo> nodes();

  /** Defines (or redefines) a pipeline; its jobs must be scheduled. */
  void definePipeline(Pipeline pipeline);

  /** Starts a run of the pipeline and returns its number. */
  long runPipeline(String pipelineId);

  /** The pipeline's runs, newest first, at most {@code limit}. */
  List<PipelineRun> pipelineRuns(String pipelineId, int limit);

  /** Adds a listener for every change from now on. */
  void addListener(SchedulerListener listener);

  /** Starts firing. */
  void start();

  /**
   * Stops firing, waits up to the shutdown grace for running runs, then interrupts the rest and
   * records them as cancelled; returns true if every run ended within the grace.
   */
  boolean shutdown();

  /** {@link #shutdown()}. */
  @Override
  void close();

  /** Builds a {@link Scheduler}; every setter checks its value at once. */
  final class Builder {
    /** Runs at once, unless set. */
    public static final int DEFAULT_MAX_CONCURRENCY = 256;

    /** How long shutdown waits for running runs, unless set. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /** How many ended runs the in-memory history keeps, unless set. */
    public static final int DEFAULT_HISTORY_LIMIT = 10_000;

    private Clock clock;
    private JobStore store;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private int platformThreads;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private int historyLimit = DEFAULT_HISTORY_LIMIT;
    private boolean historyLimitSet;
    private Duration retention;
    private int retainPerJob;
    private final Map<String, Integer> groupLimits = new LinkedHashMap<>();

    private Builder() {}

    /** The clock every instant comes from. Default: the system clock in UTC. */
    public Builder clock(Clock source) {
      this.clock = Objects.requireNonNull(source, "clock must not be null");
      return this;
    }

    /** Where jobs and runs are kept. Default: in memory. */
    public Builder store(JobStore jobs) {
      this.store = Objects.requireNonNull(jobs, "store must not be null");
      return this;
    }

    /** How many runs may run at once, 1-100,000. Default: {@value #DEFAULT_MAX_CONCURRENCY}. */
    public Builder maxConcurrency(int runs) {
      this.maxConcurrency = inRange("maxConcurrency", runs, 1, 100_000);
      return this;
    }

    /** Runs handlers on a pool of this many platform threads instead of virtual threads. */
    public Builder platformThreads(int threads) {
      this.platformThreads = inRange("platformThreads", threads, 1, 10_000);
      return this;
    }

    /** Runs handlers on virtual threads, one per running run. The default. */
    public Builder virtualThreads() {
      this.platformThreads = 0;
      return this;
    }

    /** At most {@code limit} runs of the group's jobs at once. */
    public Builder groupLimit(String group, int limit) {
      Objects.requireNonNull(group, "group must not be null");
      groupLimits.put(group, inRange("limit of group " + group, limit, 1, 100_000));
      return this;
    }

    /** How long {@link Scheduler#shutdown} waits for running runs. Default: 30 s. */
    public Builder shutdownGrace(Duration grace) {
      Objects.requireNonNull(grace, "shutdownGrace must not be null");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative, was " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * How many ended runs, and how many finished jobs, the in-memory store keeps, 1-10,000,000
     * (older ones are dropped). Default: 10,000. Not with {@link #store}: a store given there keeps
     * its own bounds ({@link JobStore#inMemory(int)}, or a database store's {@link #retention}),
     * and {@link #build} refuses the pair rather than ignore one.
     */
    public Builder historyLimit(int runs) {
      this.historyLimit = inRange("historyLimit", runs, 1, 10_000_000);
      this.historyLimitSet = true;
      return this;
    }

    /**
     * Deletes ended runs older than {@code maxAge} from a store that can prune (a database store),
     * keeping each job's newest {@code keepPerJob} ended runs whatever their age; checked every
     * minute, deleted in small transactions. Default: history is kept until pruned. The in-memory
     * store bounds its history by {@link #historyLimit} instead.
     */
    public Builder retention(Duration maxAge, int keepPerJob) {
      Objects.requireNonNull(maxAge, "retention maxAge must not be null");
      if (maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException(
            "retention maxAge must be at least 1 minute, was " + maxAge);
      }
      if (maxAge.compareTo(Job.LONGEST) > 0) {
        throw new IllegalArgumentException(
            "retention maxAge must be at most " + Job.LONGEST + " (100 years), was " + maxAge);
      }
      this.retainPerJob = inRange("retention keepPerJob", keepPerJob, 0, 1_000_000);
      this.retention = maxAge;
      return this;
    }

    /**
     * The scheduler, not yet started.
     *
     * @throws IllegalStateException if both {@link #store} and {@link #historyLimit} were set
     */
    public Scheduler build() {
      if (store != null && historyLimitSet) {
        throw new IllegalStateException(
            "historyLimit bounds the default in-memory store only; the store given to store()"
                + " keeps its own bounds: JobStore.inMemory(historyLimit), or retention for a"
                + " database store");
      }
      return new dev.chime.internal.engine.Engine(
          new dev.chime.internal.engine.Settings(
              clock == null ? Clock.systemUTC() : clock,
              store == null ? JobStore.inMemory(historyLimit) : store,
              maxConcurrency,
              platformThreads,
              shutdownGrace,
              Map.copyOf(groupLimits),
              false,
              retention,
              retainPerJob));
    }

    private static int inRange(String what, int value, int low, int high) {
      if (value < low || value > high) {
        throw new IllegalArgumentException(
            what + " must be " + low + "-" + high + ", was " + value);
      }
      return value;
    }
  }
}
