package dev.chime.bench.engine;

import dev.chime.bench.harness.Sink;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK baseline: {@link ScheduledThreadPoolExecutor} with the same number of threads, {@code
 * schedule(Runnable, delay, NANOSECONDS)} with the delay worked out from the wall clock at the call
 * (part of the timed call, as it is for an application holding an instant).
 */
final class JdkEngine implements EngineSubject {

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public String describe(int threads) {
    return "java.util.concurrent.ScheduledThreadPoolExecutor("
        + threads
        + "), JDK "
        + Runtime.version();
  }

  @Override
  public EngineSystem<?> open(int threads, Sink sink) {
    return new Running(threads, sink);
  }

  /** A job: the runnable and its due instant. */
  record Task(Sink sink, long due) implements Runnable {
    @Override
    public void run() {
      sink.ran(due);
    }
  }

  private static final class Running implements EngineSystem<Task> {
    private final Sink sink;
    private final ScheduledThreadPoolExecutor executor;

    Running(int threads, Sink sink) {
      this.sink = sink;
      this.executor = new ScheduledThreadPoolExecutor(threads);
      executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      executor.prestartAllCoreThreads();
    }

    @Override
    public Task prepare(long seq, long dueEpochNanos) {
      return new Task(sink, dueEpochNanos);
    }

    @Override
    public void schedule(Task task) {
      executor.schedule(task, task.due() - Sink.wallNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      executor.shutdownNow();
      try {
        executor.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
