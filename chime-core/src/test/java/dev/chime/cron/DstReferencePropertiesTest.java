package dev.chime.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The engine against {@link BruteForce} over generated minute-level expressions, in UTC and in
 * zones with awkward transitions, from instants that are often right next to a transition.
 */
class DstReferencePropertiesTest {
  private static final List<String> ZONES =
      List.of(
          "UTC",
          "America/New_York",
          "Europe/Berlin",
          "Africa/Cairo",
          "America/Sao_Paulo",
          "America/Santiago",
          "Australia/Lord_Howe",
          "Pacific/Apia");
  private static final Instant FROM = Instant.parse("1990-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2060-01-01T00:00:00Z");

  record Case(CronExpression cron, ZoneId zone, Instant start) {
    @Override
    public String toString() {
      return "'"
          + cron.text()
          + "' ["
          + cron.effectiveDstPolicy()
          + "] in "
          + zone
          + " after "
          + start;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> expressions =
        Combinators.combine(
                timeField(0, 59),
                timeField(0, 23),
                Arbitraries.of("*", "*", "1-20", "*/2", "13"),
                Arbitraries.of("*", "*", "*", "1-5", "0,6", "3"))
            .as((m, h, dom, dow) -> m + " " + h + " " + dom + " * " + dow);
    Arbitrary<DstPolicy> policies = Arbitraries.of(DstPolicy.values());
    Arbitrary<String> zones = Arbitraries.of(ZONES);
    Arbitrary<Integer> picks = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<Integer> shifts = Arbitraries.integers().between(-2 * 86_400, 2 * 86_400);
    return Combinators.combine(expressions, policies, zones, picks, shifts)
        .as(
            (text, policy, zone, pick, shift) -> {
              ZoneId id = ZoneId.of(zone);
              Instant start = nearTransition(id, pick).plusSeconds(shift);
              return new Case(CronExpression.parse(text).withDstPolicy(policy), id, start);
            });
  }

  private static Arbitrary<String> timeField(int min, int max) {
    Arbitrary<Integer> value = Arbitraries.integers().between(min, max);
    return Arbitraries.oneOf(
        Arbitraries.just("*"),
        value.map(String::valueOf),
        Combinators.combine(value, value).as((a, b) -> a + "," + b),
        Combinators.combine(value, value).as((a, b) -> Math.min(a, b) + "-" + Math.max(a, b)),
        Arbitraries.integers().between(2, (max + 1) / 2).map(n -> "*/" + n));
  }

  /** Half the time a transition of the zone between 1990 and 2060, else any instant. */
  private static Instant nearTransition(ZoneId zone, int pick) {
    List<ZoneOffsetTransition> transitions = transitions(zone);
    if (transitions.isEmpty() || pick % 2 == 0) {
      long span = TO.getEpochSecond() - FROM.getEpochSecond();
      return FROM.plusSeconds((long) ((pick / (double) Integer.MAX_VALUE) * span));
    }
    return transitions.get((pick / 2) % transitions.size()).getInstant();
  }

  private static List<ZoneOffsetTransition> transitions(ZoneId zone) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffsetTransition> list = new ArrayList<>();
    for (ZoneOffsetTransition t = rules.nextTransition(FROM);
        t != null && t.getInstant().isBefore(TO);
        t = rules.nextTransition(t.getInstant())) {
      list.add(t);
    }
    return list;
  }

  private static Instant reference(Case c, Instant after) {
    return c.cron().effectiveDstPolicy() == DstPolicy.WALL_CLOCK
        ? BruteForce.nextWallClock(c.cron(), after, c.zone())
        : BruteForce.nextInstant(c.cron(), after, c.zone());
  }

  @Property(tries = 400)
  void nextAgreesWithTheBruteForceReference(@ForAll("cases") Case c) {
    Instant after = c.start();
    for (int i = 0; i < 4; i++) {
      Instant next = c.cron().next(after, c.zone()).orElseThrow();
      assertThat(next).as("%s, step %d", c, i).isAfter(after).isEqualTo(reference(c, after));
      after = next;
    }
  }

  @Property(tries = 400)
  void previousAndNextAreInverse(@ForAll("cases") Case c) {
    Instant next = c.cron().next(c.start(), c.zone()).orElseThrow();
    Instant previousOfNext = c.cron().previous(next, c.zone()).orElseThrow();
    assertThat(previousOfNext).as("%s", c).isBefore(next).isBeforeOrEqualTo(c.start());
    Instant previous = c.cron().previous(c.start(), c.zone()).orElseThrow();
    assertThat(previous).as("%s", c).isBefore(c.start());
    assertThat(c.cron().next(previous, c.zone()).orElseThrow())
        .as("%s", c)
        .isAfterOrEqualTo(c.start());
  }

  @Property(tries = 200)
  void epochSecondsAgreeWithInstants(@ForAll("cases") Case c) {
    long next = c.cron().nextEpochSecond(c.start().getEpochSecond(), c.zone());
    assertThat(Instant.ofEpochSecond(next)).isEqualTo(c.cron().next(c.start(), c.zone()).get());
    long previous = c.cron().previousEpochSecond(c.start().getEpochSecond(), c.zone());
    assertThat(Instant.ofEpochSecond(previous))
        .isEqualTo(c.cron().previous(c.start(), c.zone()).get());
  }

  /** A fixed-time expression fires exactly once per local day for each time it lists. */
  @Property(tries = 60)
  void fixedTimesFireOncePerLocalDayThroughEveryTransition(
      @ForAll @IntRange(min = 0, max = 59) int minute,
      @ForAll @IntRange(min = 0, max = 23) int hour,
      @ForAll("zoneIds") String zone,
      @ForAll @IntRange(min = 2000, max = 2040) int year) {
    CronExpression cron = CronExpression.parse(minute + " " + hour + " * * *");
    ZoneId id = ZoneId.of(zone);
    for (ZoneOffsetTransition t : transitions(id)) {
      if (t.getInstant().atZone(id).getYear() != year) {
        continue;
      }
      LocalDate day = t.getDateTimeBefore().toLocalDate();
      ZonedDateTime at = day.minusDays(1).atStartOfDay(id);
      for (int d = 0; d < 3; d++) {
        LocalDate expected = day.minusDays(1).plusDays(d);
        at = cron.next(at).orElseThrow();
        // Apia 2011-12-30 never happened: its occurrence fired as the clock jumped past it.
        LocalDate fired = at.toLocalDate();
        assertThat(fired.equals(expected) || fired.equals(expected.plusDays(1)))
            .as("%s fired %s for %s in %s", cron, at, expected, zone)
            .isTrue();
      }
    }
  }

  @Provide
  Arbitrary<String> zoneIds() {
    return Arbitraries.of(ZONES);
  }
}
