package dev.chime.spi;

import dev.chime.JobId;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored job a store set aside because it cannot be used (its definition cannot be read, or its
 * handler is not registered): it is never claimed until it is replaced or deleted.
 *
 * @param id the job
 * @param reason what is wrong with it, naming the part
 * @param since when it was set aside
 */
public record Quarantined(JobId id, String reason, Instant since) {
  /** Validates the parts. */
  public Quarantined {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(since, "since must not be null");
  }
}
