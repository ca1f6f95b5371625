package dev.chime.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Job files (YAML or JSON).")
  List<Path> files;

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
    List<JobFiles.Desired> desired = JobFiles.read(files);
    List<JobFiles.Step> steps =
        JobFiles.plan(api(), desired, environment.clock().instant(), zone());
    if (!printedJson(JobFiles.json(steps, null))) {
      JobFiles.print(out(), steps, prune);
    }
    return Main.OK;
  }
}
