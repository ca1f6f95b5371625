package dev.chime;

/**
 * Where a run is in its life: {@code SCHEDULED -> CLAIMED -> RUNNING -> SUCCEEDED | FAILED |
 * TIMED_OUT | CANCELLED}; a retry starts as {@code RETRYING}; an occurrence that does not run is
 * {@code SKIPPED} with its reason.
 */
public enum RunState {
  /** Created, waiting for its turn (queued behind a running one, or for a free worker). */
  SCHEDULED,
  /** Taken by this scheduler and about to start. */
  CLAIMED,
  /** The handler is running. */
  RUNNING,
  /** A later attempt waiting for its backoff. */
  RETRYING,
  /** The handler returned. */
  SUCCEEDED,
  /** The handler threw. */
  FAILED,
  /** The handler ran past the job's timeout and was interrupted. */
  TIMED_OUT,
  /** Cancelled by a user, replaced by a newer run, or interrupted at shutdown. */
  CANCELLED,
  /** Never ran; the reason says why (overlap, misfire, paused, dependency). */
  SKIPPED;

  /** Whether the run has ended and will not change again. */
  public boolean isFinal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }
}
