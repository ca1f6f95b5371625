package dev.chime.cli;

import picocli.CommandLine.Command;

/** {@code chime jobs}: the jobs of a Chime server. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "List, show, run, pause, resume and delete the jobs of a Chime server.",
    subcommands = {
      JobsListCommand.class,
      JobsShowCommand.class,
      JobsRunCommand.class,
      JobsPauseCommand.class,
      JobsResumeCommand.class,
      JobsDeleteCommand.class
    })
final class JobsCommand {}
