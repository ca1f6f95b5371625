package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.fail;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Runs the kinds' jobs through a real, started scheduler and awaits their runs with deadlines. */
final class Kinds implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");
  private static final AtomicInteger IDS = new AtomicInteger();

  final Scheduler scheduler;

  Kinds() {
    this(Duration.ofSeconds(5));
  }

  /** With the shutdown grace after which close() interrupts running runs. */
  Kinds(Duration shutdownGrace) {
    scheduler = Scheduler.builder().shutdownGrace(shutdownGrace).build();
    JobKinds.registerAll(scheduler, Clock.systemUTC());
    scheduler.start();
  }

  /** Starts a run of a new job (on demand; its own trigger never fires) and returns its id. */
  RunId start(String handler, Map<String, ?> params, Duration timeout) {
    Job.Builder job =
        Job.builder(handler + "-" + IDS.incrementAndGet())
            .handler(handler)
            .params(params)
            .trigger(Trigger.once(NEVER));
    if (timeout != null) {
      job.timeout(timeout);
    }
    JobId id = scheduler.schedule(job.build());
    return scheduler.runNow(id);
  }

  /** Runs a new job to its end. */
  Run run(String handler, Map<String, ?> params) {
    return awaitEnd(start(handler, params, null));
  }

  Run awaitEnd(RunId id) {
    return await(
        "run " + id + " to end",
        () -> scheduler.run(id).filter(r -> r.state().isFinal()).orElse(null));
  }

  /** The pid the command run logged once its process started. */
  long awaitPid(RunId id) {
    String line =
        await(
            "run " + id + " to start its process",
            () ->
                scheduler
                    .run(id)
                    .map(Run::log)
                    .flatMap(
                        log -> log.lines().filter(l -> l.startsWith("started pid ")).findFirst())
                    .orElse(null));
    return Long.parseLong(line.split(" ")[2].replace(":", ""));
  }

  static <T> T await(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        return fail("timed out after " + DEADLINE + " waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** Awaits until no process of the list is alive. */
  static void awaitDead(Iterable<ProcessHandle> processes) {
    await(
        "processes to exit",
        () -> {
          for (ProcessHandle p : processes) {
            if (p.isAlive()) {
              return null;
            }
          }
          return Boolean.TRUE;
        });
  }

  static Optional<ProcessHandle> process(long pid) {
    return ProcessHandle.of(pid);
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
