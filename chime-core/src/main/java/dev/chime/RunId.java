package dev.chime;

/**
 * A run's id, unique within a store; runs are numbered as they are created.
 *
 * @param value the number, positive
 */
public record RunId(long value) {
  /** Validates the number. */
  public RunId {
    if (value < 1) {
      throw new IllegalArgumentException("run id must be positive, was " + value);
    }
  }

  /** The id for the number. */
  public static RunId of(long value) {
    return new RunId(value);
  }

  /** Reads an id written by {@link #toString}; names the bad text. */
  public static RunId parse(String text) {
    try {
      return new RunId(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("run id must be a positive number, was '" + text + "'", e);
    }
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
