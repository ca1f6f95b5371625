package dev.chime.cron;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-English descriptions of parsed expressions: "At 03:00, Monday through Friday". */
final class CronDescriber {
  private static final String[] DAYS = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
  };
  private static final String[] MONTHS = {
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  private static final String[] ORDINALS = {"", "first", "second", "third", "fourth", "fifth"};
  private static final int MAX_LISTED_TIMES = 8;

  private CronDescriber() {}

  static String describe(CronParser.Parsed parsed) {
    List<String> parts = new ArrayList<>();
    parts.add(time(parsed));
    String days = days(parsed);
    if (!days.isEmpty()) {
      parts.add(days);
    }
    List<Term> months = parsed.terms().get(Field.MONTH);
    if (!isAll(months)) {
      parts.add(period(months, Field.MONTH, "month", CronDescriber::monthName));
    }
    List<Term> years = parsed.terms().get(Field.YEAR);
    if (years != null && !isAll(years)) {
      parts.add(period(years, Field.YEAR, "year", String::valueOf));
    }
    String text = String.join(", ", parts);
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  // ---- time of day ----------------------------------------------------------------------

  private static String time(CronParser.Parsed parsed) {
    List<Term> seconds = parsed.terms().get(Field.SECOND);
    List<Term> minutes = parsed.terms().get(Field.MINUTE);
    List<Term> hours = parsed.terms().get(Field.HOUR);
    boolean showSeconds = !(seconds.size() == 1 && isValue(seconds.get(0), 0));
    if (allValues(seconds) && allValues(minutes) && allValues(hours)) {
      int count = seconds.size() * minutes.size() * hours.size();
      if (count <= MAX_LISTED_TIMES) {
        List<String> times = new ArrayList<>();
        for (Term h : hours) {
          for (Term m : minutes) {
            for (Term s : seconds) {
              String clock = String.format(Locale.ROOT, "%02d:%02d", h.from(), m.from());
              times.add(
                  showSeconds ? clock + String.format(Locale.ROOT, ":%02d", s.from()) : clock);
            }
          }
        }
        return "at " + join(times, "and");
      }
    }
    List<String> phrases = new ArrayList<>();
    if (showSeconds) {
      phrases.add(unit(seconds, Field.SECOND, "second"));
    }
    if (!(showSeconds && isAll(minutes))) {
      phrases.add(unit(minutes, Field.MINUTE, "minute"));
    }
    if (!isAll(hours)) {
      phrases.add(hours(hours));
    }
    return String.join(", ", phrases);
  }

  /** Seconds or minutes: "at minute 5", "at minutes 10 through 20", "every 5 minutes from ...". */
  private static String unit(List<Term> terms, Field field, String unit) {
    if (isAll(terms)) {
      return "every " + unit;
    }
    if (allValues(terms)) {
      List<String> values = new ArrayList<>();
      terms.forEach(t -> values.add(String.valueOf(t.from())));
      return "at " + unit + (terms.size() > 1 ? "s " : " ") + join(values, "and");
    }
    List<String> pieces = new ArrayList<>();
    for (Term term : terms) {
      if (term.kind() == Term.Kind.VALUE) {
        pieces.add(unit + " " + term.from());
      } else if (term.step() == 1) {
        pieces.add(unit + "s " + term.from() + " through " + term.to());
      } else {
        pieces.add(
            every(term, unit)
                + (isWhole(term, field)
                    ? ""
                    : " from " + unit + " " + term.from() + " through " + term.to()));
      }
    }
    return (pieces.get(0).startsWith("every ") ? "" : "at ") + join(pieces, "and");
  }

  /** "between 09:00 and 17:59", "during the 09:00 and 17:00 hours", "every 2 hours from ...". */
  private static String hours(List<Term> hours) {
    if (hours.size() > 1 && allValues(hours)) {
      List<String> values = new ArrayList<>();
      hours.forEach(t -> values.add(clock(t.from())));
      return "during the " + join(values, "and") + " hours";
    }
    List<String> pieces = new ArrayList<>();
    for (Term term : hours) {
      if (term.kind() == Term.Kind.VALUE || term.step() == 1) {
        pieces.add(
            String.format(Locale.ROOT, "between %02d:00 and %02d:59", term.from(), term.to()));
      } else {
        pieces.add(
            every(term, "hour")
                + (isWhole(term, Field.HOUR)
                    ? ""
                    : " from " + clock(term.from()) + " through " + clock(term.to())));
      }
    }
    return join(pieces, "and");
  }

  private static String clock(int hour) {
    return String.format(Locale.ROOT, "%02d:00", hour);
  }

  // ---- days -----------------------------------------------------------------------------

  private static String days(CronParser.Parsed parsed) {
    List<Term> dom = parsed.terms().get(Field.DAY_OF_MONTH);
    List<Term> dow = parsed.terms().get(Field.DAY_OF_WEEK);
    boolean anyDom = isAll(dom);
    boolean anyDow = isAll(dow);
    if (anyDom && anyDow) {
      return "";
    }
    if (anyDow) {
      return daysOfMonth(dom);
    }
    if (anyDom) {
      return isPlainRange(dow) ? weekdays(dow.get(0)) : "on " + daysOfWeek(dow);
    }
    return parsed.orDays()
        ? daysOfMonth(dom) + " or on " + daysOfWeek(dow)
        : daysOfMonth(dom) + ", if it is " + weekdayCondition(dow);
  }

  /** "on day 1 and day 15 of the month", "every 2 days from day 3 through 31 of the month". */
  private static String daysOfMonth(List<Term> terms) {
    List<String> pieces = new ArrayList<>();
    for (Term term : terms) {
      pieces.add(
          switch (term.kind()) {
            case VALUE -> "on day " + term.from();
            case STEP ->
                term.step() == 1
                    ? "on days " + term.from() + " through " + term.to()
                    : every(term, "day")
                        + (isWhole(term, Field.DAY_OF_MONTH)
                            ? ""
                            : " from day " + term.from() + " through " + term.to());
            case LAST_DAY ->
                term.from() == 0
                    ? "on the last day"
                    : term.from() + " day" + (term.from() > 1 ? "s" : "") + " before the last day";
            case LAST_WEEKDAY -> "on the last weekday";
            default -> "on the weekday nearest day " + term.from();
          });
    }
    // "on day 1 and day 15", not "on day 1 and on day 15".
    for (int i = pieces.size() - 1; i > 0; i--) {
      if (pieces.get(i).startsWith("on ") && pieces.get(i - 1).startsWith("on ")) {
        pieces.set(i, pieces.get(i).substring(3));
      }
    }
    return join(pieces, "and") + " of the month";
  }

  /** "Monday, Wednesday and Friday", "Monday and the last Friday of the month". */
  private static String daysOfWeek(List<Term> terms) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      Term term = terms.get(i);
      if (isSpecial(term)) {
        // "the third Friday and the first Monday of the month": one "of the month" for a run.
        boolean runGoesOn = i + 1 < terms.size() && isSpecial(terms.get(i + 1));
        pieces.add(special(term) + (runGoesOn ? "" : " of the month"));
      } else if (term.isRange()) {
        pieces.add(weekdays(term));
      } else {
        weekdayValues(term).forEach(day -> pieces.add(DAYS[day]));
      }
    }
    return join(pieces, "and");
  }

  /** "a Monday, Wednesday or Friday", "a day from Monday through Friday", "the third Friday...". */
  private static String weekdayCondition(List<Term> terms) {
    List<String> pieces = new ArrayList<>();
    boolean plainDays = true;
    for (Term term : terms) {
      if (isSpecial(term)) {
        pieces.add(special(term) + " of the month");
        plainDays = false;
      } else if (term.isRange()) {
        pieces.add("a day from " + weekdays(term));
        plainDays = false;
      } else {
        weekdayValues(term).forEach(day -> pieces.add(DAYS[day]));
      }
    }
    if (plainDays) {
      return "a " + join(pieces, "or");
    }
    pieces.replaceAll(p -> p.startsWith("a ") || p.startsWith("the ") ? p : "a " + p);
    return join(pieces, "or");
  }

  private static boolean isSpecial(Term term) {
    return term.kind() == Term.Kind.LAST_OF_WEEKDAY || term.kind() == Term.Kind.NTH_WEEKDAY;
  }

  private static String special(Term term) {
    return term.kind() == Term.Kind.LAST_OF_WEEKDAY
        ? "the last " + DAYS[term.from()]
        : "the " + ORDINALS[term.to()] + " " + DAYS[term.from()];
  }

  private static String weekdays(Term range) {
    return DAYS[range.from()] + " through " + DAYS[range.to()];
  }

  private static boolean isPlainRange(List<Term> terms) {
    return terms.size() == 1 && terms.get(0).isRange();
  }

  /** The weekdays a value or step matches, in the order the step takes them (0 = Sunday). */
  private static List<Integer> weekdayValues(Term term) {
    List<Integer> days = new ArrayList<>();
    int span = Math.floorMod(term.to() - term.from(), 7);
    for (int i = 0; i <= span; i += term.step()) {
      days.add((term.from() + i) % 7);
    }
    return days;
  }

  // ---- months and years -----------------------------------------------------------------

  /** "in January and March through May", "every 2 months from March through December". */
  private static String period(
      List<Term> terms, Field field, String unit, java.util.function.IntFunction<String> name) {
    List<String> named = new ArrayList<>();
    List<String> steps = new ArrayList<>();
    for (Term term : terms) {
      if (term.kind() == Term.Kind.VALUE) {
        named.add(name.apply(term.from()));
      } else if (term.step() == 1) {
        named.add(name.apply(term.from()) + " through " + name.apply(term.to()));
      } else {
        steps.add(
            every(term, unit)
                + (isWhole(term, field)
                    ? ""
                    : " from " + name.apply(term.from()) + " through " + name.apply(term.to())));
      }
    }
    List<String> pieces = new ArrayList<>();
    if (!named.isEmpty()) {
      pieces.add("in " + join(named, "and"));
    }
    pieces.addAll(steps);
    return join(pieces, "and");
  }

  // ---- helpers --------------------------------------------------------------------------

  private static String every(Term step, String unit) {
    return String.format(Locale.ROOT, "every %d %ss", step.step(), unit);
  }

  /** A step over the whole field ({@code *}{@code /n}), which needs no "from ... through ...". */
  private static boolean isWhole(Term term, Field field) {
    return term.from() == field.min && term.to() == field.max;
  }

  /** The English name of a month, 1 = January. */
  static String monthName(int month) {
    return MONTHS[month];
  }

  /** The English name of a day of the week, 0 = Sunday. */
  static String dayName(int day) {
    return DAYS[day];
  }

  private static boolean isAll(List<Term> terms) {
    return terms.size() == 1 && terms.get(0).kind() == Term.Kind.ALL;
  }

  private static boolean allValues(List<Term> terms) {
    return terms.stream().allMatch(t -> t.kind() == Term.Kind.VALUE);
  }

  private static boolean isValue(Term term, int value) {
    return term.kind() == Term.Kind.VALUE && term.from() == value;
  }

  /** "a", "a and b", "a, b and c". */
  static String join(List<String> items, String conjunction) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " "
        + conjunction
        + " "
        + items.get(items.size() - 1);
  }
}
