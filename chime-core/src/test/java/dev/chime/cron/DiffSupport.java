package dev.chime.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * Generators and comparison shared by the differential tests against Quartz, Spring, cron-utils.
 */
final class DiffSupport {
  static final int STEPS = 20;
  static final List<String> ZONES =
      List.of("UTC", "UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe");

  /** Every way we knowingly differ from an oracle, with the reason. */
  enum Divergence {
    /** Our DstPolicy (cronie/Cronos rules) versus the oracle's own gap/overlap handling. */
    DST_TRANSITION_IN_WINDOW,
    /** Spring's L-n lands in the previous month when the month is shorter than n + 1 days. */
    SPRING_LAST_DAY_OFFSET_IN_SHORT_MONTH,
    /**
     * Spring's nW is not kept inside the month: 1W on a Saturday moves to the Friday before it,
     * 28W-31W on a Sunday (or past the month's end) move into the next month.
     */
    SPRING_NEAREST_WEEKDAY_LEAVES_THE_MONTH,
    /**
     * Spring reads the day-of-week range {@code 7-7} (Sunday to Sunday) as every day, and {@code
     * 7-7/2} as every other day; {@code 0-0}, {@code 7} and {@code 5-5} are read right.
     */
    SPRING_SUNDAY_RANGE_7_7,
    /**
     * Quartz 2.5.0's L, LW and L-n skip every month shorter than 31 days (L in Feb never fires).
     */
    QUARTZ_LAST_DAY_SKIPS_SHORT_MONTHS,
    /** Quartz stops answering past "current year + 100" (null from getTimeAfter); we go on. */
    QUARTZ_GIVES_UP_AFTER_A_CENTURY,
    /** Quartz 2.5.0 drops nW when day n is a Sunday and the nearest weekday is the Monday after. */
    QUARTZ_NEAREST_WEEKDAY_MOVING_FORWARD,
    /**
     * cronie ORs restricted day-of-month and day-of-week; cron-utils' UNIX definition does not
     * always (CronDialectTest pins cronie's rule).
     */
    CRON_UTILS_DAY_OR_RULE
  }

  private DiffSupport() {}

  static Arbitrary<String> value(int min, int max) {
    return Arbitraries.integers().between(min, max).map(String::valueOf);
  }

