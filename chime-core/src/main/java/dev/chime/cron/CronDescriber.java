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
      parts.add(list(months, CronDescriber::monthName, "every %d months", "in "));
    }
    List<Term> years = parsed.terms().get(Field.YEAR);
    if (years != null && !isAll(years)) {
      parts.add(list(years, String::valueOf, "every %d years", "in "));
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
      phrases.add(unit(seconds, "second"));
    }
    if (!(showSeconds && isAll(minutes))) {
      phrases.add(unit(minutes, "minute"));
    }
    if (!isAll(hours)) {
      phrases.add(hours(hours));
    }
    return String.join(", ", phrases);
  }

  private static String unit(List<Term> terms, String unit) {
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
      pieces.add(
          switch (term.kind()) {
            case VALUE -> unit + " " + term.from();
            case STEP ->
                term.step() == 1
                    ? "every " + unit + " from " + term.from() + " through " + term.to()
                    : String.format(Locale.ROOT, "every %d %ss", term.step(), unit)
                        + (isWhole(term, unit)
                            ? ""
                            : " from " + term.from() + " through " + term.to());
            default -> "every " + unit;
          });
    }
    return join(pieces, "and");
  }

  private static boolean isWhole(Term term, String unit) {
    int max = unit.equals("hour") ? 23 : 59;
    return term.from() == 0 && term.to() == max;
  }

  private static String hours(List<Term> hours) {
    if (hours.size() == 1 && (hours.get(0).isRange() || hours.get(0).kind() == Term.Kind.VALUE)) {
      Term range = hours.get(0);
      return String.format(Locale.ROOT, "between %02d:00 and %02d:59", range.from(), range.to());
    }
    if (allValues(hours)) {
      List<String> values = new ArrayList<>();
      hours.forEach(t -> values.add(String.format(Locale.ROOT, "%02d:00", t.from())));
      return "in the hour" + (hours.size() > 1 ? "s" : "") + " from " + join(values, "and");
    }
    return unit(hours, "hour");
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
      return daysOfWeek(dow);
    }
    return parsed.orDays()
        ? daysOfMonth(dom) + " or " + daysOfWeek(dow)
        : daysOfMonth(dom) + ", if it is " + join(weekdayNames(dow), "or");
  }

  private static String daysOfMonth(List<Term> terms) {
    List<String> pieces = new ArrayList<>();
    for (Term term : terms) {
      pieces.add(
          switch (term.kind()) {
            case VALUE -> "day " + term.from();
            case STEP ->
                term.step() == 1
                    ? "days " + term.from() + " through " + term.to()
                    : String.format(
                        Locale.ROOT,
                        "every %d days from day %d through %d",
                        term.step(),
                        term.from(),
                        term.to());
            case LAST_DAY ->
                term.from() == 0
                    ? "the last day"
                    : term.from() + " day" + (term.from() > 1 ? "s" : "") + " before the last day";
            case LAST_WEEKDAY -> "the last weekday";
            case NEAREST_WEEKDAY -> "the weekday nearest day " + term.from();
            default -> "every day";
          });
    }
    return "on " + join(pieces, "and") + " of the month";
  }

  private static String daysOfWeek(List<Term> terms) {
    if (terms.size() == 1 && terms.get(0).isRange()) {
      return DAYS[terms.get(0).from()] + " through " + DAYS[terms.get(0).to()];
    }
    List<String> pieces = new ArrayList<>();
    for (Term term : terms) {
      pieces.add(
          switch (term.kind()) {
            case LAST_OF_WEEKDAY -> "the last " + DAYS[term.from()] + " of the month";
            case NTH_WEEKDAY ->
                "the " + ORDINALS[term.to()] + " " + DAYS[term.from()] + " of the month";
            case STEP ->
                term.step() == 1
                    ? DAYS[term.from()] + " through " + DAYS[term.to()]
                    : String.format(
                        Locale.ROOT,
                        "every %d days of the week from %s through %s",
                        term.step(),
                        DAYS[term.from()],
                        DAYS[term.to()]);
            default -> DAYS[term.from()];
          });
    }
    return "on " + join(pieces, "and");
  }

  private static List<String> weekdayNames(List<Term> terms) {
    String text = daysOfWeek(terms);
    return List.of(text.startsWith("on ") ? "a " + text.substring(3) : text);
  }

  // ---- helpers --------------------------------------------------------------------------

  private static String list(
      List<Term> terms, java.util.function.IntFunction<String> name, String every, String prefix) {
    List<String> pieces = new ArrayList<>();
    boolean values = allValues(terms);
    for (Term term : terms) {
      if (term.kind() == Term.Kind.VALUE) {
        pieces.add(name.apply(term.from()));
      } else if (term.step() == 1) {
        pieces.add(name.apply(term.from()) + " through " + name.apply(term.to()));
      } else {
        pieces.add(String.format(Locale.ROOT, every, term.step()));
      }
    }
    return (values ? prefix : "") + join(pieces, "and");
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
