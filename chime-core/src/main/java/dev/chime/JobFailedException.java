package dev.chime;

/**
 * Thrown by a {@link JobHandler} to fail its run with a message that says it all: the run's error
 * is the message alone ({@code disk full}), where any other exception is recorded with its class
 * name ({@code java.io.IOException: disk full}). It carries no stack trace. Retries apply as to any
 * failure ({@link RetryPolicy#retryOn} and {@code abortOn} name this class to select it).
 */
public class JobFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure whose message becomes the run's error. */
  public JobFailedException(String message) {
    super(requireText(message), null, false, false);
  }

  private static String requireText(String message) {
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("a job failure needs a message that says what went wrong");
    }
    return message;
  }
}
