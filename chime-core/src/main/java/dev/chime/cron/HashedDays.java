package dev.chime.cron;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses an expression whose {@code H} in day-of-month, month or day-of-week would, for some key,
 * make it never fire: {@code 0 0 H(29-31) 2 *} draws 30 for some job ids. The answer does not
 * depend on the key, so a job's trigger is refused when it is made, not when a job id happens to
 * draw a day that never comes.
 *
 * <p>Design: a field that matches fewer values can only fire less, so for each field only its
 * smallest sets of values (its fixed terms plus one draw per {@code H}, none a superset of another)
 * need a try, and each combination of them goes through the satisfiability check of a parsed
 * expression. An {@code H} in day-of-week rarely matters (see {@link #weekdayMatters}) and is then
 * left as drawn. An expression with more than {@link #MAX_CHOICES} ways to draw one field or {@link
 * #MAX_CASES} combinations (many {@code H} in one field, each over a range of its own) is checked
 * for its own key only.
 */
final class HashedDays {
  static final int MAX_CHOICES = 1024;
  static final int MAX_CASES = 4096;

  private final String text;
  private final CronParser.Parsed parsed;
  private final Map<Field, List<CronParser.Hashed>> byField = new EnumMap<>(Field.class);
  private final Map<Field, List<Choice>> choices = new EnumMap<>(Field.class);
  private final Map<Field, Choice> picked = new EnumMap<>(Field.class);

  /** One way the H terms of a field can draw: the values the field then matches, and the draws. */
  private record Choice(long mask, List<Term> draws) {}

  private HashedDays(String text, CronParser.Parsed parsed) {
    this.text = text;
    this.parsed = parsed;
    for (CronParser.Hashed hashed : parsed.hashed()) {
      if (hashed.field() != Field.DAY_OF_WEEK || weekdayMatters(parsed)) {
        byField.computeIfAbsent(hashed.field(), f -> new ArrayList<>()).add(hashed);
      }
    }
  }

  /**
   * Whether which weekdays an {@code H} in day-of-week draws can decide if the expression fires.
   * Not when the days are OR-ed (any weekday comes every month), nor when they are AND-ed with days
   * of the month that depend on the month's length only: every weekday falls on each such day in
   * some year. Only {@code LW} and {@code nW} depend on the weekdays themselves.
   */
  private static boolean weekdayMatters(CronParser.Parsed parsed) {
    return !parsed.orDays()
        && parsed.terms().get(Field.DAY_OF_MONTH).stream()
            .anyMatch(
                t -> t.kind() == Term.Kind.LAST_WEEKDAY || t.kind() == Term.Kind.NEAREST_WEEKDAY);
  }

  /**
   * Throws if some key makes the expression never fire.
   *
   * @throws CronSyntaxException naming the first {@code H} and the draws that never fire
   */
  static void check(String text, CronParser.Parsed parsed) {
    if (parsed.hashed().isEmpty()) {
      return;
    }
    String known = parsed.dialect() + " " + text.strip();
    if (PASSED.contains(known)) {
      return;
    }
    new HashedDays(text, parsed).check();
    if (PASSED.size() >= PASSED_LIMIT) {
      PASSED.clear(); // a crude bound: a few thousand distinct expressions are checked again
    }
    PASSED.add(known);
  }

  /**
   * Expressions (dialect and text) found to fire whatever the key, so a job's trigger read again
   * (every read from a database store parses it, with the job's id) is not tried again: the tries
   * cost up to about 150 us for {@code H H H H *} (measured once on this machine kind), against
   * about 10 us for the parse itself. Refusals are not kept: they throw every time.
   */
  private static final java.util.Set<String> PASSED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static final int PASSED_LIMIT = 4096;

  /** Whether the expression is known to fire whatever the key (for tests). */
  static boolean passed(CronDialect dialect, String text) {
    return PASSED.contains(dialect + " " + text.strip());
  }

  private void check() {
    if (byField.isEmpty()) {
      return;
    }
    long cases = 1;
    for (Field field : byField.keySet()) {
      List<Choice> smallest = smallest(field);
      if (smallest == null || (cases *= smallest.size()) > MAX_CASES) {
        return;
      }
      choices.put(field, smallest);
    }
    tryAll(new ArrayList<>(choices.keySet()));
  }

  /** The field's smallest ways to draw, or null when there are too many to try. */
  private List<Choice> smallest(Field field) {
    List<Term> fixed = new ArrayList<>(parsed.terms().get(field));
    byField.get(field).forEach(h -> fixed.set(h.index(), null));
    fixed.removeIf(Objects::isNull);
    List<Choice> smallest = List.of(new Choice(CronFields.mask(field, fixed), List.of()));
    for (CronParser.Hashed hashed : byField.get(field)) {
      List<Choice> next = new ArrayList<>();
      for (Choice choice : smallest) {
        for (Term draw : hashed.draws()) {
          List<Term> draws = new ArrayList<>(choice.draws());
          draws.add(draw);
          next.add(new Choice(choice.mask() | CronFields.mask(field, List.of(draw)), draws));
        }
      }
      if (next.size() > MAX_CHOICES) {
        return null;
      }
      smallest = minimal(next);
    }
    return smallest;
  }

  /** The choices whose masks contain no other's (the first of equal ones). */
  private static List<Choice> minimal(List<Choice> choices) {
    List<Choice> bySize = new ArrayList<>(choices);
    bySize.sort(java.util.Comparator.comparingInt(c -> Long.bitCount(c.mask())));
    List<Choice> kept = new ArrayList<>();
    for (Choice choice : bySize) {
      if (kept.stream().noneMatch(k -> (k.mask() & ~choice.mask()) == 0)) {
        kept.add(choice);
      }
    }
    return kept;
  }

  private void tryAll(List<Field> fields) {
    if (picked.size() == fields.size()) {
      tryPicked();
      return;
    }
    Field field = fields.get(picked.size());
    for (Choice choice : choices.get(field)) {
      picked.put(field, choice);
      tryAll(fields);
    }
    picked.remove(field);
  }

  private void tryPicked() {
    Map<Field, List<Term>> terms = new EnumMap<>(parsed.terms());
    for (Map.Entry<Field, Choice> entry : picked.entrySet()) {
      List<Term> replaced = new ArrayList<>(terms.get(entry.getKey()));
      for (CronParser.Hashed hashed : byField.get(entry.getKey())) {
        replaced.set(hashed.index(), draw(hashed));
      }
      terms.put(entry.getKey(), replaced);
    }
    try {
      new CronFields(
          text, new CronParser.Parsed(parsed.dialect(), terms, parsed.orDays(), null, List.of()));
    } catch (CronSyntaxException never) {
      throw neverFires(never);
    }
  }

  private Term draw(CronParser.Hashed hashed) {
    return picked.get(hashed.field()).draws().get(byField.get(hashed.field()).indexOf(hashed));
  }

  private CronSyntaxException neverFires(CronSyntaxException never) {
    List<String> drawn = new ArrayList<>();
    CronParser.Hashed first = null;
    for (CronParser.Hashed hashed : parsed.hashed()) {
      if (byField.getOrDefault(hashed.field(), List.of()).contains(hashed)) {
        drawn.add("'" + hashed.piece() + "' draws " + values(hashed.field(), draw(hashed)));
        first = first == null ? hashed : first;
      }
    }
    return new CronSyntaxException(
        text,
        first.field().label,
        first.column(),
        "for some keys (job ids) " + CronDescriber.join(drawn, "and") + ", and " + never.reason());
  }

  /** The values a drawn term stands for, in words: "30", "February", "Monday and Thursday". */
  private static String values(Field field, Term draw) {
    long mask = CronFields.mask(field, List.of(draw));
    List<String> names = new ArrayList<>();
    for (int v = Bits.next(mask, 0); v >= 0; v = Bits.next(mask, v + 1)) {
      names.add(
          switch (field) {
            case MONTH -> CronDescriber.monthName(v);
            case DAY_OF_WEEK -> CronDescriber.dayName(v);
            default -> String.valueOf(v);
          });
    }
    return CronDescriber.join(names, "and");
  }
}
