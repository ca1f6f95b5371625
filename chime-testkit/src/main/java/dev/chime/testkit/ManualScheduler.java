package dev.chime.testkit;

import dev.chime.Job;
import dev.chime.JobHandler;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.Pipeline;
import dev.chime.PipelineRun;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.Scheduler;
import dev.chime.SchedulerListener;
import dev.chime.internal.engine.Engine;
import dev.chime.internal.engine.Settings;
import dev.chime.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Scheduler} with no threads of its own: {@link #runDue()} does one synchronous cycle on
 * the caller's thread (fire what is due by the clock, run it, repeat until nothing more is due).
 * With a {@link FakeClock}, a test moves time and runs what fell due, without sleeping.
 *
 * {@snippet :
 * FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z");
 * ManualScheduler scheduler = ManualScheduler.builder(clock).build();
 * scheduler.register("count", ctx -> counter.incrementAndGet());
 * scheduler.schedule(Job.builder("tick").handler("count").trigger(Trigger.every(Duration.ofMinutes(1))).build());
 * clock.advance(Duration.ofMinutes(1));
 * scheduler.runDue();   // runs "tick" once
 * }
 *
 * <p>Handlers run one at a time on the caller's thread, so a timeout cannot interrupt them: a run
 * that ends after its deadline by the clock is recorded as timed out, and {@link
 * dev.chime.JobContext#isCancelled} turns true once the clock passes the deadline.
 */
public final class ManualScheduler implements Scheduler {
  private final Engine engine;

  private ManualScheduler(Engine engine) {
    this.engine = engine;
  }

  /** A builder for a manual scheduler on the clock. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /** Fires what is due and runs it until nothing more is due now; returns how many runs ran. */
  public int runDue() {
    return engine.runDue();
  }

  /** Builds a {@link ManualScheduler}. */
  public static final class Builder {
    private final Clock clock;
    private JobStore store;
    private final int maxConcurrency = Scheduler.Builder.DEFAULT_MAX_CONCURRENCY;
    private Integer historyLimit; // null: the default
    private final Map<String, Integer> groupLimits = new LinkedHashMap<>();

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    private Duration retention;
    private int retainPerJob;

    /** The store to use. Default: in memory. */
    public Builder store(JobStore jobs) {
      this.store = Objects.requireNonNull(jobs, "store must not be null");
      return this;
    }

    /** At most {@code limit} runs of the group at once. */
    public Builder groupLimit(String group, int limit) {
      Scheduler.builder().groupLimit(group, limit); // the same checks as a real scheduler
      groupLimits.put(group, limit);
      return this;
    }

    /** How many ended runs the default in-memory store keeps; not with {@link #store}. */
    public Builder historyLimit(int runs) {
      Scheduler.builder().historyLimit(runs);
      this.historyLimit = runs;
      return this;
    }

    /**
     * Ended runs older than {@code maxAge} are pruned (see {@link Scheduler.Builder#retention}).
     */
    public Builder retention(Duration maxAge, int keepPerJob) {
      Scheduler.builder().retention(maxAge, keepPerJob); // the same checks
      this.retention = maxAge;
      this.retainPerJob = keepPerJob;
      return this;
    }

    /**
     * The manual scheduler.
     *
     * @throws IllegalStateException if both {@link #store} and {@link #historyLimit} were set (the
     *     store would ignore the limit: give it to {@link JobStore#inMemory(int)} instead)
     */
    public ManualScheduler build() {
      if (store != null && historyLimit != null) {
        throw new IllegalStateException(
            "historyLimit is for the default store; give a limit to the store passed to store()"
                + " instead (JobStore.inMemory(limit))");
      }
      return new ManualScheduler(
          new Engine(
              new Settings(
                  clock,
                  store != null
                      ? store
                      : JobStore.inMemory(
                          historyLimit == null
                              ? Scheduler.Builder.DEFAULT_HISTORY_LIMIT
                              : historyLimit),
                  maxConcurrency,
                  0,
                  Duration.ZERO,
                  Map.copyOf(groupLimits),
                  true,
                  retention,
                  retainPerJob)));
    }
  }

  @Override
  public Scheduler register(String name, JobHandler handler) {
    engine.register(name, handler);
    return this;
  }

  @Override
  public JobId schedule(Job job) {
    return engine.schedule(job);
  }

  @Override
  public Optional<JobInfo> get(JobId id) {
    return engine.get(id);
  }

  @Override
  public List<JobInfo> list(JobQuery query) {
    return engine.list(query);
  }

  @Override
  public List<JobInfo> list(JobQuery query, JobId after, int limit) {
    return engine.list(query, after, limit);
  }

  @Override
  public JobInfo update(Job job) {
    return engine.update(job);
  }

  @Override
  public boolean delete(JobId id) {
    return engine.delete(id);
  }

  @Override
  public JobInfo pause(JobId id, String note) {
    return engine.pause(id, note);
  }

  @Override
  public JobInfo resume(JobId id) {
    return engine.resume(id);
  }

  @Override
  public int pauseLabeled(String label, String note) {
    return engine.pauseLabeled(label, note);
  }

  @Override
  public int resumeLabeled(String label) {
    return engine.resumeLabeled(label);
  }

  @Override
  public void pauseAll(String note) {
    engine.pauseAll(note);
  }

  @Override
  public void resumeAll() {
    engine.resumeAll();
  }

  @Override
  public boolean isPaused() {
    return engine.isPaused();
  }

  @Override
  public RunId runNow(JobId id) {
    return engine.runNow(id);
  }

  @Override
  public RunId runNow(JobId id, boolean force) {
    return engine.runNow(id, force);
  }

  @Override
  public List<Run> publish(String name, Map<String, ?> payload) {
    return engine.publish(name, payload);
  }

  @Override
  public boolean cancel(RunId id) {
    return engine.cancel(id);
  }

  @Override
  public Optional<Run> run(RunId id) {
    return engine.run(id);
  }

  @Override
  public dev.chime.spi.RunPage runs(dev.chime.spi.RunQuery query) {
    return engine.runs(query);
  }

  @Override
  public List<dev.chime.NodeInfo> nodes() {
    return engine.nodes();
  }

  @Override
  public List<dev.chime.spi.Quarantined> quarantined() {
    return engine.quarantined();
  }

  @Override
  public List<JobId> scheduleAll(java.util.Collection<Job> jobs) {
    return engine.scheduleAll(jobs);
  }

  @Override
  public List<Run> runs(JobId id, int limit) {
    return engine.runs(id, limit);
  }

  @Override
  public void definePipeline(Pipeline pipeline) {
    engine.definePipeline(pipeline);
  }

  @Override
  public long runPipeline(String pipelineId) {
    return engine.runPipeline(pipelineId);
  }

  @Override
  public List<PipelineRun> pipelineRuns(String pipelineId, int limit) {
    return engine.pipelineRuns(pipelineId, limit);
  }

  @Override
  public void addListener(SchedulerListener listener) {
    engine.addListener(listener);
  }

  /** Not for a manual scheduler: call {@link #runDue()} instead. */
  @Override
  public void start() {
    engine.start();
  }

  @Override
  public boolean shutdown() {
    return engine.shutdown();
  }

  @Override
  public void close() {
    engine.close();
  }
}
