package dev.chime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ordered stages of jobs: the jobs of a stage run in parallel; the next stage starts when every job
 * of the stage has ended. With {@code failFast}, a failure (after its retries) ends the pipeline at
 * once: the stage's other jobs are cancelled and the later stages skipped; otherwise the later
 * stages still run and the pipeline ends as failed. A scheduler that shuts down ends its running
 * pipelines as cancelled.
 *
 * {@snippet :
 * Pipeline etl = Pipeline.of("nightly-etl", List.of(
 *     List.of(JobId.of("extract-orders"), JobId.of("extract-users")),
 *     List.of(JobId.of("transform")),
 *     List.of(JobId.of("load"))));
 * }
 *
 * @param id the pipeline's id: letters, digits and {@code . _ - :}
 * @param stages the stages in order, each a non-empty list of jobs; a job appears once
 * @param failFast whether a failure skips the later stages
 */
public record Pipeline(String id, List<List<JobId>> stages, boolean failFast) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

  /** Validates every part and names the bad one. */
  public Pipeline {
    Objects.requireNonNull(id, "pipeline id must not be null");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "pipeline id '" + id + "' must be 1-100 letters, digits or . _ : -");
    }
    Objects.requireNonNull(stages, "stages must not be null");
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + id + " needs at least one stage");
    }
    List<List<JobId>> copy = new ArrayList<>();
    Set<JobId> seen = new HashSet<>();
    for (List<JobId> stage : stages) {
      if (stage == null || stage.isEmpty()) {
        throw new IllegalArgumentException(
            "pipeline " + id + ": stage " + (copy.size() + 1) + " has no jobs");
      }
      for (JobId job : stage) {
        if (!seen.add(Objects.requireNonNull(job, "pipeline " + id + ": a job is null"))) {
          throw new IllegalArgumentException(
              "pipeline " + id + ": job " + job + " appears more than once");
        }
      }
      copy.add(List.copyOf(stage));
    }
    stages = List.copyOf(copy);
  }

  /** A fail-fast pipeline. */
  public static Pipeline of(String id, List<List<JobId>> stages) {
    return new Pipeline(id, stages, true);
  }

  /** This pipeline running its later stages after a failure. */
  public Pipeline continueOnFailure() {
    return new Pipeline(id, stages, false);
  }
}
