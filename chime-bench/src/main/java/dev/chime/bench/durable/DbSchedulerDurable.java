package dev.chime.bench.durable;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.chime.bench.harness.Sink;
import dev.chime.bench.harness.Versions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * db-scheduler on PostgreSQL: its one table ({@link #TABLE}, the DDL of its PostgreSQL
 * documentation), the lock-and-fetch polling strategy ({@code SELECT ... FOR UPDATE SKIP LOCKED} in
 * one statement), the fractions its README gives for high throughput, a 100 ms poll interval and a
 * one-time task with a no-op handler. Lateness is measured from the execution time db- scheduler
 * read back from its table.
 */
final class DbSchedulerDurable implements DurableSubject {
  static final Duration POLL = Duration.ofMillis(100);

  /** Fetch again when at most this fraction of the threads has work queued or running. */
  static final double LOWER_LIMIT = 1.0;

  /** Claim up to this fraction of the threads per fetch. */
  static final double UPPER_LIMIT = 4.0;

  /** The table as db-scheduler 16 documents it for PostgreSQL. */
  static final String TABLE =
      """
      create table scheduled_tasks (
        task_name text not null,
        task_instance text not null,
        task_data bytea,
        execution_time timestamp with time zone not null,
        picked boolean not null,
        picked_by text,
        last_success timestamp with time zone,
        last_failure timestamp with time zone,
        consecutive_failures int,
        last_heartbeat timestamp with time zone,
        version bigint not null,
        priority smallint,
        primary key (task_name, task_instance)
      );
      create index execution_time_idx on scheduled_tasks (execution_time);
      create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
      create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
      """;

  @Override
  public String name() {
    return "db-scheduler";
  }

  @Override
  public String describe(int threads) {
    return "db-scheduler "
        + Versions.of("db-scheduler")
        + ", PostgreSQL, threads "
        + threads
        + ", pollUsingLockAndFetch("
        + LOWER_LIMIT
        + ", "
        + UPPER_LIMIT
        + "), pollingInterval "
        + POLL.toMillis()
        + " ms, HikariCP pool of "
        + DurableScenario.poolSize(threads);
  }

  @Override
  public DurableSystem<?> open(Database database, int threads, Sink sink) throws SQLException {
    database.runScript(TABLE);
    HikariDataSource pool = database.pool("db-scheduler", DurableScenario.poolSize(threads));
    OneTimeTask<Void> task =
        Tasks.oneTime("noop")
            .execute((instance, ctx) -> sink.ran(Sink.nanos(ctx.getExecution().executionTime)));
    Scheduler scheduler =
        Scheduler.create(pool, task)
            .threads(threads)
            .pollingInterval(POLL)
            .pollUsingLockAndFetch(LOWER_LIMIT, UPPER_LIMIT)
            .schedulerName(new SchedulerName.Fixed("chime-bench"))
            .shutdownMaxWait(Duration.ofSeconds(10))
            .build();
    scheduler.start();
    return new Running(scheduler, task, pool);
  }

  private record Running(Scheduler scheduler, OneTimeTask<Void> task, HikariDataSource pool)
      implements DurableSystem<SchedulableInstance<?>> {
    @Override
    public SchedulableInstance<?> prepare(long seq, long dueEpochNanos) {
      return SchedulableInstance.of(task.instance("j-" + seq), Sink.instant(dueEpochNanos));
    }

    @Override
    public void schedule(SchedulableInstance<?> job) {
      scheduler.schedule(job);
    }

    @Override
    public void scheduleBatch(List<SchedulableInstance<?>> jobs) {
      scheduler.scheduleBatch(jobs);
    }

    @Override
    public void close() {
      scheduler.stop();
      pool.close();
    }
  }
}
