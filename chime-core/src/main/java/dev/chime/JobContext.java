package dev.chime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a running handler knows and can report: which run it is, its parameters, whether it should
 * stop, and a log, progress and result that go into the run's record.
 */
public interface JobContext {
  /** The job. */
  JobId jobId();

  /** This run. */
  RunId runId();

  /** The occurrence this run is for (for a retry, the original occurrence). */
  Instant scheduledFor();

  /** 1 for the first try, 2 for the first retry... */
  int attempt();

  /** The job's parameters. */
  Map<String, Object> params();

  /**
   * The published event this run is for (its job's trigger is {@link Trigger#onEvent}), or empty
   * for a run that no event started.
   */
  default Optional<Event> event() {
    return Optional.empty();
  }

  /**
   * Whether the run should stop: it was cancelled, replaced, timed out, or the scheduler is
   * shutting down. Long handlers should check it; blocking calls are interrupted as well.
   */
  boolean isCancelled();

  /** Appends a line to the run's log (the newest {@value Run#LOG_LIMIT} characters are kept). */
  void log(String line);

  /** Reports progress: 0-100 percent and what is happening. */
  void progress(int percent, String message);

  /** Sets the run's result: a JSON-friendly value (string, number, boolean, list or map). */
  void result(Object value);
}
