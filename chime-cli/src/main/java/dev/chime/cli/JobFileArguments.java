package dev.chime.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code FILE...} and {@code --owner FILE} of {@code plan} and {@code apply}. */
final class JobFileArguments {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Job files (YAML or JSON).")
  List<Path> files;

  @Option(
      names = "--owner",
      paramLabel = "FILE",
      description =
          "The job file whose jobs the one FILE holds (owner file:FILE); needed for a FILE read"
              + " from a pipe (/dev/stdin, <(...)). Default: FILE itself.")
  Path owner;

  /** The files' jobs, each file with its owner. */
  List<JobFiles.Desired> read() {
    return JobFiles.read(files, owner);
  }
}
