package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.spec.Values;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chime jobs run ID [--wait]}: runs a job now, and with --wait follows the run to its end.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Run a job now and print the run's state, with the reason when it was skipped: exit 0, or 1",
      "if it was skipped. With --wait, follow the run (progress on stderr) and exit with its",
      "outcome: 0 succeeded; 1 failed, timed out, cancelled or skipped, or the wait timed out."
    })
final class JobsRunCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  @Option(names = "--force", description = "Run even if the overlap policy would not.")
  boolean force;

  @Option(names = "--wait", description = "Follow the run until it ends.")
  boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "With --wait: give up after this long (30s, 15m, PT1H). Default: no limit.")
  String timeout;

  JobsRunCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    Duration limit = limit();
    ApiClient.Reply reply = api().post(job(id, "/run" + (force ? "?force=true" : "")), "{}");
    JsonNode run = reply.json();
    if (!wait) {
      if (!printedJson(reply)) {
        out().println(RunWatch.status(run));
      }
      // A skip is decided when the run is asked for (overlap, a paused job), so it is this
      // command's outcome, as with --wait; a run that started may end either way later.
      return "skipped".equals(Fields.state(run)) ? Main.FAILED : Main.OK;
    }
    JsonNode last = new RunWatch(api(), environment, err(), limit).follow(run);
    if (!printedJson(last)) {
      out().println(RunWatch.outcome(last, environment.clock().instant()));
    }
    return RunWatch.succeeded(last) ? Main.OK : Main.FAILED;
  }

  private Duration limit() {
    if (timeout == null) {
      return null;
    }
    if (!wait) {
      throw new Main.UsageError("--timeout: only with --wait");
    }
    Duration limit;
    try {
      limit = Values.duration(timeout);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError("--timeout: " + e.getMessage());
    }
    if (limit.isZero() || limit.isNegative()) {
      throw new Main.UsageError("--timeout: must be positive, was " + timeout);
    }
    return limit;
  }
}
