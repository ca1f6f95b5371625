package dev.chime;

/** A job's state. */
public enum JobState {
  /** Fires as its trigger says. */
  ACTIVE,
  /** Does not fire until resumed; occurrences meanwhile go through the misfire policy. */
  PAUSED,
  /** Will not fire again: its trigger ran out, it reached max runs or its end time. */
  FINISHED
}
