package dev.chime.cron;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** The quartz dialect against Quartz 2.5's CronExpression over generated expressions. */
class DifferentialQuartzTest extends DifferentialTestBase {

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> dom = DiffSupport.daysOfMonth();
    Arbitrary<String> dow = DiffSupport.daysOfWeek(1, "L");
    Arbitrary<String> days =
        Arbitraries.oneOf(
            Combinators.combine(dom, DiffSupport.numeric(1, 12, "*"))
                .as((d, m) -> d + " " + m + " ?"),
            Combinators.combine(DiffSupport.numeric(1, 12, "*"), dow)
                .as((m, w) -> "? " + m + " " + w));
    Arbitrary<String> year =
        Arbitraries.of("", "", "", " *", " 2030-2040", " 2026,2035,2044", " 2031/3");
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just("0"), DiffSupport.numeric(0, 59, "*")),
            DiffSupport.numeric(0, 59, "*"),
            DiffSupport.numeric(0, 23, "*"),
            days,
            year)
        .as((s, m, h, d, y) -> s + " " + m + " " + h + " " + d + y);
  }

  /** Found by CI: Quartz has four fifth Sundays of February before its cut-off, we have more. */
  @Example
  void quartzRunningOutIsExplained() {
    agreesWithQuartz("0 0 0 ? 2 1#5", Instant.parse("2000-01-01T00:00:00Z"), ZoneId.of("UTC"));
  }

  @Property(tries = 1000)
  void agreesWithQuartz(
      @ForAll("expressions") String text,
      @ForAll("starts") Instant start,
      @ForAll("zones") ZoneId zone) {
    org.quartz.CronExpression quartz;
    try {
      quartz = new org.quartz.CronExpression(text);
      quartz.setTimeZone(TimeZone.getTimeZone(zone));
    } catch (ParseException e) {
      Statistics.label("outcome").collect("quartz rejects");
      return;
    }
    List<Instant> theirs = DiffSupport.sequence(start, t -> quartzNext(quartz, t));
    List<Instant> ours = DiffSupport.chimeOrNone(text, CronDialect.QUARTZ, start, zone);
    DiffSupport.judge("quartz", text, zone, start, ours, theirs, DifferentialQuartzTest::bugs);
  }

  /** Quartz 2.5.0 only ever drops fires for these; a time it adds is never excused. */
  private static Optional<DiffSupport.Divergence> bugs(
      String text, List<Instant> ours, List<Instant> theirs) {
    String dom = text.split(" ")[3];
    boolean ranOut =
        theirs.size() < DiffSupport.STEPS
            && ours.size() > theirs.size()
            && ours.subList(0, theirs.size()).equals(theirs)
            && ours.get(theirs.size()).atZone(java.time.ZoneOffset.UTC).getYear() > 2100;
    if (ranOut) {
      return Optional.of(DiffSupport.Divergence.QUARTZ_GIVES_UP_AFTER_A_CENTURY);
    }
    if (!DiffSupport.onlyDropped(ours, theirs)) {
      return Optional.empty();
    }
    if (dom.contains("L")) {
      return Optional.of(DiffSupport.Divergence.QUARTZ_LAST_DAY_SKIPS_SHORT_MONTHS);
    }
    if (dom.matches("\\d+W")) {
      return Optional.of(DiffSupport.Divergence.QUARTZ_NEAREST_WEEKDAY_MOVING_FORWARD);
    }
    return Optional.empty();
  }

  private static Optional<Instant> quartzNext(org.quartz.CronExpression quartz, Instant t) {
    return Optional.ofNullable(quartz.getTimeAfter(Date.from(t))).map(Date::toInstant);
  }
}
