package dev.chime.cli;

import dev.chime.cron.CronExpression;
import dev.chime.cron.DstPolicy;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code chime cron explain}: the expression in plain English, its dialect and DST policy. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Explain a cron expression in plain English, with its next fire times.")
final class CronExplainCommand implements Callable<Integer> {
  private static final int UPCOMING = 3;

  private final Main.Environment environment;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin CronOptions cron;

  CronExplainCommand(Main.Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    CronExpression expression = cron.parse();
    ZoneId zone = cron.zone(environment);
    PrintWriter out = spec.commandLine().getOut();
    out.println(expression.describe());
    out.println("dialect:    " + expression.dialect().name().toLowerCase(Locale.ROOT));
    out.println("dst policy: " + policy(expression.effectiveDstPolicy()));
    out.println("zone:       " + zone.getId());
    ZonedDateTime now = ZonedDateTime.now(environment.clock().withZone(zone));
    printUpcoming(out, expression, now);
    return Main.OK;
  }

  private void printUpcoming(PrintWriter out, CronExpression expression, ZonedDateTime now) {
    List<ZonedDateTime> times = expression.upcoming(now, UPCOMING);
    if (times.isEmpty()) {
      throw cron.neverFires(now); // after the description: it says what the expression means
    }
    for (int i = 0; i < times.size(); i++) {
      out.println(
          (i == 0 ? "next:       " : "            ") + CronNextCommand.ISO.format(times.get(i)));
    }
  }

  private static String policy(DstPolicy policy) {
    return policy == DstPolicy.WALL_CLOCK
        ? "wall-clock (a time skipped by DST runs at the end of the gap; a repeated time runs once)"
        : "instant (runs at every real instant that matches: none in a DST gap, twice in an overlap)";
  }
}
