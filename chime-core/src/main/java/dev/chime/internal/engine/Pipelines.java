package dev.chime.internal.engine;

import dev.chime.JobId;
import dev.chime.Pipeline;
import dev.chime.PipelineRun;
import dev.chime.RunId;
import dev.chime.RunState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipeline definitions and runs. A stage's jobs start together (forced runs tagged with the
 * pipeline run); when the last of them ends (after its retries) the next stage starts, or the run
 * ends. Guarded by the engine's lock.
 */
final class Pipelines {
  /** How many ended runs of each pipeline are kept. */
  static final int HISTORY = 100;

  /** Starts a forced run of a job for a pipeline run; returns the run and its state. */
  interface Starter {
    Started start(JobId job, long pipelineRun);
  }

  /** A started run: its id, and its state if it ended at once (skipped), else null. */
  record Started(RunId id, RunState endedAs) {}

  /** Cancels a job's current run for a pipeline run the pipeline no longer waits for. */
  interface Canceller {
    void cancel(long pipelineRun, JobId job, String reason);
  }

  private static final class Live {
    final Pipeline pipeline;
    final long id;
    final Instant startedAt;
    final Map<JobId, RunId> runs = new LinkedHashMap<>();
    final Map<JobId, RunState> outcomes = new LinkedHashMap<>();
    int stage;
    boolean failed;
    boolean cancelled; // a run of it was cancelled by the shutdown

    Live(Pipeline pipeline, long id, Instant startedAt) {
      this.pipeline = pipeline;
      this.id = id;
      this.startedAt = startedAt;
    }

    PipelineRun snapshot(PipelineRun.State state, Instant finishedAt) {
      return new PipelineRun(
          id, pipeline.id(), state, stage, runs, outcomes, startedAt, finishedAt);
    }
  }

  private final Map<String, Pipeline> definitions = new HashMap<>();
  private final Map<Long, Live> live = new HashMap<>();
  private final Map<String, Deque<PipelineRun>> history = new HashMap<>();
  private long ids;
  private boolean closing; // the scheduler shuts down: no later stage starts

  void define(Pipeline pipeline) {
    definitions.put(pipeline.id(), pipeline);
  }

  Pipeline get(String id) {
    return definitions.get(id);
  }

