package dev.chime;

import java.util.Locale;

/**
 * Which jobs {@link Scheduler#list} returns: all of them by default; each filter narrows.
 *
 * @param state only jobs in this state, or null for any
 * @param label only jobs with this label, or null for any
 * @param text only jobs whose id or handler contains this text (ignoring case), or null
 */
public record JobQuery(JobState state, String label, String text) {
  /** Every job. */
  public static final JobQuery ALL = new JobQuery(null, null, null);

  /** This query, narrowed to the state. */
  public JobQuery withState(JobState only) {
    return new JobQuery(only, label, text);
  }

  /** This query, narrowed to jobs with the label. */
  public JobQuery withLabel(String only) {
    return new JobQuery(state, only, text);
  }

  /** This query, narrowed to jobs whose id or handler contains the text. */
  public JobQuery withText(String contained) {
    return new JobQuery(state, label, contained);
  }

  /** Whether the job passes every filter. */
  public boolean matches(JobInfo info) {
    return (state == null || info.state() == state)
        && (label == null || info.job().labels().contains(label))
        && (text == null || contains(info.id().value()) || contains(info.job().handler()));
  }

  private boolean contains(String value) {
    return value.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
  }
}
