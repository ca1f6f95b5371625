package dev.chime.cron;

import java.util.List;
import java.util.Map;

/**
 * The bitmask form of a cron expression and the local-time search over it.
 *
 * <p>Design: one 64-bit mask per field (second, minute, hour, month; day-of-month bits 1-31;
 * day-of-week bits 0-6). The days that match in a month are computed as one 31-bit mask from the
 * day-of-month bits, the day-of-week bits rotated by the weekday of the 1st (seven precomputed
 * rotations) and the Quartz specials, then AND-ed or OR-ed. The search rolls each field forward (or
 * back) with {@code numberOfTrailingZeros}, carrying into the next field when one runs out: no
 * allocation, no per-second or per-minute scanning. Whether a day can ever match depends only on
 * (month, leap year, weekday of the 1st), so satisfiability is decided at parse time over those few
 * cases instead of scanning years. Local times are "local epoch seconds": seconds since
 * 1970-01-01T00:00 on the local wall clock.
 */
final class CronFields {
  static final long NONE = Long.MIN_VALUE;
  static final int MIN_YEAR = 1;
  static final int MAX_YEAR = 9999;

  private final long seconds;
  private final long minutes;
  private final long hours;
  private final long months;
  private final long daysOfMonth;
  private final long lastDayOffsets;
  private final boolean lastWeekday;
  private final long nearestWeekdays;
  private final int lastOfWeekdays;
  private final long nthWeekdays;
  private final boolean orDays;
  private final long[] years;
  private final long[] weekly = new long[7];
  private final boolean domSpecials;
  private final boolean dowSpecials;

  CronFields(String text, CronParser.Parsed parsed) {
    Map<Field, List<Term>> terms = parsed.terms();
    seconds = mask(Field.SECOND, terms.get(Field.SECOND));
    minutes = mask(Field.MINUTE, terms.get(Field.MINUTE));
    hours = mask(Field.HOUR, terms.get(Field.HOUR));
    months = mask(Field.MONTH, terms.get(Field.MONTH));
    List<Term> dom = terms.get(Field.DAY_OF_MONTH);
    List<Term> dow = terms.get(Field.DAY_OF_WEEK);
    daysOfMonth = mask(Field.DAY_OF_MONTH, dom);
    lastDayOffsets = special(dom, Term.Kind.LAST_DAY, 1);
    lastWeekday = special(dom, Term.Kind.LAST_WEEKDAY, 1) != 0;
    nearestWeekdays = special(dom, Term.Kind.NEAREST_WEEKDAY, 1);
    lastOfWeekdays = (int) special(dow, Term.Kind.LAST_OF_WEEKDAY, 1);
    nthWeekdays = special(dow, Term.Kind.NTH_WEEKDAY, 5);
    domSpecials = lastDayOffsets != 0 || lastWeekday || nearestWeekdays != 0;
    dowSpecials = lastOfWeekdays != 0 || nthWeekdays != 0;
    orDays = parsed.orDays();
    years = years(terms.get(Field.YEAR));
    long dowBits = mask(Field.DAY_OF_WEEK, dow);
    for (int first = 0; first < 7; first++) {
      for (int day = 1; day <= 31; day++) {
        if ((dowBits >>> ((first + day - 1) % 7) & 1) != 0) {
          weekly[first] |= 1L << day;
        }
      }
    }
    checkSatisfiable(text);
  }

  // ---- building -------------------------------------------------------------------------

  /** The values the terms match as bits (day-of-week 0-6); specials and years add none. */
  static long mask(Field field, List<Term> terms) {
    long mask = 0;
    int min = field == Field.DAY_OF_WEEK ? 0 : field.min;
    int max = field == Field.DAY_OF_WEEK ? 6 : field.max;
    for (Term term : terms) {
      switch (term.kind()) {
        case ALL -> mask |= field == Field.YEAR ? 0 : Bits.range(min, max);
        case VALUE -> mask |= bit(field, term.from());
        case STEP -> mask |= steps(field, term, min, max - min + 1);
        default -> {}
      }
    }
    return mask;
  }

  private static long bit(Field field, int value) {
    return field == Field.YEAR ? 0 : 1L << value;
  }