  boolean uses(JobId job) {
    for (Pipeline pipeline : definitions.values()) {
      for (List<JobId> stage : pipeline.stages()) {
        if (stage.contains(job)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Starts a run; returns its events (the start, and the end if every job ended at once). */
  List<PipelineRun> start(Pipeline pipeline, Instant now, Starter starter, Canceller canceller) {
    Live run = new Live(pipeline, ++ids, now);
    live.put(run.id, run);
    List<PipelineRun> events = new ArrayList<>();
    events.add(run.snapshot(PipelineRun.State.RUNNING, null));
    startStage(run, now, starter, canceller, events);
    return events;
  }

  /**
   * The scheduler shuts down: no later stage starts. A running stage's jobs end as they do (within
   * the grace, or interrupted) and each outcome is kept; the run then ends as cancelled, unless
   * that was its last stage.
   */
  void close() {
    closing = true;
  }

  /**
   * Ends the pipeline runs still running once shutdown is over as cancelled, with the jobs of their
   * stage that never ended. Returns the events.
   */
  List<PipelineRun> cancelAll(Instant now) {
    List<PipelineRun> events = new ArrayList<>();
    for (Live run : List.copyOf(live.values())) {
      for (JobId job : run.pipeline.stages().get(run.stage)) {
        run.outcomes.putIfAbsent(job, RunState.CANCELLED);
      }
      finish(run, PipelineRun.State.CANCELLED, now, events);
    }
    return events;
  }

  long lastId() {
    return ids;
  }

  private void startStage(
      Live run, Instant now, Starter starter, Canceller canceller, List<PipelineRun> events) {
    List<JobId> stage = run.pipeline.stages().get(run.stage);
    List<Started> immediate = new ArrayList<>();
    List<JobId> immediateJobs = new ArrayList<>();
    for (JobId job : stage) {
      Started started = starter.start(job, run.id);
      run.runs.put(job, started.id());
      if (started.endedAs() != null) {
        immediate.add(started);
        immediateJobs.add(job);
      }
    }
    for (int i = 0; i < immediate.size(); i++) {
      ended(run, immediateJobs.get(i), immediate.get(i).endedAs(), now, starter, canceller, events);
    }
  }

  /**
   * Notes that a pipeline job's run ended for good; returns the pipeline events it causes. A
   * failure under fail-fast ends the pipeline at once: the stage's other runs are cancelled.
   */
  List<PipelineRun> jobEnded(
      long id, JobId job, RunState outcome, Instant now, Starter starter, Canceller canceller) {
    Live run = live.get(id);
    List<PipelineRun> events = new ArrayList<>();
    if (run != null) {
      ended(run, job, outcome, now, starter, canceller, events);
    }
    return events;
  }

  private void ended(
      Live run,
      JobId job,
      RunState outcome,
      Instant now,
      Starter starter,
      Canceller canceller,
      List<PipelineRun> events) {
    if (run.outcomes.containsKey(job) || !live.containsKey(run.id)) {
      return;
    }
    run.outcomes.put(job, outcome);
    // A run the shutdown cancelled is no failure of the pipeline's: it ends cancelled
    boolean byShutdown = closing && outcome == RunState.CANCELLED;
    run.cancelled |= byShutdown;
    run.failed |= outcome != RunState.SUCCEEDED && !byShutdown;
    List<JobId> stage = run.pipeline.stages().get(run.stage);
    if (run.failed && run.pipeline.failFast()) {
      List<JobId> rest = new ArrayList<>();
      for (JobId other : stage) {
        if (!run.outcomes.containsKey(other)) {
          run.outcomes.put(other, RunState.CANCELLED);
          rest.add(other);
        }
      }
      finish(run, PipelineRun.State.FAILED, now, events);
      String why = "pipeline " + run.pipeline.id() + " failed: " + job + " " + lower(outcome);
      rest.forEach(other -> canceller.cancel(run.id, other, why));
      return;
    }
    if (!run.outcomes.keySet().containsAll(stage)) {
      return;
    }
    if (run.cancelled) {
      finish(run, PipelineRun.State.CANCELLED, now, events);
      return;
    }
    if (run.stage + 1 >= run.pipeline.stages().size()) {
      finish(run, run.failed ? PipelineRun.State.FAILED : PipelineRun.State.SUCCEEDED, now, events);
      return;
    }
    if (closing) {
      finish(run, PipelineRun.State.CANCELLED, now, events);
      return;
    }
    run.stage++;
    events.add(run.snapshot(PipelineRun.State.RUNNING, null));
    startStage(run, now, starter, canceller, events);
  }

  private static String lower(RunState state) {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }

  private void finish(Live run, PipelineRun.State state, Instant now, List<PipelineRun> events) {
    for (int later = run.stage + 1; later < run.pipeline.stages().size(); later++) {
      for (JobId job : run.pipeline.stages().get(later)) {
        run.outcomes.put(job, RunState.SKIPPED);
      }
    }
    run.stage = run.pipeline.stages().size();
    live.remove(run.id);
    PipelineRun ended = run.snapshot(state, now);
    Deque<PipelineRun> kept = history.computeIfAbsent(run.pipeline.id(), k -> new ArrayDeque<>());
    kept.addFirst(ended);
    if (kept.size() > HISTORY) {
      kept.removeLast();
    }
    events.add(ended);
  }

  /** The pipeline's runs, live first, then ended ones newest first. */
  List<PipelineRun> runs(String pipelineId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    List<PipelineRun> found = new ArrayList<>();
    live.values().stream()
        .filter(run -> run.pipeline.id().equals(pipelineId))
        .sorted((a, b) -> Long.compare(b.id, a.id))
        .forEach(run -> found.add(run.snapshot(PipelineRun.State.RUNNING, null)));
    found.addAll(history.getOrDefault(pipelineId, new ArrayDeque<>()));
    return found.subList(0, Math.min(limit, found.size()));
  }
}
