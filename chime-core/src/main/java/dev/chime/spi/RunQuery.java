package dev.chime.spi;

import dev.chime.JobId;
import dev.chime.RunState;
import java.util.Objects;
import java.util.Set;

/**
 * Which recorded runs {@link JobStore#runs(RunQuery)} returns, newest first, a page at a time.
 *
 * @param job only this job's runs, or null for every job's
 * @param states only runs in these states; empty for any state
 * @param limit the most runs in one page, 1-{@value #MAX_LIMIT}
 * @param before only runs with a smaller id (the previous page's {@link RunPage#nextCursor}), or
 *     null for the newest
 */
public record RunQuery(JobId job, Set<RunState> states, int limit, Long before) {
  /** The largest page. */
  public static final int MAX_LIMIT = 10_000;

  /** Validates every part and names the bad one. */
  public RunQuery {
    states = Set.copyOf(Objects.requireNonNull(states, "states must not be null (empty: any)"));
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", was " + limit);
    }
    if (before != null && before < 1) {
      throw new IllegalArgumentException("before must be a positive run id, was " + before);
    }
  }
}
