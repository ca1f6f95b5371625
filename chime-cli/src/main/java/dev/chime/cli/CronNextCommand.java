package dev.chime.cli;

import dev.chime.cron.CronExpression;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chime cron next}: upcoming fire times, one per line. */
@Command(
    name = "next",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Print the next fire times, strictly after --from, one ISO-8601 time per line.")
final class CronNextCommand implements Callable<Integer> {
  /** Always shows seconds; UTC prints as Z. */
  static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXXXX");

  /**
   * A fire time: as {@link #ISO}, with a fraction of a second only when there is one (an interval
   * of 500ms fires between seconds; a cron time never does).
   */
  static final DateTimeFormatter FIRE =
      new java.time.format.DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
          .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendPattern("XXXXX")
          .toFormatter(java.util.Locale.ROOT);

  static final int MAX_COUNT = 10_000;

  private final Main.Environment environment;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin CronOptions cron;

  @Option(
      names = "--from",
      paramLabel = "DATETIME",
      description = "Local (read in --zone), offset or zoned date-time, or a date. Default: now.")
  String from;

  @Option(names = "--count", paramLabel = "N", description = "How many (1-10000). Default: 5.")
  int count = 5;

  CronNextCommand(Main.Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    if (count < 1 || count > MAX_COUNT) {
      throw new Main.UsageError("--count: must be 1-" + MAX_COUNT + ", was " + count);
    }
    CronExpression expression = cron.parse();
    ZoneId zone = cron.zone(environment);
    PrintWriter out = spec.commandLine().getOut();
    ZonedDateTime start = start(zone);
    java.util.List<ZonedDateTime> times = expression.upcoming(start, count);
    if (times.isEmpty()) {
      throw cron.neverFires(start);
    }
    times.forEach(time -> out.println(ISO.format(time)));
    return Main.OK;
  }

  private ZonedDateTime start(ZoneId zone) {
    if (from == null) {
      return ZonedDateTime.now(environment.clock().withZone(zone));
    }
    try {
      if (from.length() == 10) {
        return LocalDate.parse(from).atStartOfDay(zone);
      }
      if (from.endsWith("]")) {
        return ZonedDateTime.parse(from).withZoneSameInstant(zone);
      }
      if (from.endsWith("Z") || from.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return OffsetDateTime.parse(from).atZoneSameInstant(zone);
      }
      return LocalDateTime.parse(from).atZone(zone);
    } catch (DateTimeParseException e) {
      throw new Main.UsageError(
          "--from: '"
              + from
              + "' is not a date-time (use 2026-03-07T12:00, 2026-03-07T12:00:00-05:00,"
              + " 2026-03-07T12:00:00-05:00[America/New_York] or 2026-03-07)");
    } catch (DateTimeException e) {
      throw new Main.UsageError("--from: '" + from + "' is out of range in " + zone.getId());
    }
  }
}
