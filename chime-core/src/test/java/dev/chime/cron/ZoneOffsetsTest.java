package dev.chime.cron;

import static dev.chime.cron.CronTestSupport.next;
import static dev.chime.cron.CronTestSupport.previous;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The offsets the cron search reads are java.time's ZoneRules', however far from today. */
class ZoneOffsetsTest {
  private static final int[] FAR_YEARS = {2399, 2400, 2401, 2488, 2489, 2500, 2801, 6000, 9998};

  @Test
  void newYorkKeepsDaylightSavingTimeIn2500() {
    // 2500-03-14: 02:00 EST jumps to 03:00 EDT; 2500-11-07: 02:00 EDT falls back to 01:00 EST.
    CronExpression daily = CronExpression.parse("30 2 * * *");
    assertThat(next(daily, "America/New_York", "2500-03-13T12:00", 2))
        .containsExactly("2500-03-14T03:00:00-04:00", "2500-03-15T02:30:00-04:00");
    assertThat(
            next(CronExpression.parse("*/30 1 * * *"), "America/New_York", "2500-11-07T00:00", 5))
        .containsExactly(
            "2500-11-07T01:00:00-04:00",
            "2500-11-07T01:30:00-04:00",
            "2500-11-07T01:00:00-05:00",
            "2500-11-07T01:30:00-05:00",
            "2500-11-08T01:00:00-05:00");
    assertThat(previous(daily, "America/New_York", "2500-07-04T12:00", 1))
        .containsExactly("2500-07-04T02:30:00-04:00");
  }

  @Test
  void localMeanTimeBefore1850IsTheZonesOwn() {
    // Manila kept American dates until it skipped 1844-12-31: 1844-12-30 at -15:56:08 (local mean
    // time) was followed by 1845-01-01 at +08:03:52. London kept -00:01:15 until 1847-12-01.
    CronExpression noon = CronExpression.parse("0 12 * * *");
    assertThat(withSeconds(noon.upcoming(local("1844-12-29T13:00", "Asia/Manila"), 3)))
        .containsExactly(
            "1844-12-30T12:00:00-15:56:08",
            "1845-01-01T00:00:00+08:03:52",
            "1845-01-01T12:00:00+08:03:52");
    assertThat(withSeconds(noon.upcoming(local("1840-06-01T00:00", "Europe/London"), 1)))
        .containsExactly("1840-06-01T12:00:00-00:01:15");
    ZonedDateTime evening = local("1847-12-01T18:00", "Europe/London");
    ZonedDateTime today = noon.previous(evening).orElseThrow();
    assertThat(withSeconds(List.of(today, noon.previous(today).orElseThrow())))
        .containsExactly("1847-12-01T12:00:00Z", "1847-11-30T12:00:00-00:01:15");
  }

  @Test
  void everyZoneThatChangedOffsetBefore1850FiresByItsOwnClock() {
    Instant from = Instant.parse("1700-01-01T00:00:00Z");
    CronExpression noon = CronExpression.parse("0 12 * * *");
    int zones = 0;
    for (String id : ZoneId.getAvailableZoneIds()) {
      ZoneId zone = ZoneId.of(id);
      ZoneRules rules = zone.getRules();
      if (rules.getOffset(from).equals(rules.getOffset(Instant.parse("1850-01-01T00:00:00Z")))) {
        continue;
      }
      zones++;
      ZonedDateTime sameDay = from.atZone(zone).toLocalDate().atTime(12, 0).atZone(zone);
      Instant expected =
          (sameDay.toInstant().isAfter(from) ? sameDay : sameDay.plusDays(1)).toInstant();
      assertThat(noon.next(from, zone)).as(id).contains(expected);
    }
    assertThat(zones).as("zones with an offset of their own before 1850").isGreaterThan(5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Asia/Gaza",
        "Pacific/Apia"
      })
  void farFutureTransitionsAreTheZoneRules(String id) {
    ZoneId zone = ZoneId.of(id);
    ZoneRules rules = zone.getRules();
    CronExpression halfHours = CronExpression.parse("*/30 * * * *");
    for (int year : FAR_YEARS) {
      Instant yearStart = LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
      assertThat(halfHours.next(yearStart, zone))
          .as("%s %d", id, year)
          .contains(BruteForce.nextInstant(halfHours, yearStart, zone));
      for (ZoneOffsetTransition t : transitionsIn(rules, year)) {
        Instant from = t.getInstant().minusSeconds(2 * 3600);
        List<Instant> fires = upcoming(halfHours, from, zone, 8);
        assertThat(fires).as("%s at %s", id, t).isEqualTo(bruteForce(halfHours, from, zone, 8));
        for (int i = 1; i < fires.size(); i++) {
          assertThat(halfHours.previous(fires.get(i), zone)).contains(fires.get(i - 1));
        }
        CronExpression atTheChange =
            atLocalTime((t.isGap() ? t.getDateTimeBefore() : t.getDateTimeAfter()).plusMinutes(15));
        Instant dayBefore = t.getInstant().minusSeconds(86_400);
        assertThat(atTheChange.next(dayBefore, zone))
            .as("%s %s at %s", id, atTheChange, t)
            .contains(BruteForce.nextWallClock(atTheChange, dayBefore, zone));
      }
    }
  }

  private static ZonedDateTime local(String dateTime, String zone) {
    return LocalDateTime.parse(dateTime).atZone(ZoneId.of(zone));
  }

  /** ISO-8601, with the seconds of an offset (local mean time) that CronTestSupport leaves out. */
  private static List<String> withSeconds(List<ZonedDateTime> times) {
    return times.stream().map(DateTimeFormatter.ISO_OFFSET_DATE_TIME::format).toList();
  }

  private static CronExpression atLocalTime(LocalDateTime local) {
    return CronExpression.parse(local.getMinute() + " " + local.getHour() + " * * *");
  }

  private static List<ZoneOffsetTransition> transitionsIn(ZoneRules rules, int year) {
    List<ZoneOffsetTransition> transitions = new ArrayList<>();
    Instant end = LocalDateTime.of(year + 1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    ZoneOffsetTransition t =
        rules.nextTransition(LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC));
    while (t != null && t.getInstant().isBefore(end)) {
      transitions.add(t);
      t = rules.nextTransition(t.getInstant());
    }
    return transitions;
  }

  private static List<Instant> upcoming(CronExpression cron, Instant from, ZoneId zone, int n) {
    List<Instant> fires = new ArrayList<>();
    for (Instant at = from; fires.size() < n; ) {
      at = cron.next(at, zone).orElseThrow();
      fires.add(at);
    }
    return fires;
  }

  private static List<Instant> bruteForce(CronExpression cron, Instant from, ZoneId zone, int n) {
    List<Instant> fires = new ArrayList<>();
    for (Instant at = from; fires.size() < n; ) {
      at = BruteForce.nextInstant(cron, at, zone);
      fires.add(at);
    }
    return fires;
  }
}
