package dev.chime.jdbc;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.RetryPolicy;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import dev.chime.spi.JobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The process {@link CrashTest} kills: a scheduler on a durable store whose handler appends one
 * line per execution ({@code runId jobId scheduledFor attempt}) to a log, forced to disk before the
 * work starts, then works for up to 150 ms. Started with {@code sqlite FILE LOG} or {@code postgres
 * SCHEMA LOG}; on its first start it schedules the jobs the test checks. It runs until killed or
 * until its standard input closes.
 */
public final class CrashChild {
  static final String TICK = "tick";
  static final int ONE_SHOTS = 150;

  /** Short, so that a killed child's runs are taken over by the next one within seconds. */
  static final Duration LEASE = Duration.ofSeconds(4);

  private CrashChild() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    JdbcJobStore.Builder builder =
        args[0].equals("sqlite")
            ? JdbcJobStore.builder("jdbc:sqlite:" + args[1])
            : PostgresServer.store(args[1]);
    JobStore store = builder.lease(LEASE).open();
    try (FileChannel log =
            FileChannel.open(
                Path.of(args[2]),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Scheduler scheduler =
            Scheduler.builder().store(store).clock(Clock.systemUTC()).maxConcurrency(4).build()) {
      scheduler.register(
          "work",
          ctx -> {
            String line =
                ctx.runId() + " " + ctx.jobId() + " " + ctx.scheduledFor() + " " + ctx.attempt();
            synchronized (log) {
              log.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
              log.force(false);
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(150)); // work the kill can land in
          });
      if (scheduler.get(JobId.of(TICK)).isEmpty()) {
        scheduleJobs(scheduler, Clock.systemUTC().instant());
      }
      scheduler.start();
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our stdin (or kills us)
      }
    }
  }

  private static void scheduleJobs(Scheduler scheduler, Instant now) {
    RetryPolicy retry = RetryPolicy.fixed(5, Duration.ofMillis(200));
    scheduler.schedule(
        Job.builder(TICK)
            .handler("work")
            .trigger(Trigger.every(Duration.ofSeconds(1)))
            .retry(retry)
            .build());
    for (int i = 0; i < ONE_SHOTS; i++) {
      scheduler.schedule(
          Job.builder("once-" + i)
              .handler("work")
              .trigger(Trigger.once(now.plusMillis(500 + 40L * i)))
              .retry(retry)
              .build());
    }
  }
}
