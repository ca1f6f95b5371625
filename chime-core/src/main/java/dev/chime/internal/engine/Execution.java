package dev.chime.internal.engine;

import dev.chime.Job;
import dev.chime.JobContext;
import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.internal.timer.TimerHeap;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * One live run: the mutable state behind a {@link Run} record, and the handler's {@link
 * JobContext}. Engine fields are guarded by the engine's lock; what the handler touches (log,
 * progress, result) by this object's monitor; the cancel flag is volatile so a handler sees it
 * without a lock.
 */
final class Execution implements JobContext {
  final RunId id;
  final Job job;
  final Instant scheduledFor;
  final int attempt;
  final long order;
  final long pipelineRun;
  // The ready queue's keys, copied out of the job and the instant so that ordering runs does not
  // chase two more objects per comparison.
  private final int priority;
  private final long dueNanos;
  // Read when the run ends, where the job's trigger is a cache miss at a million jobs (it is in the
  // cache here, as the run is made where its occurrence fires).
  final boolean fixedDelay;
  private final Clock clock;

  RunState state = RunState.SCHEDULED;
  String reason;
  Instant startedAt;
  Instant finishedAt;
  String error;
  Throwable failure;
  long deadlineNanos = Long.MAX_VALUE;
  TimerHeap.Entry<Object> timerEntry;
  boolean heldByPause; // a retry that fell due while its job was paused: it waits for the resume
  long retryDueNanos; // a retry: when its backoff ends (epoch nanos), so a late one is seen late
  RunState retryOf; // a retry: how the attempt before it ended (failed or timed out)
  dev.chime.spi.Claim claim; // the occurrence's claim, for runs a firing made; else null
  dev.chime.Event event; // the published event the run is for, or null; set before it is admitted
  // Made while its job was finished (a run now, a pipeline stage, an orphan): a retry of it makes
  // the job active again until its last attempt ends (Engine.reopen).
  boolean ofFinishedJob;
  // Under replace: the newer occurrence's run admitted while this one was admitted or running; a
  // retry this run would get is superseded by it (recorded cancelled), as a waiting one is.
  RunId replacedBy;
  TimerHeap.Entry<Execution> timeoutEntry;
  Engine.JobRuns jobRuns; // the job's runs this run is admitted or queued in, else null
  boolean unstored; // admitted outside an advance; its CLAIMED record is not stored yet
  long life; // the store's life of this node when the run was recorded (JobStore.life)
  private volatile String stopReason;
  private volatile RunState stopState;
  private Thread thread;
  private StringBuilder log;
  private int progress;
  private String progressMessage;
  private Object result;
  private final String node;

  Execution(
      RunId id,
      Job job,
      Instant scheduledFor,
      int attempt,
      long order,
      long pipelineRun,
      Clock clock,
      String node) {
    this.node = node;
    this.id = id;
    this.job = job;
    this.scheduledFor = scheduledFor;
    this.attempt = attempt;
    this.order = order;
    this.pipelineRun = pipelineRun;
    this.priority = job.priority();
    this.fixedDelay =
        job.trigger() instanceof dev.chime.Trigger.Interval interval
            && interval.mode() == dev.chime.Trigger.Interval.Mode.FIXED_DELAY;
    this.dueNanos = dev.chime.internal.timer.Nanos.of(scheduledFor);
    this.clock = clock;
  }

  /** Runs before {@code other}: higher priority first, then earlier occurrence, then older. */
  boolean before(Execution other) {
    if (priority != other.priority) {
      return priority > other.priority;
    }
    return dueNanos != other.dueNanos ? dueNanos < other.dueNanos : order < other.order;
  }

  static int compare(Execution a, Execution b) {
    return a == b ? 0 : a.before(b) ? -1 : 1;
  }

  /** Whether the run's retry policy allows another attempt after this one, should it fail. */
  boolean mayRetry() {
    return attempt < job.retry().attempts();
  }

  /** Asks the run to stop, interrupting its thread if it is running; the first reason wins. */
  synchronized void stop(RunState as, String why) {
    if (stopState == null) {
      stopState = as;
      stopReason = why;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }

  RunState stopState() {
    return stopState;
  }

  String stopReason() {
    return stopReason;
  }

  synchronized void attach(Thread running) {
    this.thread = running;
    if (running != null && stopState != null) {
      running.interrupt();
    }
  }

  /** Detaches the thread and clears an interrupt meant for this run, so the next run is clean. */
  void detach() {
    synchronized (this) {
      thread = null;
    }
    Thread.interrupted();
  }

  /** The record a durable store gets when the run is admitted (CLAIMED) or set to retry. */
  Run snapshotAs(RunState as) {
    return new Run(
        id,
        job.id(),
        scheduledFor,
        attempt,
        as,
        reason,
        null,
        null,
        null,
        "",
        0,
        null,
        null,
        node,
        event);
  }

  synchronized Run snapshot() {
    return new Run(
        id,
        job.id(),
        scheduledFor,
        attempt,
        state,
        reason,
        startedAt,
        finishedAt,
        error,
        log == null ? "" : log.toString(),
        progress,
        progressMessage,
        result,
        node,
        event);
  }

  @Override
  public JobId jobId() {
    return job.id();
  }

  @Override
  public RunId runId() {
    return id;
  }

  @Override
  public Instant scheduledFor() {
    return scheduledFor;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Map<String, Object> params() {
    return job.params();
  }

  @Override
  public java.util.Optional<dev.chime.Event> event() {
    return java.util.Optional.ofNullable(event);
  }

  @Override
  public boolean isCancelled() {
    return stopState != null
        || deadlineNanos != Long.MAX_VALUE
            && dev.chime.internal.timer.Nanos.of(clock.instant()) >= deadlineNanos;
  }

  @Override
  public synchronized void log(String line) {
    if (log == null) {
      log = new StringBuilder();
    }
    log.append(line).append('\n');
    if (log.length() > Run.LOG_LIMIT) {
      log.delete(0, log.length() - Run.LOG_LIMIT);
    }
  }

  @Override
  public synchronized void progress(int percent, String message) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("progress must be 0-100 percent, was " + percent);
    }
    this.progress = percent;
    this.progressMessage = message;
  }

  @Override
  public synchronized void result(Object value) {
    this.result = dev.chime.spi.JsonValues.copy(value, "result");
  }
}
