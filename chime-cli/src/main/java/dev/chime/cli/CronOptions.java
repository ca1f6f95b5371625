package dev.chime.cli;

import dev.chime.cron.CronDialect;
import dev.chime.cron.CronExpression;
import dev.chime.cron.CronSyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The expression and the options every cron subcommand shares. */
final class CronOptions {
  @Parameters(index = "0", paramLabel = "EXPR", description = "The cron expression (quote it).")
  String expression;

  @Option(
      names = "--dialect",
      paramLabel = "unix|spring|quartz",
      description = "Default: by field count (5 = unix, 6 = spring).")
  String dialect;

  @Option(names = "--key", paramLabel = "KEY", description = "Key that seeds H fields (a job id).")
  String key;

  @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone. Default: the system's.")
  String zone;

  CronExpression parse() {
    try {
      return CronExpression.parse(expression, dialect(), key);
    } catch (CronSyntaxException e) {
      throw new Main.UsageError("invalid cron expression '" + expression + "': " + e.getMessage());
    }
  }

  /**
   * The expression's years are over (or past what the search covers): as good as never firing, an
   * invalid expression by the CLI contract.
   */
  Main.UsageError neverFires(ZonedDateTime after) {
    return new Main.UsageError(
        "'" + expression + "' never fires after " + CronNextCommand.ISO.format(after));
  }

  ZoneId zone(Main.Environment environment) {
    if (zone == null) {
      return environment.systemZone();
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new Main.UsageError(
          "--zone: '" + zone + "' is not a time zone (use a region such as Europe/Berlin, or UTC)");
    }
  }

  private CronDialect dialect() {
    if (dialect == null) {
      return null;
    }
    try {
      return CronDialect.valueOf(dialect.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError(
          "--dialect: '" + dialect + "' is not a dialect (unix, spring or quartz)");
    }
  }
}
