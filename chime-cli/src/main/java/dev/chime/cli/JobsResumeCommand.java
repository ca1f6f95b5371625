package dev.chime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chime jobs resume ID}: lets a paused job fire again. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Resume a paused job.")
final class JobsResumeCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  JobsResumeCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    ApiClient.Reply reply = api().post(job(id, "/resume"), "{}");
    if (!printedJson(reply)) {
      out().println("resumed job " + id);
    }
    return Main.OK;
  }
}
