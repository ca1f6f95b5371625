package dev.chime.cron;

/** Set-bit searches on 64-bit masks; -1 when there is none. */
final class Bits {
  private Bits() {}

  /** The lowest set bit at or above {@code from}, or -1. */
  static int next(long mask, int from) {
    if (from >= 64) {
      return -1;
    }
    long rest = mask & (-1L << Math.max(from, 0));
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  /** The highest set bit at or below {@code from}, or -1. */
  static int previous(long mask, int from) {
    if (from < 0) {
      return -1;
    }
    long rest = from >= 63 ? mask : mask & ((1L << (from + 1)) - 1);
    return rest == 0 ? -1 : 63 - Long.numberOfLeadingZeros(rest);
  }

  static long range(int from, int to) {
    return (-1L >>> (63 - to)) & (-1L << from);
  }
}
