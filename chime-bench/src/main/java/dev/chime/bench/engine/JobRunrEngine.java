package dev.chime.bench.engine;

import dev.chime.bench.harness.Sink;
import dev.chime.bench.harness.Versions;
import java.time.Duration;
import java.time.Instant;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.lambdas.JobLambda;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.InMemoryStorageProvider;

/**
 * JobRunr (open source) with its {@link InMemoryStorageProvider} and a {@code BackgroundJobServer}
 * of platform worker threads, polling every 200 ms (the smallest interval JobRunr accepts for that
 * store). A job is {@code BackgroundJob.schedule(instant, () -> JobRunrEngine.run(due))}: the
 * lambda is built outside the timed call, JobRunr analyses it and serialises the job to JSON
 * (Jackson) inside it. JobRunr is configured through static state, so one runs at a time.
 */
public final class JobRunrEngine implements EngineSubject {
  private static final Duration POLL = Duration.ofMillis(200);
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
        + ", InMemoryStorageProvider, BackgroundJobServer with "
        + threads
        + " platform worker threads, poll interval "
        + POLL.toMillis()
        + " ms, Jackson "
        + Versions.of("jackson")
        + " JSON mapper";
  }

  /**
   * A hundredth of the burst (10k jobs), a tenth of the pending jobs (100k) and 0.05 s lateness
   * passes (500 jobs at 10k/s, 10k at 200k/s). JobRunr runs a few hundred jobs a second here: its
   * in-memory store answers every fetch of work by scanning every job it holds, so a million would
   * take hours, and it cannot sustain either lateness rate, so its lateness grows with the length
   * of the pass.
   */
  @Override
  public Sizes sizes(Sizes standard) {
    return standard.scaled(0.01, 0.1, 1.0 / 60);
  }

  @Override
  public EngineSystem<?> open(int threads, Sink reportTo) {
    sink = reportTo;
    JobRunr.configure()
        .useStorageProvider(new InMemoryStorageProvider())
        .useBackgroundJobServer(
            BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(POLL)
                .andBackgroundJobServerWorkerPolicy(
                    new DefaultBackgroundJobServerWorkerPolicy(
                        threads, BackgroundJobServerThreadType.PlatformThreads)))
        .initialize();
    return new Running();
  }

  /** A job as JobRunr takes it. */
  record Prepared(Instant at, JobLambda job) {}

  private static final class Running implements EngineSystem<Prepared> {
    @Override
    public Prepared prepare(long seq, long dueEpochNanos) {
      Instant at =
          Instant.ofEpochSecond(
              Math.floorDiv(dueEpochNanos, 1_000_000_000L),
              Math.floorMod(dueEpochNanos, 1_000_000_000L));
      return new Prepared(at, () -> JobRunrEngine.run(dueEpochNanos));
    }

    @Override
    public void schedule(Prepared prepared) {
      BackgroundJob.schedule(prepared.at(), prepared.job());
    }

    @Override
    public void close() {
      JobRunr.destroy();
    }
  }
}
