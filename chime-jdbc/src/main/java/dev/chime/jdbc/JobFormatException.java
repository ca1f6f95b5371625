package dev.chime.jdbc;

/** A stored job definition that cannot be read; the message names the part and what is wrong. */
final class JobFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JobFormatException(String message) {
    super(message);
  }

  JobFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
