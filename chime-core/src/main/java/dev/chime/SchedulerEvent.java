package dev.chime;

/**
 * A change the scheduler reports to its {@link SchedulerListener}s, in the order the changes
 * happened: the base for live streams and metrics.
 */
public sealed interface SchedulerEvent
    permits SchedulerEvent.JobChanged, SchedulerEvent.RunChanged, SchedulerEvent.PipelineChanged {

  /**
   * A job was added, updated, paused, resumed, finished, reopened or deleted.
   *
   * @param change what happened
   * @param job the job after the change (before it, for a deletion)
   */
  record JobChanged(Change change, JobInfo job) implements SchedulerEvent {}

  /**
   * A run changed state; {@link Run#state} says to what (claimed, started as running, succeeded,
   * failed, retrying, timed out, cancelled, skipped).
   *
   * @param run the run after the change
   */
  record RunChanged(Run run) implements SchedulerEvent {}

  /**
   * A pipeline run started, moved to its next stage, or ended.
   *
   * @param run the pipeline run after the change
   */
  record PipelineChanged(PipelineRun run) implements SchedulerEvent {}

  /** What happened to a job. */
  enum Change {
    /** Scheduled. */
    ADDED,
    /** Its definition changed. */
    UPDATED,
    /** Paused, with a note. */
    PAUSED,
    /** Resumed. */
    RESUMED,
    /** It will not fire again. */
    FINISHED,
    /**
     * Finished, then active again (with no next fire time): a run of it made while it was finished
     * (run now, a pipeline stage) failed and waits for a retry. It finishes again when its last
     * attempt ends.
     */
    REOPENED,
    /** Deleted. */
    DELETED
  }
}
