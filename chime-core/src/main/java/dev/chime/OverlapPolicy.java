package dev.chime;

/**
 * What happens when a job is due while earlier runs of it are still running: with fewer than {@code
 * maxConcurrent} running a new run starts; otherwise the mode decides. A retry, and a run-all
 * catch-up run, is not a new run: it waits for a place whatever the mode (never skipped, never
 * beside more runs than {@code maxConcurrent}), though under {@link Mode#REPLACE} a newer
 * occurrence supersedes a retry that has not started. A run now with {@code force} ignores the
 * policy: it neither waits nor replaces anything.
 *
 * @param mode what to do at the limit
 * @param maxConcurrent how many runs of the job may run at once, 1-1000
 * @param queueLimit for {@link Mode#QUEUE}: how many runs may wait (1 = buffer one)
 */
public record OverlapPolicy(Mode mode, int maxConcurrent, int queueLimit) {
  /** The most runs of one job at once. */
  public static final int MAX_CONCURRENT = 1000;

  /** The most queued runs of one job. */
  public static final int MAX_QUEUE = 10_000;

  /** One at a time; a run due meanwhile is skipped (recorded with the reason). The default. */
  public static final OverlapPolicy SKIP = new OverlapPolicy(Mode.SKIP, 1, 0);

  /** What to do when the limit is reached. */
  public enum Mode {
    /** No limit: every run starts. */
    ALLOW,
    /** The new run is skipped and recorded as skipped (overlap). */
    SKIP,
    /** The new run waits, up to the queue limit; beyond it, skipped. */
    QUEUE,
    /**
     * The oldest running run is cancelled and the new one starts as soon as that run's code returns
     * (at once if it had not started). When every running run was told to stop already, a newer run
     * cancels the replacement still waiting and takes its turn: the newest wins.
     *
     * <p>The newest wins over retries too: a new run, below the limit as well, supersedes every
     * retry of an older occurrence that has not started (waiting out its backoff, or for its turn),
     * so none runs after it. Each is recorded as cancelled, "replaced by run N", with its attempt
     * number, and its occurrence ends there (its dependents hear it was cancelled). A run of an
     * older occurrence that goes on beside the new one (a retry that is running, or any run below
     * the limit) is a running run like any other: the limit decides; but should it fail, the retry
     * it would get is superseded the same way, recorded cancelled without running.
     */
    REPLACE
  }

  /** Validates every part and names the bad one. */
  public OverlapPolicy {
    if (mode == null) {
      throw new IllegalArgumentException("overlap mode must not be null");
    }
    if (mode == Mode.ALLOW) {
      maxConcurrent = MAX_CONCURRENT;
    }
    if (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT) {
      throw new IllegalArgumentException(
          "maxConcurrent must be 1-" + MAX_CONCURRENT + ", was " + maxConcurrent);
    }
    if (mode == Mode.QUEUE ? queueLimit < 1 || queueLimit > MAX_QUEUE : queueLimit != 0) {
      throw new IllegalArgumentException(
          mode == Mode.QUEUE
              ? "queue limit must be 1-" + MAX_QUEUE + ", was " + queueLimit
              : "a queue limit only applies to the queue mode, was " + queueLimit);
    }
  }

  /** Every due run starts, however many are running. */
  public static OverlapPolicy allow() {
    return new OverlapPolicy(Mode.ALLOW, MAX_CONCURRENT, 0);
  }

  /** Up to {@code maxConcurrent} at once; more are skipped. */
  public static OverlapPolicy skip(int maxConcurrent) {
    return new OverlapPolicy(Mode.SKIP, maxConcurrent, 0);
  }

  /** Up to {@code maxConcurrent} at once; up to {@code queueLimit} more wait their turn. */
  public static OverlapPolicy queue(int maxConcurrent, int queueLimit) {
    return new OverlapPolicy(Mode.QUEUE, maxConcurrent, queueLimit);
  }

  /**
   * Up to {@code maxConcurrent} at once; a new run cancels the oldest running one, and supersedes
   * older occurrences' retries that have not started (see {@link Mode#REPLACE}).
   */
  public static OverlapPolicy replace(int maxConcurrent) {
    return new OverlapPolicy(Mode.REPLACE, maxConcurrent, 0);
  }
}
