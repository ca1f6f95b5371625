package dev.chime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.cron.CronExpression;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cron text that Chime writes (the daily and weekly shorthands) and cron descriptions do not depend
 * on the JVM's default locale: under a locale whose digits are not ASCII ("%d" of 5 is "٥" for
 * ar-EG with the JDK's CLDR data) the shorthands once built cron text their own parser refused.
 */
class LocaleIndependenceTest {
  private static final Locale ARABIC_EGYPT = Locale.forLanguageTag("ar-EG");
  private Locale before;

  @BeforeEach
  void arabicDigitsByDefault() {
    before = Locale.getDefault(Locale.Category.FORMAT);
    Locale.setDefault(Locale.Category.FORMAT, ARABIC_EGYPT);
    // The premise: without this, the test below could not fail.
    assertThat("%d".formatted(5)).isNotEqualTo("5");
  }

  @AfterEach
  void restore() {
    Locale.setDefault(Locale.Category.FORMAT, before);
  }

  @Test
  void theShorthandsFireAtTheirTimes() {
    ZoneId utc = ZoneId.of("UTC");
    Instant from = Instant.parse("2026-12-03T00:00:00Z");
    Trigger.Cron daily = Trigger.dailyAt(LocalTime.of(9, 30, 15), utc);
    assertThat(daily.expression().next(from, utc)).contains(Instant.parse("2026-12-03T09:30:15Z"));
    Trigger.Cron weekly = Trigger.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(8, 5), utc);
    assertThat(weekly.expression().next(from, utc)).contains(Instant.parse("2026-12-07T08:05:00Z"));
  }

  @Test
  void descriptionsUseAsciiDigits() {
    assertThat(CronExpression.parse("30 9 * * mon-fri").describe())
        .isEqualTo("At 09:30, Monday through Friday");
    assertThat(CronExpression.parse("*/15 8-17 1-10/3 * *").describe()).matches("[ -~]+");
  }
}
