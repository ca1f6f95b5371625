package dev.chime.server.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
  @Test
  void readsEveryDurationForm() {
    assertThat(Values.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Values.duration("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Values.duration(" 2h ")).isEqualTo(Duration.ofHours(2));
    assertThat(Values.duration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Values.duration("PT15M")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Values.duration("P1DT2H")).isEqualTo(Duration.ofHours(26));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "15", "15 m", "1w", "P", "PTx", "-5s", "m", "99999999999999s"})
  void rejectsOtherDurationsSayingWhatIsExpected(String text) {
    assertThatThrownBy(() -> Values.duration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration: use 500ms, 30s, 15m, 2h, 7d");
  }

  @Test
  void readsSizes() {
    assertThat(Values.size("123")).isEqualTo(123);
    assertThat(Values.size("64KB")).isEqualTo(64_000);
    assertThat(Values.size("500mb")).isEqualTo(500_000_000);
    assertThat(Values.size("2GiB")).isEqualTo(2L << 30);
    assertThat(Values.size("1 TiB")).isEqualTo(1L << 40);
    assertThat(Values.size("3B")).isEqualTo(3);
  }

  @Test
  void rejectsBadSizes() {
    assertThatThrownBy(() -> Values.size("lots")).hasMessageContaining("is not a size");
    assertThatThrownBy(() -> Values.size("-1MB")).hasMessageContaining("is not a size");
    assertThatThrownBy(() -> Values.size("999999999999999TB")).hasMessageContaining("too large");
    assertThatThrownBy(() -> Values.size(null)).hasMessageContaining("a size is required");
    assertThatThrownBy(() -> Values.duration(null)).hasMessageContaining("a duration is required");
  }
}
