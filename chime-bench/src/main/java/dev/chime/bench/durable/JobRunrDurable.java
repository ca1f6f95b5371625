package dev.chime.bench.durable;

import com.zaxxer.hikari.HikariDataSource;
import dev.chime.bench.harness.Sink;
import dev.chime.bench.harness.Versions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.lambdas.JobLambda;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * JobRunr (open source) with its {@link PostgresStorageProvider} on a HikariCP pool, tables created
 * by JobRunr's own migrations in the system's schema (table prefix {@code "SCHEMA."}), and a {@code
 * BackgroundJobServer} of platform worker threads polling every 5 s, the smallest interval JobRunr
 * accepts for a SQL store. A job is the lambda {@code () -> JobRunrDurable.run(due)}; batches go
 * through {@code BackgroundJob.create(Stream<JobBuilder>)}. JobRunr is configured through static
 * state, so one runs at a time.
 */
public final class JobRunrDurable implements DurableSubject {
  static final Duration POLL = Duration.ofSeconds(5);
  private static volatile Sink sink;

  /** The job: reports to the running scheduler's sink. Public and static for JobRunr. */
  public static void run(long dueEpochNanos) {
    sink.ran(dueEpochNanos);
  }

  @Override
  public String name() {
    return "jobrunr";
  }

  @Override
  public String describe(int threads) {
    return "JobRunr "
        + Versions.of("jobrunr")
        + ", PostgresStorageProvider, BackgroundJobServer with "
        + threads
        + " platform worker threads, poll interval "
        + POLL.toSeconds()
        + " s, HikariCP pool of "
        + DurableScenario.poolSize(threads);
  }

  @Override
  public DurableSystem<?> open(Database database, int threads, Sink reportTo) {
    sink = reportTo;
    HikariDataSource pool = database.pool("jobrunr", DurableScenario.poolSize(threads));
    JobRunr.configure()
        .useStorageProvider(
            new PostgresStorageProvider(pool, database.schema() + ".", DatabaseOptions.CREATE))
        .useBackgroundJobServer(
            BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(POLL)
                .andBackgroundJobServerWorkerPolicy(
                    new DefaultBackgroundJobServerWorkerPolicy(
                        threads, BackgroundJobServerThreadType.PlatformThreads)))
        .initialize();
    return new Running(pool);
  }

  /** A job as JobRunr takes it. */
  record Prepared(Instant at, JobLambda job) {}

  /** A class, not a record: JobRunr's ASM reads the class that holds the job lambda. */
  private static final class Running implements DurableSystem<Prepared> {
    private final HikariDataSource pool;

    Running(HikariDataSource pool) {
      this.pool = pool;
    }

    @Override
    public Prepared prepare(long seq, long dueEpochNanos) {
      return new Prepared(Sink.instant(dueEpochNanos), () -> JobRunrDurable.run(dueEpochNanos));
    }

    @Override
    public void schedule(Prepared prepared) {
      BackgroundJob.schedule(prepared.at(), prepared.job());
    }

    @Override
    public void scheduleBatch(List<Prepared> jobs) {
      BackgroundJob.create(
          jobs.stream().map(p -> JobBuilder.aJob().scheduleAt(p.at()).withJobLambda(p.job())));
    }

    @Override
    public void close() {
      JobRunr.destroy();
      pool.close();
    }
  }
}
