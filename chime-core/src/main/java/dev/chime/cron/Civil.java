package dev.chime.cron;

/**
 * Proleptic Gregorian calendar arithmetic on plain numbers, so the cron search allocates nothing.
 * The day algorithms are Howard Hinnant's "days from civil" and its inverse.
 */
final class Civil {
  static final int SECONDS_PER_DAY = 86_400;

  private Civil() {}

  static boolean isLeap(int year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  static int monthLength(int year, int month) {
    return switch (month) {
      case 2 -> isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of the given date. */
  static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1L : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  /**
   * The date of an epoch day packed as {@code year << 9 | month << 5 | day}; read it back with
   * {@link #year}, {@link #month} and {@link #day}.
   */
  static long date(long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return year << 9 | month << 5 | day;
  }

  static int year(long packed) {
    return (int) (packed >> 9);
  }

  static int month(long packed) {
    return (int) (packed >> 5) & 0xF;
  }

  static int day(long packed) {
    return (int) packed & 0x1F;
  }

  /** Day of week of an epoch day, 0 = Sunday ... 6 = Saturday. */
  static int dayOfWeek(long epochDay) {
    return (int) Math.floorMod(epochDay + 4, 7L);
  }

  static long localSecond(int year, int month, int day, int hour, int minute, int second) {
    return epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
  }
}
