package dev.chime.testkit;

import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunState;
import java.time.Instant;
import org.assertj.core.api.AbstractAssert;

/** AssertJ entry points for Chime's values: {@code assertThat(run).hasState(SUCCEEDED)}. */
public final class ChimeAssertions {
  private ChimeAssertions() {}

  /** Assertions on a run. */
  public static RunAssert assertThat(Run actual) {
    return new RunAssert(actual);
  }

  /** Assertions on a job. */
  public static JobAssert assertThat(JobInfo actual) {
    return new JobAssert(actual);
  }

  /** Assertions on a {@link Run}. */
  public static final class RunAssert extends AbstractAssert<RunAssert, Run> {
    RunAssert(Run actual) {
      super(actual, RunAssert.class);
    }

    /** The run is in the state. */
    public RunAssert hasState(RunState expected) {
      isNotNull();
      if (actual.state() != expected) {
        failWithMessage(
            "expected run %s of %s to be %s but was %s (reason: %s, error: %s)",
            actual.id(), actual.jobId(), expected, actual.state(), actual.reason(), actual.error());
      }
      return this;
    }

    /** The run was skipped with a reason containing the text. */
    public RunAssert wasSkippedBecause(String text) {
      hasState(RunState.SKIPPED);
      if (actual.reason() == null || !actual.reason().contains(text)) {
        failWithMessage(
            "expected run %s to be skipped because of <%s> but the reason was <%s>",
            actual.id(), text, actual.reason());
      }
      return this;
    }

    /** The run is for the occurrence. */
    public RunAssert isFor(Instant occurrence) {
      isNotNull();
      if (!actual.scheduledFor().equals(occurrence)) {
        failWithMessage(
            "expected run %s to be for %s but it was for %s",
            actual.id(), occurrence, actual.scheduledFor());
      }
      return this;
    }

    /** The run is the attempt. */
    public RunAssert isAttempt(int attempt) {
      isNotNull();
      if (actual.attempt() != attempt) {
        failWithMessage(
            "expected run %s to be attempt %s but was %s", actual.id(), attempt, actual.attempt());
      }
      return this;
    }
  }

  /** Assertions on a {@link JobInfo}. */
  public static final class JobAssert extends AbstractAssert<JobAssert, JobInfo> {
    JobAssert(JobInfo actual) {
      super(actual, JobAssert.class);
    }

    /** The job is in the state. */
    public JobAssert hasState(JobState expected) {
      isNotNull();
      if (actual.state() != expected) {
        failWithMessage(
            "expected job %s to be %s but was %s", actual.id(), expected, actual.state());
      }
      return this;
    }

    /** The job fires next at the instant (null: never). */
    public JobAssert firesNextAt(Instant expected) {
      isNotNull();
      if (!java.util.Objects.equals(actual.nextFireAt(), expected)) {
        failWithMessage(
            "expected job %s to fire next at %s but it fires at %s",
            actual.id(), expected, actual.nextFireAt());
      }
      return this;
    }
  }
}
