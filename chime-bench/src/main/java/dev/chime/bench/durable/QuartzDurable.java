package dev.chime.bench.durable;

import com.zaxxer.hikari.HikariDataSource;
import dev.chime.bench.harness.QuartzNoop;
import dev.chime.bench.harness.Sink;
import dev.chime.bench.harness.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz with its JDBC job store: {@code JobStoreTX} and {@code PostgreSQLDelegate} on the tables
 * of the {@code tables_postgres.sql} that ships in the Quartz jar, created in the system's schema,
 * not clustered (one node, so its locks are an in-process semaphore, not the {@code QRTZ_LOCKS}
 * row), on a HikariCP pool handed to Quartz as its connection provider. One {@link JobDetail} and
 * one one-shot {@code SimpleTrigger} per job; batches go through {@code scheduleJobs(map, false)}.
 * Due times are rounded up to the millisecond (Quartz's {@code Date}) and lateness is measured from
 * the trigger's scheduled fire time.
 */
final class QuartzDurable implements DurableSubject {
  private static final String DDL = "/org/quartz/impl/jdbcjobstore/tables_postgres.sql";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  @Override
  public String name() {
    return "quartz";
  }

  @Override
  public String describe(int threads) {
    return "Quartz "
        + Versions.of("quartz")
        + ", JobStoreTX + PostgreSQLDelegate, not clustered, SimpleThreadPool("
        + threads
        + "), batchTriggerAcquisitionMaxCount "
        + threads
        + ", idleWaitTime 1 s, misfireThreshold 1 h, HikariCP pool of "
        + DurableScenario.poolSize(threads);
  }

  @Override
  public DurableSystem<?> open(Database database, int threads, Sink sink)
      throws SQLException, SchedulerException, IOException {
    database.runScript(ddl());
    HikariDataSource pool = database.pool("quartz", DurableScenario.poolSize(threads));
    String name = "chime-bench-durable-" + INSTANCES.incrementAndGet();
    DBConnectionManager.getInstance().addConnectionProvider(name, new Pooled(pool));
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
    p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", "" + threads);
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", "" + threads);
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", name);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.isClustered", "false");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
    Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
    scheduler.getContext().put(QuartzNoop.SINK, sink);
    scheduler.start();
    return new Running(scheduler, pool);
  }

  private static String ddl() throws IOException {
    try (InputStream in = Scheduler.class.getResourceAsStream(DDL)) {
      if (in == null) {
        throw new IOException("the Quartz jar has no " + DDL);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The pool as Quartz's connection provider; Quartz closes it when the scheduler shuts down. */
  private record Pooled(HikariDataSource pool) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return pool.getConnection();
    }

    @Override
    public void shutdown() {
      pool.close();
    }

    @Override
    public void initialize() {}
  }

  /** A job as Quartz takes it. */
  record Prepared(JobDetail job, Trigger trigger) {}

  private record Running(Scheduler scheduler, HikariDataSource pool)
      implements DurableSystem<Prepared> {
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

    /** The map Quartz takes is built inside the timed call: ~1 ms for 20k jobs, noise here. */
    @Override
    public void scheduleBatch(List<Prepared> jobs) throws SchedulerException {
      Map<JobDetail, Set<? extends Trigger>> map = new LinkedHashMap<>();
      for (Prepared p : jobs) {
        map.put(p.job(), Set.of(p.trigger()));
      }
      scheduler.scheduleJobs(map, false);
    }

    @Override
    public void close() {
      try {
        scheduler.shutdown(true);
      } catch (SchedulerException e) {
        throw new IllegalStateException(e);
      } finally {
        pool.close();
      }
    }
  }
}
