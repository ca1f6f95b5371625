package dev.chime.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** The spring dialect against Spring Framework 7's CronExpression over generated expressions. */
class DifferentialSpringTest extends DifferentialTestBase {

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> dom = DiffSupport.daysOfMonth("?");
    Arbitrary<String> dow = DiffSupport.daysOfWeek(0, "?");
    Arbitrary<String> days =
        Arbitraries.oneOf(
            dom.map(d -> d + " * *"),
            dow.map(w -> "* * " + w),
            Combinators.combine(dom, DiffSupport.numeric(1, 12, "*"), dow)
                .as((d, m, w) -> d + " " + m + " " + w));
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just("0"), DiffSupport.numeric(0, 59, "*")),
            DiffSupport.numeric(0, 59, "*"),
            DiffSupport.numeric(0, 23, "*"),
            days)
        .as((s, m, h, d) -> s + " " + m + " " + h + " " + d);
  }

  @Property(tries = 1000)
  void agreesWithSpring(
      @ForAll("expressions") String text,
      @ForAll("starts") Instant start,
      @ForAll("zones") ZoneId zone) {
    org.springframework.scheduling.support.CronExpression spring;
    try {
      spring = org.springframework.scheduling.support.CronExpression.parse(text);
    } catch (IllegalArgumentException e) {
      // Spring rejects some expressions it cannot satisfy; so must we, or we must fire.
      Statistics.label("outcome").collect("spring rejects");
      Statistics.label("rejected").collect(text.split(" ")[3] + " / " + text.split(" ")[5]);
      return;
    }
    List<Instant> theirs = DiffSupport.sequence(start, t -> springNext(spring, t, zone));
    List<Instant> ours = DiffSupport.chimeOrNone(text, CronDialect.SPRING, start, zone);
    DiffSupport.judge("spring", text, zone, start, ours, theirs, DifferentialSpringTest::bugs);
  }

  private static Optional<DiffSupport.Divergence> bugs(
      String text, List<Instant> ours, List<Instant> theirs) {
    String dom = text.split(" ")[3];
    if (dom.matches("L-(2[89]|30)")) {
      return Optional.of(DiffSupport.Divergence.SPRING_LAST_DAY_OFFSET_IN_SHORT_MONTH);
    }
    if (dom.matches("(1|2[89]|3[01])W")) {
      return Optional.of(DiffSupport.Divergence.SPRING_NEAREST_WEEKDAY_LEAVES_THE_MONTH);
    }
    if (text.split(" ")[5].matches("(.*,)?7-7(/\\d+)?(,.*)?")) {
      return Optional.of(DiffSupport.Divergence.SPRING_SUNDAY_RANGE_7_7);
    }
    return Optional.empty();
  }

  private static Optional<Instant> springNext(
      org.springframework.scheduling.support.CronExpression spring, Instant t, ZoneId zone) {
    ZonedDateTime next = spring.next(t.atZone(zone));
    return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
  }
}
