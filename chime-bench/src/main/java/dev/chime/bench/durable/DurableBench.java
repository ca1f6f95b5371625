package dev.chime.bench.durable;

import dev.chime.bench.harness.Print;
import dev.chime.bench.harness.Sink;
import dev.chime.bench.harness.Steady;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The durable scenario's passes, the same for every system and each on a fresh scheduler over a
 * freshly created schema: {@code batch_schedule_per_sec} (far-future jobs in one batch call),
 * {@code executions_per_sec} (jobs all due at one instant) and lateness (a steady producer, each
 * job due {@link #LEAD_NANOS} after it is scheduled).
 */
final class DurableBench {
  /** How far ahead of its due time each lateness-pass job is scheduled. */
  static final long LEAD_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** Batch-pass jobs are due between one and two hours ahead. */
  static final long FAR_NANOS = TimeUnit.HOURS.toNanos(1);

  /** How long the executions pass waits for its jobs after their due instant. */
  static final long EXECUTIONS_GRACE_NANOS = TimeUnit.MINUTES.toNanos(5);

  /** How long the lateness pass waits for its jobs after the last is due. */
  static final long LATENESS_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Far-future jobs scheduled before each pass. */
  static final int WARM_UP_JOBS = 2_000;

  private final int threads;
  private final Random random = new Random(7);
  private long seq;

  DurableBench(int threads) {
    this.threads = threads;
  }

  /** What was measured for one system; NaN where a pass failed, a reason if not measured. */
  static final class Result {
    final String system;
    final String description;
    final DurableSizes sizes;
    String notMeasured;
    double batchPerSec = Double.NaN;
    double batchSeconds = Double.NaN;
    double executionsPerSec = Double.NaN;
    double executionsSeconds = Double.NaN;
    double executionsCompleted = Double.NaN;
    double executionsEarly = Double.NaN;
    double p50Ms = Double.NaN;
    double p99Ms = Double.NaN;
    double maxMs = Double.NaN;
    double minMs = Double.NaN;
    double early = Double.NaN;
    double latenessCompleted = Double.NaN;
    double achievedRate = Double.NaN;
    double maxLagMs = Double.NaN;
    final List<String> notes = new ArrayList<>();

    Result(String system, String description, DurableSizes sizes) {
      this.system = system;
      this.description = description;
      this.sizes = sizes;
    }

    /** Whether the lateness pass ran. */
    boolean hasLateness() {
      return Double.isFinite(latenessCompleted);
    }

    private static final String[] KEYS = {
      "batchPerSec",
      "batchSeconds",
      "executionsPerSec",
      "executionsSeconds",
      "executionsCompleted",
      "executionsEarly",
      "p50Ms",
      "p99Ms",
      "maxMs",
      "minMs",
      "early",
      "latenessCompleted",
      "achievedRate",
      "maxLagMs"
    };

    private double[] values() {
      return new double[] {
        batchPerSec,
        batchSeconds,
        executionsPerSec,
        executionsSeconds,
        executionsCompleted,
        executionsEarly,
        p50Ms,
        p99Ms,
        maxMs,
        minMs,
        early,
        latenessCompleted,
        achievedRate,
        maxLagMs
      };
    }

    private void values(double[] v) {
      int i = 0;
      batchPerSec = v[i++];
      batchSeconds = v[i++];
      executionsPerSec = v[i++];
      executionsSeconds = v[i++];
      executionsCompleted = v[i++];
      executionsEarly = v[i++];
      p50Ms = v[i++];
      p99Ms = v[i++];
      maxMs = v[i++];
      minMs = v[i++];
      early = v[i++];
      latenessCompleted = v[i++];
      achievedRate = v[i++];
      maxLagMs = v[i];
    }

    /** What was measured, for a forked JVM to hand back; NaN values are left out. */
    Properties toProperties() {
      Properties p = new Properties();
      double[] v = values();
      for (int i = 0; i < KEYS.length; i++) {
        if (!Double.isNaN(v[i])) {
          p.setProperty(KEYS[i], Double.toString(v[i]));
        }
      }
      if (notMeasured != null) {
        p.setProperty("notMeasured", notMeasured);
      }
      for (int i = 0; i < notes.size(); i++) {
        p.setProperty("note." + i, notes.get(i));
      }
      return p;
    }

    /** Takes in what a forked JVM measured (see {@link #toProperties}). */
    void merge(Properties p) {
      double[] v = values();
      for (int i = 0; i < KEYS.length; i++) {
        String value = p.getProperty(KEYS[i]);
        v[i] = value == null ? v[i] : Double.parseDouble(value);
      }
      values(v);
      notMeasured = p.getProperty("notMeasured", notMeasured);
      for (int i = 0; p.containsKey("note." + i); i++) {
        notes.add(p.getProperty("note." + i));
      }
    }
  }

  /** A result with nothing measured yet. */
  Result empty(DurableSubject subject, DurableSizes standard) {
    DurableSizes sizes = DurableSizes.overridden(subject.name(), subject.sizes(standard));
    return new Result(subject.name(), subject.describe(threads), sizes);
  }

  /**
   * Runs the three passes into {@code result}, each on a fresh schema and scheduler. A system that
   * cannot be built here ({@link UnsupportedOperationException}) is recorded as not measured.
   */
  void measure(DurableSubject subject, Database database, Result result) {
    Print.log("%s: %s (schema %s)", subject.name(), result.description, database.schema());
    boolean measurable =
        pass(subject, database, result, "batch_schedule_per_sec", (s, sink) -> batch(s, result))
            && pass(
                subject,
                database,
                result,
                "executions_per_sec",
                (s, sink) -> executions(s, sink, result))
            && pass(subject, database, result, "lateness", (s, sink) -> lateness(s, sink, result));
    try {
      database.drop();
    } catch (Exception e) {
      result.notes.add("dropping the schema failed: " + e);
    }
    if (!measurable) {
      Print.log("%s: not measured: %s", result.system, result.notMeasured);
    }
  }

  /** One measurement on a started system. */
  @FunctionalInterface
  private interface Body {
    void run(DurableSystem<?> system, Sink sink) throws Exception;
  }

  /**
   * Runs one pass on a fresh schema and scheduler; false (and the reason recorded) when the system
   * cannot be built here: its {@code open} threw {@link UnsupportedOperationException}. (Thrown
   * later, that exception is a failure of the pass like any other.)
   */
  private boolean pass(
      DurableSubject subject, Database database, Result result, String label, Body body) {
    try {
      if (subject.usesPostgres()) {
        database.recreate();
      }
      Sink sink = new Sink();
      DurableSystem<?> opened;
      try {
        opened = subject.open(database, threads, sink);
      } catch (UnsupportedOperationException e) {
        result.notMeasured = String.valueOf(e.getMessage());
        return false;
      }
      try (DurableSystem<?> system = opened) {
        warmUp(system, subject, database, result);
        body.run(system, sink);
      }
    } catch (Exception | OutOfMemoryError e) {
      result.notes.add(label + " failed: " + e);
      Print.log("%s: %s failed: %s", result.system, label, e);
    }
    return true;
  }

  /**
   * Before every pass: a batch of {@link #WARM_UP_JOBS} jobs due in 1-2 h (JIT warm-up; they stay
   * pending through the pass, as a live scheduler's future jobs do), then ANALYZE of the schema, as
   * autovacuum would on a live database. Without statistics, PostgreSQL plans Quartz's lookups by
   * job and trigger name with its (scheduler, group) index and filters every row of the group, so
   * each insert costs time proportional to the table and a 20k batch ran at 154 jobs/s.
   */
  private <J> void warmUp(
      DurableSystem<J> system, DurableSubject subject, Database database, Result result)
      throws Exception {
    system.scheduleBatch(far(system, Math.min(WARM_UP_JOBS, result.sizes.batch())));
    if (subject.usesPostgres()) {
      database.analyze();
    }
  }

  /**
   * {@code batch_schedule_per_sec}: N jobs due in 1-2 h, built beforehand, handed over in one timed
   * batch call; N over the wall time until the call returns.
   */
  private <J> void batch(DurableSystem<J> system, Result result) throws Exception {
    int n = result.sizes.batch();
    List<J> jobs = far(system, n);
    long t0 = System.nanoTime();
    system.scheduleBatch(jobs);
    long t1 = System.nanoTime();
    result.batchSeconds = (t1 - t0) / 1e9;
    result.batchPerSec = n / result.batchSeconds;
    Print.log(
        "%s: batch of %,d jobs stored in %.2f s: %,.0f jobs/s",
        result.system, n, result.batchSeconds, result.batchPerSec);
  }

  /** N jobs due at seeded random instants between one and two hours from now. */
  private <J> List<J> far(DurableSystem<J> system, int n) {
    long base = Sink.wallNanos() + FAR_NANOS;
    List<J> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      jobs.add(system.prepare(seq++, Sink.micros(base + (long) (random.nextDouble() * FAR_NANOS))));
    }
    return jobs;
  }

  /**
   * {@code executions_per_sec}: N jobs all due at one instant, stored in one batch call (not timed)
   * ahead of it; the rate is N over the time from that instant (or from the first start, if the
   * system starts jobs early) to the N-th start.
   */
  private <J> void executions(DurableSystem<J> system, Sink sink, Result result) throws Exception {
    int n = result.sizes.executions();
    double perJobSeconds = Double.isFinite(result.batchPerSec) ? 1 / result.batchPerSec : 1e-3;
    long lead = TimeUnit.SECONDS.toNanos(2) + (long) (2e9 * n * perJobSeconds);
    sink.expect(n, true);
    long due = Sink.micros(Sink.wallNanos() + lead);
    List<J> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      jobs.add(system.prepare(seq++, due));
    }
    system.scheduleBatch(jobs);
    long scheduled = Sink.wallNanos();
    if (scheduled > due) {
      result.notes.add(
          String.format(
              Locale.ROOT,
              "executions: storing the jobs ended %.0f ms after their due instant",
              (scheduled - due) / 1e6));
    }
    boolean done = sink.await(due + EXECUTIONS_GRACE_NANOS);
    long[] late = sink.lateness();
    Arrays.sort(late);
    result.executionsCompleted = late.length;
    result.executionsEarly = Arrays.stream(late).filter(l -> l < 0).count();
    long from = late.length > 0 ? Math.min(0, late[0]) : 0;
    long to = done ? late[late.length - 1] : EXECUTIONS_GRACE_NANOS;
    result.executionsSeconds = (to - from) / 1e9;
    result.executionsPerSec = late.length / result.executionsSeconds;
    if (!done) {
      result.notes.add(
          String.format(
              Locale.ROOT,
              "executions: only %,d of %,d jobs ran within %d s of their due instant",
              late.length,
              n,
              TimeUnit.NANOSECONDS.toSeconds(EXECUTIONS_GRACE_NANOS)));
    }
    Print.log(
        "%s: %,d jobs due at one instant: %,.0f executions/s (%.2f s to the last start%s)",
        result.system,
        n,
        result.executionsPerSec,
        result.executionsSeconds,
        from < 0
            ? String.format(
                Locale.ROOT,
                ", counted from the first start %.0f ms before the due; %,d early",
                -from / 1e6,
                (long) result.executionsEarly)
            : "");
  }

  /**
   * Lateness: {@link DurableSizes#LATENESS_RATE} jobs per second for the pass's seconds, each
   * scheduled with the system's single-job call and due {@link #LEAD_NANOS} after its nominal send
   * instant ({@link Steady}).
   */
  private <J> void lateness(DurableSystem<J> system, Sink sink, Result result) throws Exception {
    Steady.Pass pass =
        Steady.run(
            due -> system.schedule(system.prepare(seq++, due)),
            sink,
            DurableSizes.LATENESS_RATE,
            result.sizes.latenessSeconds(),
            LEAD_NANOS,
            LATENESS_GRACE_NANOS);
    result.p50Ms = pass.percentile(0.50) / 1e6;
    result.p99Ms = pass.percentile(0.99) / 1e6;
    result.maxMs = pass.maxNanos() / 1e6;
    result.minMs = pass.minNanos() / 1e6;
    result.early = pass.early();
    result.latenessCompleted = pass.completed();
    result.achievedRate = pass.achievedRate();
    result.maxLagMs = pass.maxLagNanos() / 1e6;
    Print.log(
        "%s: lateness at %,d jobs/s (%,d jobs%s): p50 %.1f ms, p99 %.1f ms, max %.1f ms, %,d early"
            + " (earliest %.1f ms); producer reached %,.0f jobs/s, lagged at most %.1f ms",
        result.system,
        pass.rate(),
        pass.jobs(),
        pass.done() ? "" : String.format(Locale.ROOT, ", only %,d ran in time", pass.completed()),
        result.p50Ms,
        result.p99Ms,
        result.maxMs,
        pass.early(),
        result.minMs,
        result.achievedRate,
        result.maxLagMs);
    if (!pass.done()) {
      result.notes.add(
          String.format(
              Locale.ROOT,
              "lateness: only %,d of %,d jobs ran within %d s of the last due",
              pass.completed(),
              pass.jobs(),
              TimeUnit.NANOSECONDS.toSeconds(LATENESS_GRACE_NANOS)));
    }
  }
}
