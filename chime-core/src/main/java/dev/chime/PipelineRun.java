package dev.chime;

import java.time.Instant;
import java.util.Map;

/**
 * One run of a {@link Pipeline}.
 *
 * @param id the pipeline run's number, unique within the scheduler
 * @param pipelineId the pipeline
 * @param state running, succeeded or failed
 * @param stage the stage running now (0-based), or the stage count once ended
 * @param runs the run of each job started so far
 * @param outcomes how each ended job's run ended (after its retries)
 * @param startedAt when it started
 * @param finishedAt when it ended, or null
 */
public record PipelineRun(
    long id,
    String pipelineId,
    State state,
    int stage,
    Map<JobId, RunId> runs,
    Map<JobId, RunState> outcomes,
    Instant startedAt,
    Instant finishedAt) {
  /** A pipeline run's state. */
  public enum State {
    /** A stage is running. */
    RUNNING,
    /** Every job succeeded. */
    SUCCEEDED,
    /** A job failed; with fail-fast, the later stages were skipped. */
    FAILED,
    /** Cancelled, or the scheduler shut down. */
    CANCELLED
  }

  /** Copies the maps. */
  public PipelineRun {
    runs = Map.copyOf(runs);
    outcomes = Map.copyOf(outcomes);
  }
}
