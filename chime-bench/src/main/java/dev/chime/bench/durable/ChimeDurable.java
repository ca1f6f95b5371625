package dev.chime.bench.durable;

import dev.chime.Job;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import dev.chime.bench.harness.Sink;
import dev.chime.spi.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Chime on one of its durable stores ({@link ChimeStores}): PostgreSQL in the system's schema
 * ({@code chime}) or a new SQLite file in the temp directory ({@code chime-sqlite}). One {@code
 * Trigger.once} job per job, run by a handler registered as "noop" on as many platform threads as
 * the peers have; lateness is measured from {@code ctx.scheduledFor()}.
 */
final class ChimeDurable implements DurableSubject {
  private final boolean sqlite;
  private final ChimeStores stores;

  private ChimeDurable(boolean sqlite, ChimeStores stores) {
    this.sqlite = sqlite;
    this.stores = stores;
  }

  /** Chime on PostgreSQL. */
  static ChimeDurable postgres(ChimeStores stores) {
    return new ChimeDurable(false, stores);
  }

  /** Chime on SQLite. */
  static ChimeDurable sqlite(ChimeStores stores) {
    return new ChimeDurable(true, stores);
  }

  @Override
  public String name() {
    return sqlite ? "chime-sqlite" : "chime";
  }

  @Override
  public String describe(int threads) {
    return "Chime (this build), JdbcJobStore on "
        + (sqlite ? "a SQLite file" : "PostgreSQL")
        + ", maxConcurrency "
        + threads
        + ", platformThreads "
        + threads;
  }

  @Override
  public boolean usesPostgres() {
    return !sqlite;
  }

  @Override
  public DurableSystem<?> open(Database database, int threads, Sink sink) throws IOException {
    Path file = sqlite ? Files.createTempFile("chime-bench-durable-", ".sqlite") : null;
    try {
      JobStore store =
          sqlite ? stores.sqlite(file) : stores.postgres(database.userUrl(), database.schema());
      Scheduler scheduler =
          Scheduler.builder()
              .clock(Sink.CLOCK)
              .store(store)
              .maxConcurrency(threads)
              .platformThreads(threads)
              .build();
      scheduler.register("noop", ctx -> sink.ran(Sink.nanos(ctx.scheduledFor())));
      scheduler.start();
      return new Running(scheduler, store, file);
    } catch (RuntimeException e) {
      if (file != null) {
        deleteDatabase(file);
      }
      throw e;
    }
  }

  /** Deletes the SQLite file with its journal, WAL and shared-memory files. */
  private static void deleteDatabase(Path file) {
    try {
      for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hands the jobs to Chime in one call (one transaction). */
  static void scheduleAll(Scheduler scheduler, List<Job> jobs) {
    scheduler.scheduleAll(jobs);
  }

  private record Running(Scheduler scheduler, JobStore store, Path file)
      implements DurableSystem<Job> {
    @Override
    public Job prepare(long seq, long dueEpochNanos) {
      return Job.builder("j-" + seq)
          .handler("noop")
          .trigger(Trigger.once(Sink.instant(dueEpochNanos)))
          .build();
    }

    @Override
    public void schedule(Job job) {
      scheduler.schedule(job);
    }

    @Override
    public void scheduleBatch(List<Job> jobs) {
      scheduleAll(scheduler, jobs);
    }

    @Override
    public void close() {
      scheduler.close();
      store.close();
      if (file != null) {
        deleteDatabase(file);
      }
    }
  }
}
