package dev.chime.server.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The human forms of durations and sizes that job files, settings and the REST API accept, as the
 * job-file contract names them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d} or
 * ISO-8601 ({@code PT15M}); sizes {@code 123}, {@code 64KB}, {@code 500MB}, {@code 2GiB}. A bad
 * value is an {@link IllegalArgumentException} whose message says what was expected.
 */
public final class Values {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,15})\\s?(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?", Pattern.CASE_INSENSITIVE);

  private Values() {}

  /** The duration the text names; fails with what was expected. */
  public static Duration duration(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a duration is required (like 30s, 15m, 2h or PT15M)");
    }
    String trimmed = text.trim();
    Matcher m = SHORT_DURATION.matcher(trimmed);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (trimmed.length() > 1 && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration: use 500ms, 30s, 15m, 2h, 7d or ISO-8601 like PT15M");
  }

  /**
   * The size in bytes the text names (KB = 1000 bytes, KiB = 1024); fails with what was expected.
   */
  public static long size(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a size is required (like 500MB or 2GiB)");
    }
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size: use bytes or a unit, like 64KB, 500MB or 2GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "KB" -> 1_000L;
          case "MB" -> 1_000_000L;
          case "GB" -> 1_000_000_000L;
          case "TB" -> 1_000_000_000_000L;
          case "KIB" -> 1L << 10;
          case "MIB" -> 1L << 20;
          case "GIB" -> 1L << 30;
          case "TIB" -> 1L << 40;
          default -> 1L;
        };
    try {
      return Math.multiplyExact(n, factor);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size", e);
    }
  }
}
