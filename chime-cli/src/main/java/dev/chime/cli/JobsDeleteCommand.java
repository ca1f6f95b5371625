package dev.chime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chime jobs delete ID}: removes a job (its run history stays). */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Delete a job.")
final class JobsDeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  JobsDeleteCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    ApiClient.Reply reply = api().delete(job(id, ""));
    if (!printedJson(reply)) {
      out().println("deleted job " + id);
    }
    return Main.OK;
  }
}
