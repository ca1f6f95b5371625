package dev.chime.server.spec;

/**
 * One thing wrong with a job file or body.
 *
 * @param source the file (or {@code body}) it was read from
 * @param line the 1-based line, or 0 when not known
 * @param field the path of the bad field, like {@code jobs[2].retry.delay}, or empty for the whole
 * @param message what is wrong and what is expected
 */
public record SpecError(String source, int line, String field, String message) {
  @Override
  public String toString() {
    return source + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
