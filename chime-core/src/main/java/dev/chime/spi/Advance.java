package dev.chime.spi;

import dev.chime.JobState;
import dev.chime.Run;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A claimed occurrence dealt with: the job moves on to {@code nextFireAt} with {@code runCount} and
 * {@code state}, and the runs the firing made (admitted or skipped) are recorded with it. A store
 * applies an advance and its runs together or not at all ({@link JobStore#write}), so an occurrence
 * is never both re-claimable and already running.
 *
 * @param claim the claim whose token must still hold
 * @param nextFireAt the job's next occurrence, or null (none, or waiting for a fixed delay)
 * @param runCount occurrences fired so far
 * @param state the job's state afterwards
 * @param runs the runs this firing made, in their state at the time
 */
public record Advance(
    Claim claim, Instant nextFireAt, long runCount, JobState state, List<Run> runs) {
  /** Validates the parts and copies the runs. */
  public Advance {
    Objects.requireNonNull(claim, "claim must not be null");
    Objects.requireNonNull(state, "state must not be null");
    runs = List.copyOf(runs);
  }
}
