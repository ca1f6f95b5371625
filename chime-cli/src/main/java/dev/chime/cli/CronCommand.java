package dev.chime.cli;

import picocli.CommandLine.Command;

/** {@code chime cron}: offline questions about cron expressions. */
@Command(
    name = "cron",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Answer questions about cron expressions, offline.",
    subcommands = {CronNextCommand.class, CronExplainCommand.class})
final class CronCommand {}
