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
