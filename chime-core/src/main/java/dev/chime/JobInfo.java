package dev.chime;

import java.time.Instant;
import java.util.Objects;

/**
 * A job as the scheduler holds it: the definition and its state.
 *
 * @param job the definition
 * @param state active, paused or finished
 * @param note why it was paused, or null
 * @param nextFireAt its next occurrence, or null (finished, triggered by other jobs, or fired for
 *     the last time and waiting for that run's last attempt: see {@link JobState#FINISHED})
 * @param runCount runs its trigger fired so far, for {@link Job#maxRuns} (which says what counts:
 *     not an occurrence the overlap policy or a misfire skipped)
 * @param version bumped on every change, for optimistic updates
 */
public record JobInfo(
    Job job, JobState state, String note, Instant nextFireAt, long runCount, long version) {
  /** Validates the parts. */
  public JobInfo {
    Objects.requireNonNull(job, "job must not be null");
    Objects.requireNonNull(state, "state must not be null");
  }

  /** The job's id. */
  public JobId id() {
    return job.id();
  }
}