  /** *, a value, a list, a range, a step from *, a stepped range, and a/n, for [min, max]. */
  static Arbitrary<String> numeric(int min, int max, String starStep) {
    Arbitrary<Integer> v = Arbitraries.integers().between(min, max);
    Arbitrary<Integer> step = Arbitraries.integers().between(2, Math.max(2, (max - min + 1) / 2));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just("*")),
        net.jqwik.api.Tuple.of(4, v.map(String::valueOf)),
        net.jqwik.api.Tuple.of(
            2, Combinators.combine(v, v, v).as((a, b, c) -> a + "," + b + "," + c)),
        net.jqwik.api.Tuple.of(
            2, Combinators.combine(v, v).as((a, b) -> Math.min(a, b) + "-" + Math.max(a, b))),
        net.jqwik.api.Tuple.of(2, step.map(n -> starStep + "/" + n)),
        net.jqwik.api.Tuple.of(
            1,
            Combinators.combine(v, v, step)
                .as((a, b, n) -> Math.min(a, b) + "-" + Math.max(a, b) + "/" + n)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(v, step).as((a, n) -> a + "/" + n)));
  }

  /** Day-of-month terms with the Quartz specials: numbers, L, LW, L-n, nW, plus {@code extra}. */
  static Arbitrary<String> daysOfMonth(String... extra) {
    return Arbitraries.oneOf(
        numeric(1, 31, "*"),
        withExtra(extra, "L", "LW"),
        Arbitraries.integers().between(0, 30).map(n -> "L-" + n),
        Arbitraries.integers().between(1, 31).map(n -> n + "W"));
  }

  /**
   * Day-of-week terms: numbers from {@code min}, names, nL and n#k (n in 1-7), plus {@code extra}.
   */
  static Arbitrary<String> daysOfWeek(int min, String... extra) {
    Arbitrary<Integer> day = Arbitraries.integers().between(1, 7);
    return Arbitraries.oneOf(
        numeric(min, 7, "*"),
        withExtra(extra, "MON-FRI", "SAT,SUN", "TUE"),
        day.map(n -> n + "L"),
        Combinators.combine(day, Arbitraries.integers().between(1, 5)).as((d, k) -> d + "#" + k));
  }

  private static Arbitrary<String> withExtra(String[] extra, String... values) {
    List<String> all = new ArrayList<>(List.of(values));
    all.addAll(List.of(extra));
    return Arbitraries.of(all);
  }

  static Arbitrary<Instant> starts() {
    long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2045-01-01T00:00:00Z").getEpochSecond();
    return Arbitraries.longs().between(from, to).map(Instant::ofEpochSecond);
  }

  static Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES).map(ZoneId::of);
  }

  /** Up to {@link #STEPS} successive fire times from {@code next}, stopping when it runs out. */
  static List<Instant> sequence(Instant start, Function<Instant, Optional<Instant>> next) {
    List<Instant> times = new ArrayList<>();
    Instant at = start;
    for (int i = 0; i < STEPS; i++) {
      Optional<Instant> following = next.apply(at);
      if (following.isEmpty()) {
        break;
      }
      at = following.get();
      times.add(at);
    }
    return times;
  }

  static List<Instant> chime(CronExpression cron, Instant start, ZoneId zone) {
    return sequence(start, t -> cron.next(t, zone));
  }

  /** Whether the zone changes offset between the two instants (inclusive, a day either side). */
  static boolean transitionBetween(ZoneId zone, Instant from, Instant to) {
    ZoneOffsetTransition next = zone.getRules().nextTransition(from.minusSeconds(86_400));
    return next != null && !next.getInstant().isAfter(to.plusSeconds(86_400));
  }

  /** Whether every time in {@code theirs} up to our last one is also ours: they only dropped. */
  static boolean onlyDropped(List<Instant> ours, List<Instant> theirs) {
    Instant end = ours.isEmpty() ? Instant.MIN : ours.get(ours.size() - 1);
    return theirs.stream().filter(t -> !t.isAfter(end)).allMatch(ours::contains);
  }

  /** An oracle's known bugs: the divergence they explain, if any. */
  interface OracleBugs {
    Optional<Divergence> explain(String text, List<Instant> ours, List<Instant> theirs);
  }

  /** Our fire times, or none when we reject the expression as never firing. */
  static List<Instant> chimeOrNone(String text, CronDialect dialect, Instant start, ZoneId zone) {
    try {
      return chime(CronExpression.parse(text, dialect), start, zone);
    } catch (CronSyntaxException e) {
      return List.of();
    }
  }

  /**
   * Passes when both sequences agree, or when an oracle bug or a DST transition in the window
   * explains the difference (counted per rule in the statistics); fails otherwise.
   */
  static void judge(
      String oracle,
      String text,
      ZoneId zone,
      Instant start,
      List<Instant> ours,
      List<Instant> theirs,
      OracleBugs bugs) {
    if (ours.equals(theirs)) {
      Statistics.label("outcome").collect(ours.isEmpty() ? "both: never fires" : "agree");
      return;
    }
    Optional<Divergence> known = bugs.explain(text, ours, theirs);
    if (known.isEmpty() && transitionBetween(zone, start, last(ours, theirs, start))) {
      known = Optional.of(Divergence.DST_TRANSITION_IN_WINDOW);
    }
    Statistics.label("outcome")
        .collect(
            known
                .orElseThrow(
                    () ->
                        new AssertionError(
                            "'"
                                + text
                                + "' in "
                                + zone
                                + " after "
                                + start
                                + ":\n  chime "
                                + ours
                                + "\n  "
                                + oracle
                                + " "
                                + theirs))
                .name());
  }

  static Instant last(List<Instant> a, List<Instant> b, Instant start) {
    Instant last = start;
    for (Instant t : a) {
      last = t.isAfter(last) ? t : last;
    }
    for (Instant t : b) {
      last = t.isAfter(last) ? t : last;
    }
    return last;
  }
}