  private static long steps(Field field, Term term, int min, int size) {
    if (field == Field.YEAR) {
      return 0;
    }
    long mask = 0;
    int span = term.from() <= term.to() ? term.to() - term.from() : term.to() - term.from() + size;
    for (int i = 0; i <= span; i += term.step()) {
      mask |= 1L << (min + (term.from() - min + i) % size);
    }
    return mask;
  }

  /** Specials of one kind as bits: bit {@code from} (times {@code width} plus {@code to - 1}). */
  private static long special(List<Term> terms, Term.Kind kind, int width) {
    long mask = 0;
    for (Term term : terms) {
      if (term.kind() == kind) {
        mask |= 1L << (width == 1 ? term.from() : term.from() * width + term.to() - 1);
      }
    }
    return mask;
  }

  private static long[] years(List<Term> terms) {
    if (terms == null || terms.size() == 1 && terms.get(0).kind() == Term.Kind.ALL) {
      return null;
    }
    long[] bits = new long[4];
    int size = Field.YEAR.max - Field.YEAR.min + 1;
    for (Term term : terms) {
      int span =
          term.from() <= term.to() ? term.to() - term.from() : term.to() - term.from() + size;
      for (int i = 0; i <= span; i += term.step()) {
        int index = (term.from() - Field.YEAR.min + i) % size;
        bits[index >> 6] |= 1L << index;
      }
    }
    return bits;
  }

  private void checkSatisfiable(String text) {
    if (years != null) {
      for (int year = nextYear(Field.YEAR.min); year >= 0; year = nextYear(year + 1)) {
        for (int month = Bits.next(months, 1); month >= 0; month = Bits.next(months, month + 1)) {
          if (dayMask(year, month) != 0) {
            return;
          }
        }
      }
      throw new CronSyntaxException(
          text, null, 0, "the expression can never fire: no matching day in the years given");
    }
    for (int month = Bits.next(months, 1); month >= 0; month = Bits.next(months, month + 1)) {
      int[] lengths = month == 2 ? new int[] {28, 29} : new int[] {Civil.monthLength(2001, month)};
      for (int length : lengths) {
        for (int first = 0; first < 7; first++) {
          if (daysFor(length, first) != 0) {
            return;
          }
        }
      }
    }
    throw new CronSyntaxException(text, Field.DAY_OF_MONTH.label, 0, neverReason());
  }

  private String neverReason() {
    StringBuilder names = new StringBuilder();
    for (int month = Bits.next(months, 1); month >= 0; month = Bits.next(months, month + 1)) {
      names.append(names.isEmpty() ? "" : ", ").append(CronDescriber.monthName(month));
    }
    boolean plainDays = !domSpecials && !dowSpecials && weekly[0] == Bits.range(1, 31);
    if (plainDays && daysOfMonth != 0) {
      StringBuilder days = new StringBuilder();
      for (int day = Bits.next(daysOfMonth, 1); day >= 0; day = Bits.next(daysOfMonth, day + 1)) {
        days.append(days.isEmpty() ? "" : ", ").append(day);
      }
      boolean one = Long.bitCount(daysOfMonth) == 1;
      return days
          + (one ? " never occurs in " : " never occur in ")
          + names
          + "; the expression can never fire";
    }
    return "no day matches in " + names + "; the expression can never fire";
  }

  // ---- days -----------------------------------------------------------------------------

  /** Bits 1..length set for the days of (year, month) that match. */
  long dayMask(int year, int month) {
    int first = Civil.dayOfWeek(Civil.epochDay(year, month, 1));
    return daysFor(Civil.monthLength(year, month), first);
  }

  private long daysFor(int length, int first) {
    long valid = Bits.range(1, length);
    long dom = daysOfMonth & valid;
    if (domSpecials) {
      dom |= domSpecials(length, first);
    }
    long dow = weekly[first] & valid;
    if (dowSpecials) {
      dow |= dowSpecials(length, first);
    }
    return orDays ? dom | dow : dom & dow;
  }

