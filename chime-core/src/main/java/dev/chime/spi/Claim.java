package dev.chime.spi;

import dev.chime.JobInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * A job's next occurrence, taken by one scheduler until its lease ends. The fencing {@code token}
 * grows with every claim of the job; the store refuses an {@link JobStore#advance} or {@link
 * JobStore#release} that carries an older token, so a node whose lease expired cannot overwrite the
 * work of the node that claimed the occurrence after it.
 *
 * @param job the job as claimed
 * @param scheduledFor the occurrence (the job's next fire time)
 * @param token the fencing token
 */
public record Claim(JobInfo job, Instant scheduledFor, long token) {
  /** Validates the parts. */
  public Claim {
    Objects.requireNonNull(job, "job must not be null");
    Objects.requireNonNull(scheduledFor, "scheduledFor must not be null");
  }
}
