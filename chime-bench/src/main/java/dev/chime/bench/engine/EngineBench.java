package dev.chime.bench.engine;

import dev.chime.bench.harness.Print;
import dev.chime.bench.harness.Sink;
import dev.chime.bench.harness.Steady;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine scenario's measurements, the same for every system: {@code schedule_ns} and {@code
 * heap_bytes_per_pending_job} on pending jobs due in 1-2 h, {@code executions_per_sec} on a burst
 * due within one second, and lateness at a steady 10k and 200k jobs/s, each job due 50 ms after it
 * is scheduled. Every pass starts a fresh scheduler and closes it after, with a full GC between.
 */
final class EngineBench {
  /** How far ahead of its due time each lateness-pass job is scheduled. */
  static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The steady rates of the lateness passes, jobs per second. */
  static final int LOW_RATE = 10_000;

  static final int HIGH_RATE = 200_000;

  /** Dues of the executions burst are spread evenly over this span. */
  static final long BURST_SPAN_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How long a pass waits for its jobs after the last is due. */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final long FAR_NANOS = TimeUnit.HOURS.toNanos(1);

  private final int threads;
  private long seq;

  EngineBench(int threads) {
    this.threads = threads;
  }

  /** One lateness pass: jobs, what ran, percentiles in microseconds and the producer's pace. */
  record Lateness(
      int rate,
      int jobs,
      long completed,
      double p50Us,
      double p99Us,
      double maxUs,
      long early,
      double minUs,
      double achievedRate,
      double maxProducerLagMs) {
    boolean finished() {
      return completed >= jobs;
    }
  }

  /** What was measured for one system; NaN (or null) where a pass failed. */
  static final class Result {
    final String system;
    final String description;
    final Sizes sizes;
    double prepareNs = Double.NaN;
    double scheduleNs = Double.NaN;
    double heapBytes = Double.NaN;
    double executionsPerSec = Double.NaN;
    long executionsCompleted;
    double executionsSeconds = Double.NaN;
    Lateness low;
    Lateness high;
    final List<String> notes = new ArrayList<>();

    Result(String system, String description, Sizes sizes) {
      this.system = system;
      this.description = description;
      this.sizes = sizes;
    }

    /** What was measured, for a forked JVM to hand back; NaN and null values are left out. */
    Properties toProperties() {
      Properties p = new Properties();
      put(p, "prepareNs", prepareNs);
      put(p, "scheduleNs", scheduleNs);
      put(p, "heapBytes", heapBytes);
      put(p, "executionsPerSec", executionsPerSec);
      put(p, "executionsCompleted", executionsCompleted);
      put(p, "executionsSeconds", executionsSeconds);
      putLateness(p, "low.", low);
      putLateness(p, "high.", high);
      for (int i = 0; i < notes.size(); i++) {
        p.setProperty("note." + i, notes.get(i));
      }
      return p;
    }

    /** Takes in what a forked JVM measured (see {@link #toProperties}). */
    void merge(Properties p) {
      prepareNs = get(p, "prepareNs", prepareNs);
      scheduleNs = get(p, "scheduleNs", scheduleNs);
      heapBytes = get(p, "heapBytes", heapBytes);
      executionsPerSec = get(p, "executionsPerSec", executionsPerSec);
      executionsCompleted = (long) get(p, "executionsCompleted", executionsCompleted);
      executionsSeconds = get(p, "executionsSeconds", executionsSeconds);
      low = p.containsKey("low.rate") ? lateness(p, "low.") : low;
      high = p.containsKey("high.rate") ? lateness(p, "high.") : high;
      for (int i = 0; p.containsKey("note." + i); i++) {
        notes.add(p.getProperty("note." + i));
      }
    }

    private static void put(Properties p, String key, double value) {
      if (!Double.isNaN(value)) {
        p.setProperty(key, Double.toString(value));
      }
    }

    private static double get(Properties p, String key, double otherwise) {
      String value = p.getProperty(key);
      return value == null ? otherwise : Double.parseDouble(value);
    }

