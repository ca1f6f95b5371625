package dev.chime.server.kinds;

/** A built-in job's failure with a message that says what went wrong; no stack trace needed. */
final class JobFailure extends Exception {
  private static final long serialVersionUID = 1L;

  JobFailure(String message) {
    super(message, null, false, false);
  }
}
