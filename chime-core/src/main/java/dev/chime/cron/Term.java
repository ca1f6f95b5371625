package dev.chime.cron;

/**
 * One comma-separated part of a cron field, resolved to numbers. Day-of-week values are already 0 =
 * Sunday ... 6 = Saturday, whatever the dialect wrote. {@code from > to} is a wrapping range.
 */
record Term(Kind kind, int from, int to, int step) {
  enum Kind {
    /** {@code *} or {@code ?}: every value. */
    ALL,
    /** One value (from == to); {@code H} resolves to this or to STEP. */
    VALUE,
    /** from..to every step (step 1 for a plain range, to = end of field for {@code a/n}). */
    STEP,
    /** Day-of-month {@code L-from} ({@code L} is L-0). */
    LAST_DAY,
    /** Day-of-month {@code LW}. */
    LAST_WEEKDAY,
    /** Day-of-month {@code fromW}. */
    NEAREST_WEEKDAY,
    /** Day-of-week {@code fromL}: the last such weekday of the month. */
    LAST_OF_WEEKDAY,
    /** Day-of-week {@code from#to}: the to-th such weekday of the month. */
    NTH_WEEKDAY
  }

  static Term value(int value) {
    return new Term(Kind.VALUE, value, value, 1);
  }

  boolean isRange() {
    return kind == Kind.STEP && step == 1;
  }
}