    private static void putLateness(Properties p, String prefix, Lateness l) {
      if (l != null) {
        put(p, prefix + "rate", l.rate());
        put(p, prefix + "jobs", l.jobs());
        put(p, prefix + "completed", l.completed());
        put(p, prefix + "p50Us", l.p50Us());
        put(p, prefix + "p99Us", l.p99Us());
        put(p, prefix + "maxUs", l.maxUs());
        put(p, prefix + "early", l.early());
        put(p, prefix + "minUs", l.minUs());
        put(p, prefix + "achievedRate", l.achievedRate());
        put(p, prefix + "maxProducerLagMs", l.maxProducerLagMs());
      }
    }

    private static Lateness lateness(Properties p, String prefix) {
      return new Lateness(
          (int) get(p, prefix + "rate", 0),
          (int) get(p, prefix + "jobs", 0),
          (long) get(p, prefix + "completed", 0),
          get(p, prefix + "p50Us", Double.NaN),
          get(p, prefix + "p99Us", Double.NaN),
          get(p, prefix + "maxUs", Double.NaN),
          (long) get(p, prefix + "early", 0),
          get(p, prefix + "minUs", Double.NaN),
          get(p, prefix + "achievedRate", Double.NaN),
          get(p, prefix + "maxProducerLagMs", Double.NaN));
    }
  }

  /** Which passes a JVM runs: all of them, or one of the two groups a forked JVM runs. */
  enum Passes {
    /** {@code schedule_ns}, {@code heap_bytes_per_pending_job}, then {@code executions_per_sec}. */
    THROUGHPUT,
    /** The lateness passes. */
    LATENESS,
    /** Both groups, one after the other. */
    ALL
  }

  /** A result with nothing measured yet. */
  Result empty(EngineSubject subject, Sizes standard) {
    Sizes sizes = Sizes.overridden(subject.name(), subject.sizes(standard));
    return new Result(subject.name(), subject.describe(threads), sizes);
  }

  /** Runs the passes into {@code result}, one after another, a full GC before each. */
  void measure(EngineSubject subject, Passes passes, Result result) {
    Print.log(
        "%s: %s (%s; before: %d MiB heap in use after GC, %d MiB max, %d live threads)",
        subject.name(),
        result.description,
        passes.name().toLowerCase(Locale.ROOT),
        usedHeapAfterGc() >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        Thread.activeCount());
    if (passes != Passes.LATENESS) {
      try {
        gc();
        pending(subject, result);
      } catch (Exception | OutOfMemoryError e) {
        fail(result, "schedule_ns/heap", e);
      }
      try {
        gc();
        executions(subject, result);
      } catch (Exception | OutOfMemoryError e) {
        fail(result, "executions_per_sec", e);
      }
    }
    if (passes != Passes.THROUGHPUT) {
      try {
        gc();
        lateness(subject, result);
      } catch (Exception | OutOfMemoryError e) {
        fail(result, "lateness", e);
      }
    }
    gc();
  }

  private static void fail(Result result, String pass, Throwable e) {
    result.notes.add(pass + " failed: " + e);
    Print.log("%s: %s failed: %s", result.system, pass, e);
  }

  /**
   * {@code schedule_ns} and {@code heap_bytes_per_pending_job}: a throwaway scheduler first takes N
   * far-future jobs (JIT warm-up, and the GC sizes its young generation for the load), then a fresh
   * one is measured with N: heap used after GC before and after, the jobs built before the timed
   * loop and dropped before the second GC. GC pauses in the timed loop count.
   */
  private void pending(EngineSubject subject, Result result) throws Exception {
    int n = result.sizes.pending();
    Sink sink = new Sink();
    Random random = new Random(7);
    try (EngineSystem<?> warm = subject.open(threads, sink)) {
      scheduleFar(warm, n, random, false, result);
    }
    gc();
    try (EngineSystem<?> system = subject.open(threads, sink)) {
      scheduleFar(system, n, random, true, result);
    }
  }

