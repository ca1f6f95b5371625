package dev.chime.bench.engine;

import dev.chime.bench.harness.QuartzNoop;
import dev.chime.bench.harness.Sink;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Quartz with its in-memory {@code RAMJobStore}: one {@link JobDetail} and one one-shot {@code
 * SimpleTrigger} per job, both built outside the timed {@code scheduleJob} call. Quartz takes due
 * times as a {@link Date} (milliseconds): each due is rounded up to the next millisecond and
 * lateness is measured from that rounded instant (the trigger's scheduled fire time).
 */
final class QuartzEngine implements EngineSubject {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  @Override
  public String name() {
    return "quartz";
  }

  @Override
  public String describe(int threads) {
    return "Quartz "
        + org.quartz.core.QuartzScheduler.getVersionMajor()
        + "."
        + org.quartz.core.QuartzScheduler.getVersionMinor()
        + "."
        + org.quartz.core.QuartzScheduler.getVersionIteration()
        + ", RAMJobStore, SimpleThreadPool("
        + threads
        + "), batchTriggerAcquisitionMaxCount "
        + threads
        + ", idleWaitTime 1 s, misfireThreshold 1 h";
  }

  @Override
  public EngineSystem<?> open(int threads, Sink sink) throws SchedulerException {
    return new Running(threads, sink);
  }

  /** A job as Quartz takes it. */
  record Prepared(JobDetail job, Trigger trigger) {}

  private static final class Running implements EngineSystem<Prepared> {
    private final Scheduler scheduler;

    Running(int threads, Sink sink) throws SchedulerException {
      Properties p = new Properties();
      p.setProperty(
          "org.quartz.scheduler.instanceName", "chime-bench-" + INSTANCES.incrementAndGet());
      p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
      p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", "" + threads);
      p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
      p.setProperty("org.quartz.threadPool.threadCount", "" + threads);
      p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      p.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
      scheduler = new StdSchedulerFactory(p).getScheduler();
      scheduler.getContext().put(QuartzNoop.SINK, sink);
      scheduler.start();
    }

    @Override
    public Prepared prepare(long seq, long dueEpochNanos) {
      long dueMillis = Math.floorDiv(dueEpochNanos + 999_999, 1_000_000L);
      JobDetail job = JobBuilder.newJob(QuartzNoop.class).withIdentity("j-" + seq).build();
      Trigger trigger =
          TriggerBuilder.newTrigger().withIdentity("t-" + seq).startAt(new Date(dueMillis)).build();
      return new Prepared(job, trigger);
    }

    @Override
    public void schedule(Prepared prepared) throws SchedulerException {
      scheduler.scheduleJob(prepared.job(), prepared.trigger());
    }

    @Override
    public void close() {
      try {
        scheduler.shutdown(true);
      } catch (SchedulerException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
