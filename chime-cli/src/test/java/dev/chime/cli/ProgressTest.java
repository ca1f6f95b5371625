package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final StringWriter err = new StringWriter();

  private Progress progress(boolean terminal, int total, boolean plain) {
    Main.Environment environment =
        new Main.Environment(Clock.systemUTC(), ZoneOffset.UTC, Map.of(), terminal);
    return Progress.of(environment, new PrintWriter(err), "applying", total, plain);
  }

  @Test
  void onATerminalOneLineIsRedrawnInPlaceAndClearedAtTheEnd() {
    try (Progress progress = progress(true, 3, false)) {
      for (int i = 0; i < 3; i++) {
        progress.step();
      }
    }
    String first = "applying [######..............] 1/3";
    assertThat(err.toString())
        .isEqualTo(
            "\r"
                + first
                + "\rapplying [#############.......] 2/3"
                + "\rapplying [####################] 3/3"
                + "\r"
                + " ".repeat(first.length())
                + "\r");
  }

  @Test
  void onATerminalTheLineIsRedrawnOncePerPercent() {
    try (Progress progress = progress(true, 3000, false)) {
      for (int i = 0; i < 3000; i++) {
        progress.step();
      }
    }
    assertThat(err.toString().chars().filter(c -> c == '\r').count())
        .isEqualTo(101 + 2); // 0% to 100%, and the clearing
    assertThat(err.toString()).contains("\rapplying [####################] 3000/3000\r");
  }

  @Test
  void elsewhereLongWorkGetsAPlainLineEachTenthAndShortWorkNone() {
    try (Progress progress = progress(false, 1000, true)) {
      for (int i = 0; i < 1000; i++) {
        progress.step();
      }
    }
    assertThat(err.toString().lines())
        .hasSize(10)
        .startsWith("applying: 100 of 1000", "applying: 200 of 1000")
        .endsWith("applying: 1000 of 1000");
    StringWriter quiet = new StringWriter();
    for (boolean plain : new boolean[] {true, false}) {
      int total = plain ? Progress.PLAIN_FROM - 1 : 1000;
      Main.Environment environment =
          new Main.Environment(Clock.systemUTC(), ZoneOffset.UTC, Map.of(), false);
      try (Progress progress =
          Progress.of(environment, new PrintWriter(quiet), "applying", total, plain)) {
        for (int i = 0; i < total; i++) {
          progress.step();
        }
      }
    }
    assertThat(quiet.toString()).isEmpty();
  }
}
