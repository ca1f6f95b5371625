package dev.chime.bench.harness;

import java.util.Locale;

/** Log lines and table cells, the same in every scenario. */
public final class Print {
  private Print() {}

  /** One progress line on standard output, prefixed with "bench: ". */
  public static void log(String format, Object... args) {
    System.out.println("bench: " + String.format(Locale.ROOT, format, args));
  }

  /** A figure for a table: "n/a" for NaN, "unfinished" for infinity, else 1 or 0 decimals. */
  public static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Double.isInfinite(value)) {
      return "unfinished";
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%,.1f", value);
  }

  /** A job count for a table: "1M", "20k" or "1,234". */
  public static String count(long jobs) {
    return jobs >= 1_000_000 && jobs % 1_000_000 == 0
        ? jobs / 1_000_000 + "M"
        : jobs >= 1000 && jobs % 1000 == 0
            ? jobs / 1000 + "k"
            : String.format(Locale.ROOT, "%,d", jobs);
  }

  /** {@code value / base} as "2.5x", or "" when either is not a finite figure. */
  public static String ratio(double value, double base) {
    return Double.isFinite(value) && Double.isFinite(base) && base > 0
        ? String.format(Locale.ROOT, "%.1fx", value / base)
        : "";
  }
}
