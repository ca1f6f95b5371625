package dev.chime;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A published event: its name and its JSON-friendly payload. {@link Scheduler#publish} starts one
 * run of every job whose trigger is {@link Trigger#onEvent} for the name; the run's handler reads
 * it from {@link JobContext#event()} and its {@link Run#event()} record keeps it.
 *
 * <p>A name is 1-{@value #MAX_NAME_LENGTH} characters of letters, digits and {@code . _ - :},
 * starting with a letter or digit (no {@code /}: a name is one segment of the REST path).
 *
 * @param name the event's name
 * @param payload a deep, unmodifiable copy of the payload: strings, numbers, booleans, null, lists
 *     and maps; or null when the event carries none
 */
public record Event(String name, Map<String, Object> payload) {
  /** The longest event name accepted. */
  public static final int MAX_NAME_LENGTH = 200;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

  /** Validates the name and copies the payload, naming the first part that is not JSON. */
  public Event {
    checkName(name);
    payload = payload == null ? null : dev.chime.spi.JsonValues.copyMap(payload, "payload");
  }

  /** The name if it is a valid event name; else fails saying which rule it breaks. */
  static String checkName(String name) {
    Objects.requireNonNull(name, "event name must not be null");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "event name must be 1-" + MAX_NAME_LENGTH + " characters, was " + name.length());
    }
    if (!VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "event name '"
              + name
              + "' must start with a letter or digit and use only letters, digits and . _ - :");
    }
    return name;
  }
}
