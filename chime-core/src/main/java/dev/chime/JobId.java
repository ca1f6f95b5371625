package dev.chime;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job's stable, user-chosen id: 1-200 characters of letters, digits and {@code . _ - : /},
 * starting with a letter or digit. It keys a job's runs and seeds its cron {@code H} fields.
 *
 * @param value the id as written
 */
public record JobId(String value) {
  /** The longest id accepted. */
  public static final int MAX_LENGTH = 200;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

  /** Validates the id. */
  public JobId {
    Objects.requireNonNull(value, "job id must not be null");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "job id must be 1-" + MAX_LENGTH + " characters, was " + value.length());
    }
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "job id '"
              + value
              + "' must start with a letter or digit and use only letters, digits and . _ - : /");
    }
  }

  /** The id for the text. */
  public static JobId of(String value) {
    return new JobId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
