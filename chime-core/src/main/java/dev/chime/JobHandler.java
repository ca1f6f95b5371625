package dev.chime;

/**
 * The code a job runs. Register it by name with {@link Scheduler#register}; a job refers to it by
 * that name, so stored jobs survive renaming the class. Throwing fails the run (the job's {@link
 * RetryPolicy} decides what happens next); returning succeeds it.
 */
@FunctionalInterface
public interface JobHandler {
  /** Runs one attempt of one occurrence. */
  void run(JobContext context) throws Exception;
}