  private long domSpecials(int length, int first) {
    long mask = 0;
    for (long offsets = lastDayOffsets; offsets != 0; offsets &= offsets - 1) {
      int day = length - Long.numberOfTrailingZeros(offsets);
      mask |= day >= 1 ? 1L << day : 0;
    }
    if (lastWeekday) {
      mask |= 1L << nearestWeekday(length, length, first);
    }
    for (long days = nearestWeekdays; days != 0; days &= days - 1) {
      int day = Long.numberOfTrailingZeros(days);
      mask |= day <= length ? 1L << nearestWeekday(day, length, first) : 0;
    }
    return mask;
  }

  /** Quartz's nW: the weekday nearest {@code day}, never leaving the month. */
  private static int nearestWeekday(int day, int length, int first) {
    int weekday = (first + day - 1) % 7;
    if (weekday == 6) {
      return day == 1 ? day + 2 : day - 1;
    }
    if (weekday == 0) {
      return day == length ? day - 2 : day + 1;
    }
    return day;
  }

  private long dowSpecials(int length, int first) {
    long mask = 0;
    for (int weekday = 0; weekday < 7; weekday++) {
      int firstDay = 1 + (weekday - first + 7) % 7;
      if ((lastOfWeekdays >>> weekday & 1) != 0) {
        mask |= 1L << (firstDay + (length - firstDay) / 7 * 7);
      }
      for (int nth = 1; nth <= 5; nth++) {
        int day = firstDay + (nth - 1) * 7;
        if ((nthWeekdays >>> (weekday * 5 + nth - 1) & 1) != 0 && day <= length) {
          mask |= 1L << day;
        }
      }
    }
    return mask;
  }

  // ---- years ----------------------------------------------------------------------------

  private int nextYear(int year) {
    int from = Math.max(year, Field.YEAR.min) - Field.YEAR.min;
    for (int word = from >> 6; word < years.length; word++) {
      long rest = years[word] & (word == from >> 6 ? -1L << (from & 63) : -1L);
      if (rest != 0) {
        return Field.YEAR.min + (word << 6) + Long.numberOfTrailingZeros(rest);
      }
    }
    return -1;
  }

  private int previousYear(int year) {
    int from = Math.min(year, Field.YEAR.max) - Field.YEAR.min;
    for (int word = from >> 6; word >= 0; word--) {
      long rest = years[word] & (word == from >> 6 ? -1L >>> (63 - (from & 63)) : -1L);
      if (rest != 0) {
        return Field.YEAR.min + (word << 6) + 63 - Long.numberOfLeadingZeros(rest);
      }
    }
    return -1;
  }

  // ---- search ---------------------------------------------------------------------------

  /** The smallest matching local second at or after {@code local}, or {@link #NONE}. */
  long next(long local) {
    long epochDay = Math.floorDiv(local, Civil.SECONDS_PER_DAY);
    int secondOfDay = Math.floorMod(local, Civil.SECONDS_PER_DAY);
    long date = Civil.date(epochDay);
    int y = Civil.year(date);
    int mo = Civil.month(date);
    int d = Civil.day(date);
    int h = secondOfDay / 3600;
    int mi = secondOfDay / 60 % 60;
    int s = secondOfDay % 60;
    // The day mask and first day of the month last computed, reused while (y, mo) stays put.
    int maskMonth = y * 16 + mo;
    long monthStart = epochDay - d + 1;
    long days = daysFor(Civil.monthLength(y, mo), Civil.dayOfWeek(monthStart));
    while (true) {
      if (y > MAX_YEAR) {
        return NONE;
      }
      if (years != null) {
        int ny = y < Field.YEAR.min ? nextYear(Field.YEAR.min) : nextYear(y);
        if (ny < 0) {
          return NONE;
        }
        if (ny != y) {
          y = ny;
          mo = 1;
          d = 1;
          h = mi = s = 0;
        }
      }
      int nm = Bits.next(months, mo);
      if (nm < 0) {
        y++;
        mo = 1;
        d = 1;
        h = mi = s = 0;
        continue;
      }
      if (nm != mo) {
        mo = nm;
        d = 1;
        h = mi = s = 0;
      }
      if (maskMonth != y * 16 + mo) {
        maskMonth = y * 16 + mo;
        monthStart = Civil.epochDay(y, mo, 1);
        days = daysFor(Civil.monthLength(y, mo), Civil.dayOfWeek(monthStart));
      }
      int nd = Bits.next(days, d);
      if (nd < 0) {
        mo++;
        d = 1;
        h = mi = s = 0;
        continue;
      }
      if (nd != d) {
        d = nd;
        h = mi = s = 0;
      }
      int nh = Bits.next(hours, h);
      if (nh < 0) {
        d++;
        h = mi = s = 0;
        continue;
      }
      if (nh != h) {
        h = nh;
        mi = s = 0;
      }
      int nmi = Bits.next(minutes, mi);
      if (nmi < 0) {
        h++;
        mi = s = 0;
        continue;
      }
      if (nmi != mi) {
        mi = nmi;
        s = 0;
      }
      int ns = Bits.next(seconds, s);
      if (ns < 0) {
        mi++;
        s = 0;
        continue;
      }
      return (monthStart + d - 1) * Civil.SECONDS_PER_DAY + h * 3600L + mi * 60L + ns;
    }
  }

