package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime runs JOB_ID [--limit N]}: a job's newest runs. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "List a job's newest runs, skipped ones with their reason.")
final class RunsCommand extends ClientCommand {
  static final int MAX_LIMIT = 1000;

  @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job's id.")
  String jobId;

  @Option(names = "--limit", paramLabel = "N", description = "How many (1-1000). Default: 20.")
  int limit = 20;

  @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state.")
  String state;

  RunsCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new Main.UsageError("--limit: must be 1-" + MAX_LIMIT + ", was " + limit);
    }
    String filter = state == null ? "" : "&state=" + ApiClient.segment(state);
    ApiClient.Reply reply = api().get(job(jobId, "/runs?limit=" + limit + filter));
    if (printedJson(reply)) {
      return Main.OK;
    }
    JsonNode runs = reply.json().path("items");
    if (runs.isEmpty()) {
      out().println("no runs of job " + jobId + (state == null ? " yet" : " in state " + state));
      return Main.OK;
    }
    table(runs).print(out());
    return Main.OK;
  }

  private Table table(JsonNode runs) {
    Instant now = environment.clock().instant();
    Table table =
        Table.of("RUN", "SCHEDULED FOR", "ATTEMPT", "STATE", "STARTED", "TOOK", "NODE", "NOTE");
    for (JsonNode run : runs) {
      String note = Fields.text(run, "error");
      table.row(
          Fields.text(run, "id"),
          Fields.time(run, "scheduledFor", zone()),
          Fields.text(run, "attempt"),
          Fields.state(run),
          Fields.time(run, "startedAt", zone()),
          Fields.duration(run, now),
          Fields.text(run, "node"),
          note == null ? Fields.text(run, "reason") : note);
    }
    return table;
  }
}
