package dev.chime;

/**
 * A request the scheduler refuses, with a {@link Kind} a server maps to a status (not found: 404,
 * conflict: 409, invalid: 400, closed and unavailable: 503) and a message that says what to fix.
 */
public final class SchedulerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal. */
  public enum Kind {
    /** No such job, run or pipeline. */
    NOT_FOUND,
    /** It clashes with the current state: an id taken, a stale version, a dependency cycle. */
    CONFLICT,
    /** The request itself is wrong: an unregistered handler, a bad selector. */
    INVALID,
    /** The scheduler is shut down. */
    CLOSED,
    /** The store failed or cannot be reached (a database error); a server answers 503. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String field;

  /** A refusal of the kind with the message. */
  public SchedulerException(Kind kind, String message) {
    super(message);
    this.kind = kind;
    this.field = null;
  }

  /**
   * A refusal of the kind with the message, naming the part of the job at fault in the terms of the
   * job-file format ({@code handler}, {@code trigger.after}...).
   */
  public SchedulerException(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  /** A refusal of the kind with the message, caused by {@code cause} (kept for logs). */
  public SchedulerException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.field = null;
  }

  /** The part of the job at fault ({@code handler}, {@code trigger.after}...), or null. */
  public String field() {
    return field;
  }

  /** What kind of refusal. */
  public Kind kind() {
    return kind;
  }
}