  /** The largest matching local second at or before {@code local}, or {@link #NONE}. */
  long previous(long local) {
    long epochDay = Math.floorDiv(local, Civil.SECONDS_PER_DAY);
    int secondOfDay = Math.floorMod(local, Civil.SECONDS_PER_DAY);
    long date = Civil.date(epochDay);
    int y = Civil.year(date);
    int mo = Civil.month(date);
    int d = Civil.day(date);
    int h = secondOfDay / 3600;
    int mi = secondOfDay / 60 % 60;
    int s = secondOfDay % 60;
    while (true) {
      if (y < MIN_YEAR) {
        return NONE;
      }
      if (years != null) {
        int py = y > Field.YEAR.max ? previousYear(Field.YEAR.max) : previousYear(y);
        if (py < 0) {
          return NONE;
        }
        if (py != y) {
          y = py;
          mo = 12;
          d = 31;
          h = 23;
          mi = s = 59;
        }
      }
      int pm = Bits.previous(months, mo);
      if (pm < 0) {
        y--;
        mo = 12;
        d = 31;
        h = 23;
        mi = s = 59;
        continue;
      }
      if (pm != mo) {
        mo = pm;
        d = 31;
        h = 23;
        mi = s = 59;
      }
      int pd = Bits.previous(dayMask(y, mo), d);
      if (pd < 0) {
        mo--;
        d = 31;
        h = 23;
        mi = s = 59;
        continue;
      }
      if (pd != d) {
        d = pd;
        h = 23;
        mi = s = 59;
      }
      int ph = Bits.previous(hours, h);
      if (ph < 0) {
        d--;
        h = 23;
        mi = s = 59;
        continue;
      }
      if (ph != h) {
        h = ph;
        mi = s = 59;
      }
      int pmi = Bits.previous(minutes, mi);
      if (pmi < 0) {
        h--;
        mi = s = 59;
        continue;
      }
      if (pmi != mi) {
        mi = pmi;
        s = 59;
      }
      int ps = Bits.previous(seconds, s);
      if (ps < 0) {
        mi--;
        s = 59;
        continue;
      }
      return Civil.localSecond(y, mo, d, h, mi, ps);
    }
  }

  /** Whether the local second matches every field. */
  boolean matches(long local) {
    long epochDay = Math.floorDiv(local, Civil.SECONDS_PER_DAY);
    int secondOfDay = Math.floorMod(local, Civil.SECONDS_PER_DAY);
    long date = Civil.date(epochDay);
    int year = Civil.year(date);
    boolean yearOk = years == null || nextYear(year) == year;
    return yearOk
        && (months >>> Civil.month(date) & 1) != 0
        && (dayMask(year, Civil.month(date)) >>> Civil.day(date) & 1) != 0
        && (hours >>> (secondOfDay / 3600) & 1) != 0
        && (minutes >>> (secondOfDay / 60 % 60) & 1) != 0
        && (seconds >>> (secondOfDay % 60) & 1) != 0;
  }
}
