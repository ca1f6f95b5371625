package dev.chime.cron;

/**
 * How a cron expression treats local times that a daylight-saving change skips or repeats.
 *
 * <p>See {@code docs/cron.md} for worked examples in New York, Berlin, Cairo, Lord Howe and Apia.
 */
public enum DstPolicy {
  /**
   * {@link #WALL_CLOCK} for fixed-time expressions (second, minute and hour are single values or
   * lists of single values), {@link #INSTANT} otherwise. The default.
   */
  AUTO,
  /**
   * An occurrence at local time L fires at the first instant at which the local clock shows L or
   * later: a time in a spring-forward gap fires once at the end of the gap; a time in a fall-back
   * overlap fires on the first pass only.
   */
  WALL_CLOCK,
  /** Fires at every real instant whose local time matches: never in a gap, twice in an overlap. */
  INSTANT
}
