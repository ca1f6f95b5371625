package dev.chime;

import java.util.Objects;

/**
 * A job's stable, user-chosen id: 1-200 characters of letters, digits and {@code . _ - : /},
 * starting with a letter or digit. It keys a job's runs and seeds its cron {@code H} fields.
 *
 * @param value the id as written
 */
public record JobId(String value) {
  /** The longest id accepted. */
  public static final int MAX_LENGTH = 200;

  /** Validates the id. */
  public JobId {
    Objects.requireNonNull(value, "job id must not be null");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "job id must be 1-" + MAX_LENGTH + " characters, was " + value.length());
    }
    if (!validName(value, "._:/-")) {
      throw new IllegalArgumentException(
          "job id '"
              + value
              + "' must start with a letter or digit and use only letters, digits and . _ - : /");
    }
  }

  /**
   * Whether the text starts with an ASCII letter or digit and has only those and the given
   * punctuation: checked by hand, as ids and handler names are made on every schedule and claim and
   * a regex allocates a matcher each time.
   */
  static boolean validName(String text, String punctuation) {
    if (text.isEmpty() || !letterOrDigit(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!letterOrDigit(c) && punctuation.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean letterOrDigit(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /** The id for the text. */
  public static JobId of(String value) {
    return new JobId(value);
  }

  /**
   * The same value as the record's own, the id's string hash, without the record's bootstrap
   * method: the engine keys its per-job state by id on every claim and end.
   */
  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof JobId id && value.equals(id.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
