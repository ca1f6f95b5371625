package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.RunId;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chime logs RUN_ID}: what a run logged (the tail of its output), and its error. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Print a run's output (the tail the server keeps) and its error.")
final class LogsCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id (a number).")
  String runId;

  LogsCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    RunId id;
    try {
      id = RunId.parse(runId);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError("RUN_ID: " + e.getMessage());
    }
    ApiClient.Reply reply = api().get(API + "/runs/" + id);
    if (printedJson(reply)) {
      return Main.OK;
    }
    print(reply.json(), out());
    return Main.OK;
  }

  private void print(JsonNode run, PrintWriter out) {
    String log = output(run);
    out.println(
        "== "
            + RunWatch.describe(run)
            + ": "
            + Fields.state(run)
            + ", scheduled for "
            + Fields.time(run, "scheduledFor", zone()));
    if (log.isEmpty()) {
      out.println("(no output)");
    } else {
      out.print(log.endsWith("\n") ? log : log + "\n");
    }
    if (Fields.text(run, "reason") != null) {
      out.println("reason: " + Fields.text(run, "reason"));
    }
    if (Fields.text(run, "error") != null) {
      out.println("error: " + Fields.text(run, "error"));
    }
  }

  /** The output tail: {@code output} (command jobs) and the handler's {@code log}. */
  private static String output(JsonNode run) {
    StringBuilder text = new StringBuilder();
    for (String field : new String[] {"output", "log"}) {
      String part = Fields.text(run, field);
      if (part != null && !part.isEmpty()) {
        text.append(text.isEmpty() || text.toString().endsWith("\n") ? "" : "\n").append(part);
      }
    }
    return text.toString();
  }
}
