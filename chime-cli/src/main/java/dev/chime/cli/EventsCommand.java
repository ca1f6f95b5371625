package dev.chime.cli;

import picocli.CommandLine.Command;

/** {@code chime events}: events that trigger jobs. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Publish events to the jobs triggered by them.",
    subcommands = {EventsPublishCommand.class})
final class EventsCommand {}
