package dev.chime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime jobs pause ID [--note TEXT]}: stops a job firing until it is resumed. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Pause a job: it does not fire until resumed; its missed occurrences are skipped.")
final class JobsPauseCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  @Option(names = "--note", paramLabel = "TEXT", description = "Why it is paused (shown with it).")
  String note;

  JobsPauseCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    String body = ApiClient.JSON.createObjectNode().put("note", note).toString();
    ApiClient.Reply reply = api().post(job(id, "/pause"), body);
    if (!printedJson(reply)) {
      out().println("paused job " + id + (note == null ? "" : " (" + note + ")"));
    }
    return Main.OK;
  }
}
