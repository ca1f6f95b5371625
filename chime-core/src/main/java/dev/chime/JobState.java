package dev.chime;

/** A job's state. */
public enum JobState {
  /** Fires as its trigger says. */
  ACTIVE,
  /** Does not fire until resumed; occurrences meanwhile go through the misfire policy. */
  PAUSED,
  /**
   * Will not fire again: its trigger ran out, it reached max runs or its end time, and no attempt
   * of its runs is still to come. A job whose runs may retry finishes only when its last run ends
   * without a retry: until then it is {@link #ACTIVE} with no next fire time, and pausing it holds
   * a retry that falls due. (A job without retries finishes as its last occurrence fires.) A
   * finished job still runs when asked (run now, a pipeline stage): such a run that fails and is
   * retried makes the job active again, with no next fire time, until its last attempt ends ({@link
   * SchedulerEvent.Change#REOPENED}).
   */
  FINISHED
}
