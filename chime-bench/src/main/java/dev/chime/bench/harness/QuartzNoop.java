package dev.chime.bench.harness;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The no-op Quartz job of every scenario: reports its scheduled fire time (a millisecond) to the
 * {@link Sink} kept in the scheduler's context under {@link #SINK}. Quartz makes one instance per
 * execution with the public constructor.
 */
public final class QuartzNoop implements Job {
  /** The key of the sink in the scheduler context. */
  public static final String SINK = "bench.sink";

  /** For Quartz. */
  public QuartzNoop() {}

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      Sink sink = (Sink) context.getScheduler().getContext().get(SINK);
      sink.ran(context.getScheduledFireTime().getTime() * 1_000_000L);
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
  }
}
