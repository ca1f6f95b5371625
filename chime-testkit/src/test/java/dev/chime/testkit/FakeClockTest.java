package dev.chime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void movesOnlyWhenTold() {
    FakeClock clock = FakeClock.at("2026-03-08T06:59:00Z");
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-08T06:59:00Z"));
    assertThat(clock.instant()).isEqualTo(clock.instant());
    assertThat(clock.advance(Duration.ofMinutes(1)))
        .isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    clock.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    assertThat(clock.advance(Duration.ofSeconds(-1)))
        .isEqualTo(Instant.parse("2029-12-31T23:59:59Z"));
  }

  @Test
  void zonedCopiesShareTheTime() {
    FakeClock utc = FakeClock.at("2026-03-08T06:59:00Z");
    FakeClock newYork = utc.withZone(ZoneId.of("America/New_York"));
    assertThat(utc.getZone()).isEqualTo(ZoneOffset.UTC);
    utc.advance(Duration.ofMinutes(1));
    assertThat(LocalTime.now(newYork)).isEqualTo(LocalTime.of(3, 0));
    assertThat(newYork.toString()).isEqualTo("FakeClock[2026-03-08T07:00:00Z, America/New_York]");
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> FakeClock.at((Instant) null)).hasMessage("instant");
    FakeClock clock = FakeClock.at("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> clock.set(null)).hasMessage("instant");
    assertThatThrownBy(() -> clock.advance(null)).hasMessage("duration");
    assertThatThrownBy(() -> clock.withZone(null)).hasMessage("zone");
  }
}