  private <J> void scheduleFar(
      EngineSystem<J> system, int n, Random random, boolean measured, Result result)
      throws Exception {
    long before = measured ? usedHeapAfterGc() : 0;
    long base = Sink.wallNanos() + FAR_NANOS;
    List<J> jobs = new ArrayList<>(n);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      jobs.add(system.prepare(seq++, Sink.micros(base + (long) (random.nextDouble() * FAR_NANOS))));
    }
    long gc0 = gcMillis();
    long t1 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      system.schedule(jobs.get(i));
    }
    long t2 = System.nanoTime();
    long gcInLoop = gcMillis() - gc0;
    jobs = null;
    if (measured) {
      long after = usedHeapAfterGc();
      result.prepareNs = (double) (t1 - t0) / n;
      result.scheduleNs = (double) (t2 - t1) / n;
      result.heapBytes = (double) (after - before) / n;
      Print.log(
          "%s: schedule %.0f ns/call, of which GC %.0f ns (building the job outside the loop: %.0f"
              + " ns), %.0f bytes per pending job, over %,d jobs due in 1-2 h",
          result.system,
          result.scheduleNs,
          gcInLoop * 1e6 / n,
          result.prepareNs,
          result.heapBytes,
          n);
    }
  }

  /**
   * {@code executions_per_sec}: N jobs due over one second starting after scheduling is expected to
   * be over, scheduled in random order; the rate is N over the time from the first due to the last
   * start.
   */
  private void executions(EngineSubject subject, Result result) throws Exception {
    int n = result.sizes.executions();
    Sink sink = new Sink();
    try (EngineSystem<?> system = subject.open(threads, sink)) {
      burst(system, sink, n, result);
    }
  }

  private <J> void burst(EngineSystem<J> system, Sink sink, int n, Result result) throws Exception {
    int[] order = shuffled(n, new Random(42));
    double perJob =
        Double.isFinite(result.scheduleNs) ? result.prepareNs + result.scheduleNs : 5_000;
    long lead =
        Math.max(TimeUnit.MILLISECONDS.toNanos(500), (long) (n * perJob * 2) + 300_000_000L);
    sink.expect(n, false);
    long firstDue = Sink.micros(Sink.wallNanos() + lead);
    for (int i = 0; i < n; i++) {
      long due = firstDue + Sink.micros(order[i] * BURST_SPAN_NANOS / n);
      system.schedule(system.prepare(seq++, due));
    }
    long scheduled = Sink.wallNanos();
    if (scheduled > firstDue) {
      result.notes.add(
          String.format(
              Locale.ROOT,
              "executions: scheduling the burst ended %.0f ms after the first due",
              (scheduled - firstDue) / 1e6));
    }
    long deadline = firstDue + BURST_SPAN_NANOS + GRACE_NANOS;
    boolean done = sink.await(deadline);
    result.executionsCompleted = sink.completed();
    if (done) {
      result.executionsSeconds = (sink.lastNanos() - firstDue) / 1e9;
      result.executionsPerSec = n / result.executionsSeconds;
    } else {
      result.executionsSeconds = (deadline - firstDue) / 1e9;
      result.executionsPerSec = result.executionsCompleted / result.executionsSeconds;
      result.notes.add(
          String.format(
              Locale.ROOT,
              "executions: only %,d of %,d jobs ran within %.0f s of the first due",
              result.executionsCompleted,
              n,
              result.executionsSeconds));
    }
    Print.log(
        "%s: %,d jobs: %,.0f executions/s (%.2f s from the first due to the last start)",
        result.system, n, result.executionsPerSec, result.executionsSeconds);
  }

  /**
   * Warm-up passes before the measured one at 10k jobs/s. After one, C2 was still compiling Chime's
   * engine and store in the measured pass (35 C2 compilations, 26 of them in its first 0.45 s,
   * while the dispatcher waited 2.5-6.2 ms for the engine's lock five times), so its p99 described
   * the warm-up, not the steady state (docs/benchmarks.md).
   */
  static final int LOW_WARM_UPS = 3;

  /**
   * Lateness at 10k then 200k jobs/s on one scheduler, after {@link #LOW_WARM_UPS} and one warm-up
   * pass as long as the measured one.
   */
  private void lateness(EngineSubject subject, Result result) throws Exception {
    Sink sink = new Sink();
    double seconds = result.sizes.latenessSeconds();
    try (EngineSystem<?> system = subject.open(threads, sink)) {
      for (int i = 0; i < LOW_WARM_UPS; i++) {
        finished(steady(system, sink, LOW_RATE, seconds, result, "warm-up"));
      }
      result.low = steady(system, sink, LOW_RATE, seconds, result, "measured");
      finished(result.low);
      finished(steady(system, sink, HIGH_RATE, seconds, result, "warm-up"));
      result.high = steady(system, sink, HIGH_RATE, seconds, result, "measured");
      finished(result.high);
    }
  }

  /** Gives up on a scheduler that still holds jobs of a pass: the next pass would count them. */
  private static void finished(Lateness pass) {
    if (!pass.finished()) {
      throw new IllegalStateException(
          "jobs still pending after the grace period; the scheduler is abandoned");
    }
  }

  /**
   * One steady pass ({@link Steady}): job i sent at {@code start + i/rate} and due {@link
   * #LEAD_NANOS} after that nominal instant; then the lateness of every job is ranked.
   */
  private <J> Lateness steady(
      EngineSystem<J> system, Sink sink, int rate, double seconds, Result result, String pass)
      throws Exception {
    long allocatedBefore = allocatedBytes();
    Steady.Pass run =
        Steady.run(
            due -> system.schedule(system.prepare(seq++, due)),
            sink,
            rate,
            seconds,
            LEAD_NANOS,
            GRACE_NANOS);
    int n = run.jobs();
    double allocatedPerJob = (allocatedBytes() - allocatedBefore) / (double) n;
    boolean done = run.done();
    long completed = run.completed();
    Lateness lateness =
        new Lateness(
            rate,
            n,
            completed,
            run.percentile(0.50) / 1e3,
            run.percentile(0.99) / 1e3,
            run.maxNanos() / 1e3,
            run.early(),
            run.minNanos() / 1e3,
            run.achievedRate(),
            run.maxLagNanos() / 1e6);
    Print.log(
        "%s: lateness at %,d jobs/s (%s, %,d jobs%s): p50 %.0f us, p99 %.0f us, max %.0f us,"
            + " %,d early (earliest %.0f us); producer reached %,.0f jobs/s, lagged at most %.1f ms;"
            + " %,.0f bytes allocated per job (every thread of this JVM, producer included)",
        result.system,
        rate,
        pass,
        n,
        done ? "" : String.format(Locale.ROOT, ", only %,d ran in time", completed),
        lateness.p50Us(),
        lateness.p99Us(),
        lateness.maxUs(),
        lateness.early(),
        lateness.minUs(),
        lateness.achievedRate(),
        lateness.maxProducerLagMs(),
        allocatedPerJob);
    if (!done) {
      result.notes.add(
          String.format(
              Locale.ROOT,
              "lateness at %,d jobs/s (%s): only %,d of %,d jobs ran within %d s of the last due",
              rate,
              pass,
              completed,
              n,
              TimeUnit.NANOSECONDS.toSeconds(GRACE_NANOS)));
    }
    return lateness;
  }

  private static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Heap in use after full GCs, repeated until two rounds agree within 256 KiB. */
  static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int round = 0; round < 10; round++) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      long used = memory.getHeapMemoryUsage().getUsed();
      if (round > 0 && Math.abs(used - last) < 256 * 1024) {
        return used;
      }
      last = used;
    }
    return last;
  }

  /**
   * Bytes allocated so far by every live thread of this JVM (threads that ended are not counted).
   */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  /** Milliseconds the collectors have spent so far, as they report it. */
  static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .filter(t -> t > 0)
        .sum();
  }

  static void gc() {
    usedHeapAfterGc();
  }
}
