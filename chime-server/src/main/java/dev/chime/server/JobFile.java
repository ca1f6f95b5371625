package dev.chime.server;

import dev.chime.Job;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.Scheduler;
import dev.chime.server.spec.JobSpecs;
import dev.chime.server.spec.Plan;
import dev.chime.server.spec.SpecError;
import dev.chime.server.spec.SpecException;
import java.nio.file.Path;
import java.util.List;

/**
 * Applies a job file at start-up: its jobs are owned by {@code file:PATH} (absolute, normalised);
 * the {@link Plan} adds, changes and removes (prunes) only this file's jobs, and a listed id that
 * another owner holds is an error. An invalid file is rejected whole, every error listed as {@code
 * file:line: field: message}.
 */
final class JobFile {
  private JobFile() {}

  /** Reads the file and applies it; throws {@link IllegalArgumentException} listing every error. */
  static Plan apply(Path file, Scheduler scheduler) {
    String owner = "file:" + file.toAbsolutePath().normalize();
    Plan plan;
    try {
      List<Job> desired = JobSpecs.read(file);
      List<Job> current = scheduler.list(JobQuery.ALL).stream().map(JobInfo::job).toList();
      plan = Plan.of(current, desired, owner, true);
    } catch (SpecException e) {
      throw new IllegalArgumentException(
          "the job file "
              + file
              + " is invalid ("
              + e.errors().size()
              + " error(s)):\n  "
              + String.join("\n  ", e.errors().stream().map(SpecError::toString).toList()),
          e);
    }
    for (Plan.Change change : plan.changes()) {
      switch (change.action()) {
        case ADD -> scheduler.schedule(change.after());
        case CHANGE -> scheduler.update(change.after());
        case REMOVE -> scheduler.delete(change.id());
        case KEEP -> {}
      }
    }
    return plan;
  }
}
