package dev.chime.cron;

/** The fields of a cron expression, with the value ranges users write. */
enum Field {
  SECOND("second", 0, 59),
  MINUTE("minute", 0, 59),
  HOUR("hour", 0, 23),
  DAY_OF_MONTH("day-of-month", 1, 31),
  MONTH("month", 1, 12),
  DAY_OF_WEEK("day-of-week", 0, 7),
  YEAR("year", 1970, 2199);

  final String label;
  final int min;
  final int max;

  Field(String label, int min, int max) {
    this.label = label;
    this.min = min;
    this.max = max;
  }

  /** The smallest value a user may write in this field under the dialect. */
  int min(CronDialect dialect) {
    return this == DAY_OF_WEEK && dialect == CronDialect.QUARTZ ? 1 : min;
  }

  /** Where {@code *} and {@code a/n} start: Spring and Quartz count weekdays from 1. */
  int starMin(CronDialect dialect) {
    return this == DAY_OF_WEEK && dialect != CronDialect.UNIX ? 1 : min;
  }

  /** The inclusive range that Jenkins' {@code H} draws from (day-of-month stops at 28). */
  int hashMax() {
    return switch (this) {
      case DAY_OF_MONTH -> 28;
      case DAY_OF_WEEK -> 6;
      default -> max;
    };
  }

  boolean isDay() {
    return this == DAY_OF_MONTH || this == DAY_OF_WEEK;
  }
}
