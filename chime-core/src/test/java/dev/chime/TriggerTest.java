package dev.chime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.cron.CronDialect;
import dev.chime.cron.DstPolicy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TriggerTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  private static List<Instant> fires(Trigger trigger, Instant from, int count) {
    List<Instant> fires = new ArrayList<>();
    Instant at = from;
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = trigger.nextAfter(at);
      if (next.isEmpty()) {
        break;
      }
      at = next.get();
      fires.add(at);
    }
    return fires;
  }

  @Test
  void onceFiresOnceStrictlyAfter() {
    Trigger once = Trigger.once(T0);
    assertThat(once.nextAfter(T0.minusSeconds(1))).contains(T0);
    assertThat(once.nextAfter(T0)).isEmpty();
    assertThat(fires(once, Instant.EPOCH, 3)).containsExactly(T0);
  }

  @Test
  void fixedRateIsAGridFromTheStart() {
    Trigger.Interval every15 = Trigger.every(Duration.ofMinutes(15));
    assertThat(every15.nextAfter(Instant.parse("2026-11-24T12:07:30Z")))
        .contains(Instant.parse("2026-11-24T12:15:00Z"));
    assertThat(every15.nextAfter(Instant.parse("2026-11-24T12:15:00Z")))
        .contains(Instant.parse("2026-11-24T12:30:00Z"));
    Trigger.Interval offset = every15.startingAt(Instant.parse("2026-11-24T12:05:00Z"));
    assertThat(fires(offset, Instant.parse("2026-11-24T00:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-11-24T12:05:00Z"),
            Instant.parse("2026-11-24T12:20:00Z"),
            Instant.parse("2026-11-24T12:35:00Z"));
  }

  @Test
  void fixedDelayCountsFromWhenTheRunFinished() {
    Trigger.Interval delay = Trigger.every(Duration.ofSeconds(30)).fixedDelay().startingAt(T0);
    assertThat(delay.mode()).isEqualTo(Trigger.Interval.Mode.FIXED_DELAY);
    assertThat(delay.nextAfter(T0.minusSeconds(5))).contains(T0);
    Instant finished = T0.plusMillis(12_345);
    assertThat(delay.nextAfter(finished)).contains(finished.plusSeconds(30));
  }

  @Test
  void intervalsEnd() {
    Trigger.Interval bounded =
        Trigger.every(Duration.ofHours(1)).startingAt(T0).endingAt(T0.plus(Duration.ofHours(2)));
    assertThat(fires(bounded, T0.minusSeconds(1), 10))
        .containsExactly(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
  }

  @Test
  void jitterIsBoundedAndDeterministic() {
    Trigger.Interval jittered =
        Trigger.every(Duration.ofMinutes(1)).startingAt(T0).withJitter(Duration.ofSeconds(10));
    List<Instant> first = fires(jittered, T0.minusSeconds(1), 50);
    assertThat(first).isEqualTo(fires(jittered, T0.minusSeconds(1), 50));
    long distinct =
        first.stream()
            .map(t -> Duration.between(T0, t).toNanos() % 60_000_000_000L)
            .distinct()
            .count();
    assertThat(distinct).as("jitter spreads fires").isGreaterThan(10);
    for (int i = 0; i < first.size(); i++) {
      Instant grid = T0.plus(Duration.ofMinutes(i));
      assertThat(first.get(i)).isBetween(grid, grid.plusSeconds(10));
    }
  }

  @Test
  void aJitteredFireIsNotSkippedWhenAskedBetweenItsGridPointAndItself() {
    Trigger.Interval jittered =
        Trigger.every(Duration.ofMinutes(1)).startingAt(T0).withJitter(Duration.ofSeconds(10));
    List<Instant> fires = fires(jittered, T0.minusSeconds(1), 50);
    int delayed = 0;
    for (int i = 0; i < fires.size(); i++) {
      Instant grid = T0.plus(Duration.ofMinutes(i));
      Instant fire = fires.get(i);
      assertThat(jittered.nextAfter(fire.minusNanos(1)))
          .as("just before fire %d", i)
          .contains(fire);
      if (fire.isAfter(grid)) {
        delayed++;
        assertThat(jittered.nextAfter(grid)).as("at grid point %d", i).contains(fire);
      }
    }
    assertThat(delayed).as("fires the jitter delays").isGreaterThan(40);
  }

  @Test
  void aCronThatSomeJobIdWouldNeverFireIsRefusedWhenTheTriggerIsMade() {
    assertThatThrownBy(() -> Trigger.cron("0 0 H(29-31) 2 *", NEW_YORK))
        .isInstanceOf(dev.chime.cron.CronSyntaxException.class)
        .hasMessage(
            "day-of-month: for some keys (job ids) 'H(29-31)' draws 30, and 30 never occurs in"
                + " February; the expression can never fire (column 5)");
    assertThatThrownBy(() -> Trigger.cron("0 0 30 2 *", NEW_YORK))
        .isInstanceOf(dev.chime.cron.CronSyntaxException.class)
        .hasMessage("day-of-month: 30 never occurs in February; the expression can never fire");
  }

  @Test
  void intervalRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> Trigger.every(Duration.ZERO))
        .hasMessage("period must be positive, was PT0S");
    assertThatThrownBy(() -> Trigger.every(Duration.ofSeconds(-1)))
        .hasMessage("period must be positive, was PT-1S");
    assertThatThrownBy(() -> Trigger.every(Duration.ofMinutes(1)).startingAt(T0).endingAt(T0))
        .hasMessage("end must be after start 2026-11-24T12:00:00Z, was 2026-11-24T12:00:00Z");
    assertThatThrownBy(() -> Trigger.every(Duration.ofMinutes(1)).withJitter(Duration.ofMinutes(1)))
        .hasMessage("jitter must be at least zero and shorter than the period PT1M, was PT1M");
    assertThatThrownBy(() -> Trigger.every(null)).hasMessage("period must not be null");
  }

  @Test
  void instantsAndPeriodsOutsideWhatStoresHoldAreRefusedNamingThePart() {
    Instant far = Instant.parse("+300000-01-01T00:00:00Z");
    String range = " must be 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, was ";
    assertThatThrownBy(() -> Trigger.once(far)).hasMessage("at" + range + far);
    assertThatThrownBy(() -> Trigger.once(Instant.parse("0000-12-31T23:59:59Z")))
        .hasMessage("at" + range + "0000-12-31T23:59:59Z");
    assertThat(Trigger.once(Job.LATEST).at()).isEqualTo(Job.LATEST);
    assertThat(Trigger.once(Job.EARLIEST).at()).isEqualTo(Job.EARLIEST);
    Trigger.Interval minute = Trigger.every(Duration.ofMinutes(1));
    assertThatThrownBy(() -> minute.startingAt(far)).hasMessage("start" + range + far);
    assertThatThrownBy(() -> minute.endingAt(Instant.parse("-999999999-01-01T00:00:00Z")))
        .hasMessage("end" + range + "-999999999-01-01T00:00:00Z");
    assertThatThrownBy(() -> Trigger.every(Job.LONGEST.plusSeconds(1)))
        .hasMessage("period must be at most 36500 days (100 years), was PT876000H1S");
    assertThat(Trigger.every(Job.LONGEST).period()).isEqualTo(Job.LONGEST);
  }

  @Test
  void cronIsReadInItsZone() {
    Trigger.Cron nightly = Trigger.cron("30 2 * * *", NEW_YORK);
    assertThat(nightly.nextAfter(Instant.parse("2026-03-07T17:00:00Z")))
        .contains(Instant.parse("2026-03-08T07:00:00Z")); // 03:00 EDT: the gap's end
    Trigger.Cron skipping = nightly.withDstPolicy(DstPolicy.INSTANT);
    assertThat(skipping.nextAfter(Instant.parse("2026-03-07T17:00:00Z")))
        .contains(Instant.parse("2026-03-09T06:30:00Z"));
    Trigger.Cron quartz = Trigger.cron("0 0 12 ? * 6L", CronDialect.QUARTZ, ZoneId.of("UTC"));
    assertThat(quartz.nextAfter(T0)).contains(Instant.parse("2026-11-27T12:00:00Z"));
  }

  @Test
  void dailyAndWeeklyShorthandsUseWallClockTime() {
    Trigger.Cron daily = Trigger.dailyAt(LocalTime.of(2, 30), NEW_YORK);
    assertThat(daily.expression().effectiveDstPolicy()).isEqualTo(DstPolicy.WALL_CLOCK);
    assertThat(fires(daily, Instant.parse("2026-03-07T17:00:00Z"), 2))
        .containsExactly(
            Instant.parse("2026-03-08T07:00:00Z"), Instant.parse("2026-03-09T06:30:00Z"));
    Trigger.Cron weekly =
        Trigger.weeklyOn(DayOfWeek.SUNDAY, LocalTime.of(4, 0, 30), ZoneId.of("UTC"));
    assertThat(weekly.nextAfter(T0)).contains(Instant.parse("2026-11-29T04:00:30Z"));
    assertThatThrownBy(() -> Trigger.weeklyOn(null, LocalTime.NOON, NEW_YORK))
        .hasMessage("day must not be null");
  }

  @Test
  void dailyAndWeeklyRefuseAFractionOfASecondRatherThanDropIt() {
    LocalTime fraction = LocalTime.of(8, 0, 30, 500_000_000);
    String message = "time must be a whole second (cron fires at whole seconds), was 08:00:30.500";
    assertThatThrownBy(() -> Trigger.dailyAt(fraction, NEW_YORK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Trigger.weeklyOn(DayOfWeek.MONDAY, fraction, NEW_YORK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Trigger.dailyAt(LocalTime.of(8, 0, 0, 1), NEW_YORK))
        .hasMessage(
            "time must be a whole second (cron fires at whole seconds), was 08:00:00.000000001");
    assertThat(Trigger.dailyAt(LocalTime.of(8, 0, 30), ZoneId.of("UTC")).nextAfter(T0))
        .contains(Instant.parse("2026-11-25T08:00:30Z"));
  }

  @Test
  void afterWaitsForJobsAndIsNotTimeBased() {
    Trigger.After after = Trigger.after(JobId.of("extract"), JobId.of("load"));
    assertThat(after.jobs()).containsExactlyInAnyOrder(JobId.of("extract"), JobId.of("load"));
    assertThat(after.outcome()).isEqualTo(Trigger.After.Outcome.SUCCESS);
    assertThat(after.on(Trigger.After.Outcome.COMPLETION).outcome())
        .isEqualTo(Trigger.After.Outcome.COMPLETION);
    assertThat(after.nextAfter(T0)).isEmpty();
    assertThatThrownBy(() -> new Trigger.After(Set.of(), Trigger.After.Outcome.FAILURE))
        .hasMessage("after needs at least one job");
  }

  @Test
  void anyFiresAtTheEarliestChildAndAllAtTheLatest() {
    Trigger a = Trigger.once(T0.plusSeconds(10));
    Trigger b = Trigger.once(T0.plusSeconds(20));
    assertThat(Trigger.any(a, b).nextAfter(T0)).contains(T0.plusSeconds(10));
    assertThat(Trigger.any(a, b).nextAfter(T0.plusSeconds(10))).contains(T0.plusSeconds(20));
    assertThat(Trigger.all(a, b).nextAfter(T0)).contains(T0.plusSeconds(20));
    assertThat(Trigger.all(a, b).nextAfter(T0.plusSeconds(10))).isEmpty();
    assertThat(Trigger.any(a, b).nextAfter(T0.plusSeconds(20))).isEmpty();
    assertThatThrownBy(() -> Trigger.any(a)).hasMessage("any needs at least two triggers, was 1");
    assertThatThrownBy(() -> Trigger.all(a, null)).hasMessage("all: a trigger must not be null");
  }

  @Test
  void triggersAreValues() {
    assertThat(Trigger.cron("0 3 * * *", NEW_YORK)).isEqualTo(Trigger.cron("0 3 * * *", NEW_YORK));
    assertThat(Trigger.every(Duration.ofMinutes(5)))
        .isEqualTo(Trigger.every(Duration.ofMinutes(5)))
        .isNotEqualTo(Trigger.every(Duration.ofMinutes(5)).fixedDelay());
  }

  @Test
  void withHashKeyKeysTheCronTriggersInsideAnyAndAllAndLeavesTheRest() {
    java.time.ZoneOffset utc = java.time.ZoneOffset.UTC;
    Trigger once = Trigger.once(Instant.parse("2030-01-01T00:00:00Z"));
    Trigger.Any tree =
        Trigger.any(
            once, Trigger.all(Trigger.cron("H H * * *", utc), Trigger.cron("0 3 * * *", utc)));
    Trigger.Any keyed = tree.withHashKey("backup");
    Trigger.All all = (Trigger.All) keyed.triggers().get(1);
    assertThat(((Trigger.Cron) all.triggers().get(0)).expression().hashKey()).isEqualTo("backup");
    assertThat(all.triggers().get(1))
        .isSameAs(((Trigger.All) tree.triggers().get(1)).triggers().get(1));
    assertThat(keyed.triggers().get(0)).isSameAs(once);
    Trigger plain = Trigger.any(once, Trigger.cron("0 3 * * *", utc));
    assertThat(plain.withHashKey("backup")).as("nothing to key").isSameAs(plain);
    assertThat(once.withHashKey("backup")).isSameAs(once);
  }
}
