package dev.chime.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chime plan FILE...}: what {@code chime apply} would change, with next fire times. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Show what applying the job files would change; changes nothing.",
      "Lists the jobs added, changed (which fields), removed and unchanged, with their next fire"
          + " times."
    })
final class PlanCommand extends ClientCommand {
  @Mixin JobFileArguments input;

  @Option(names = "--prune", description = "Plan as apply --prune would: remove what files drop.")
  boolean prune;

  @Mixin PluginsOption plugins;

  PlanCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    return plugins.around(this::run);
  }

  private Integer run() {
    List<JobFiles.Desired> desired = input.read();
    List<dev.chime.Job> current = JobFiles.current(this, desired);
    List<JobFiles.Step> steps =
        JobFiles.plan(desired, current, environment.clock().instant(), zone());
    if (!printedJson(JobFiles.json(steps, null))) {
      JobFiles.print(out(), steps, prune);
    }
    // What apply would refuse before any change: said here, exit 2, so a plan never looks clean.
    List<String> blockers = JobFiles.blockers(steps, current, prune);
    if (!blockers.isEmpty()) {
      throw new Main.UsageError(String.join("\n", blockers) + "; apply would change nothing");
    }
    return Main.OK;
  }
}
