package dev.chime.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** One captured run of the CLI with a fixed clock: exit code, stdout lines and stderr. */
record CliRun(int code, List<String> lines, String err) {
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  static CliRun of(String... args) {
    return in(ZoneOffset.UTC, args);
  }

  static CliRun in(ZoneId systemZone, String... args) {
    return run(new Main.Environment(Clock.fixed(NOW, ZoneOffset.UTC), systemZone), args);
  }

  /** With environment variables (CHIME_SERVER, CHIME_TOKEN) and the fixed clock. */
  static CliRun with(Map<String, String> variables, String... args) {
    return run(
        new Main.Environment(Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC, variables, false),
        args);
  }

  static CliRun run(Main.Environment environment, String... args) {
    return run(environment, new StringWriter(), args);
  }

  /** With stderr going to {@code err}, which another thread may read while the command runs. */
  static CliRun run(Main.Environment environment, StringWriter err, String... args) {
    StringWriter out = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), environment);
    return new CliRun(code, out.toString().lines().toList(), err.toString());
  }

  /** Stdout as one text. */
  String out() {
    return String.join("\n", lines);
  }
}
