package dev.chime.cron;

/**
 * The cron dialects Chime reads. Without an explicit dialect, 5 fields mean {@link #UNIX} and 6
 * fields mean {@link #SPRING}; {@link #QUARTZ} must be asked for.
 */
public enum CronDialect {
  /** Vixie cron / cronie: 5 fields, Sunday is 0 or 7, day fields OR-ed when both are restricted. */
  UNIX,
  /** Spring's {@code CronExpression}: 6 fields, seconds first, day fields AND-ed. */
  SPRING,
  /** Quartz: 6 or 7 fields (seconds first, optional year), {@code ?} in one day field, 1=Sunday. */
  QUARTZ;

  /**
   * The dialect a text is read in when none is asked for: a macro ({@code @daily}) and 5 fields are
   * {@link #UNIX}, 6 fields {@link #SPRING}; empty for any other count (which such a read refuses).
   * Only counts the fields; it does not check them.
   */
  public static java.util.Optional<CronDialect> impliedBy(String text) {
    java.util.Objects.requireNonNull(text, "text must not be null");
    if (text.strip().startsWith("@")) {
      return java.util.Optional.of(UNIX);
    }
    return switch (CronParser.fieldCount(text)) {
      case 5 -> java.util.Optional.of(UNIX);
      case 6 -> java.util.Optional.of(SPRING);
      default -> java.util.Optional.empty();
    };
  }

  /**
   * The dialect implied by a field count, as {@code chime cron next} applies it.
   *
   * @throws CronSyntaxException when the count fits no default dialect
   */
  static CronDialect forFieldCount(String text, int count) {
    return switch (count) {
      case 5 -> UNIX;
      case 6 -> SPRING;
      case 7 ->
          throw new CronSyntaxException(
              text, null, 0, "7 fields need the quartz dialect (the only one with a year field)");
      default ->
          throw new CronSyntaxException(
              text, null, 0, "expected 5 fields (unix) or 6 (spring), found " + count);
    };
  }
}
