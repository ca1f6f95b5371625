package dev.chime.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** One captured run of the CLI with a fixed clock: exit code, stdout lines and stderr. */
record CliRun(int code, List<String> lines, String err) {
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  static CliRun of(String... args) {
    return in(ZoneOffset.UTC, args);
  }

  static CliRun in(ZoneId systemZone, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            new PrintWriter(out),
            new PrintWriter(err),
            Clock.fixed(NOW, ZoneOffset.UTC),
            systemZone);
    return new CliRun(code, out.toString().lines().toList(), err.toString());
  }
}
