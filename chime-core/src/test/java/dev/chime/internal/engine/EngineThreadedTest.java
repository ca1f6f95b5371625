package dev.chime.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on its own threads and the system clock: what only real threads show (interrupts,
 * limits under parallelism, shutdown). Tests await conditions with a deadline; none sleeps.
 */
class EngineThreadedTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private final List<Scheduler> schedulers = new ArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void closeAll() {
    never.countDown();
    schedulers.forEach(Scheduler::close);
  }

  private Scheduler build(Scheduler.Builder builder) {
    Scheduler scheduler =
        builder.clock(Clock.systemUTC()).shutdownGrace(Duration.ofSeconds(5)).build();
    schedulers.add(scheduler);
    return scheduler;
  }

  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("gave up after " + DEADLINE + " waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static RunState state(Scheduler scheduler, RunId id) {
    return scheduler.run(id).map(Run::state).orElse(null);
  }

  @Test
  void dueJobsRunOnTheirOwnAndNeverEarly() {
    Scheduler scheduler = build(Scheduler.builder());
    AtomicInteger ran = new AtomicInteger();
    scheduler.register("count", ctx -> ran.incrementAndGet());
    Instant due = Clock.systemUTC().instant().plusMillis(30);
    for (int i = 0; i < 100; i++) {
      scheduler.schedule(
          Job.builder("j" + i).handler("count").trigger(Trigger.once(due.plusMillis(i))).build());
    }
    scheduler.start();
    await("100 runs", () -> ran.get() == 100);
    for (int i = 0; i < 100; i++) {
      JobId id = JobId.of("j" + i);
      await(
          "j" + i + " is recorded",
          () -> !scheduler.runs(id, 1).isEmpty() && scheduler.runs(id, 1).get(0).state().isFinal());
      Run run = scheduler.runs(id, 1).get(0);
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(run.lateness().isNegative()).as("started before it was due").isFalse();
    }
  }

  @Test
  void manyMoreDueJobsThanTheReadyHoldRunEachOnce() {
    Scheduler scheduler = build(Scheduler.builder().maxConcurrency(2));
    Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    scheduler.register(
        "count",
        ctx ->
            ran.computeIfAbsent(ctx.jobId().value(), k -> new AtomicInteger()).incrementAndGet());
    int jobs = 6 * Engine.READY_HIGH;
    Instant due = Clock.systemUTC().instant();
    for (int i = 0; i < jobs; i++) {
      scheduler.schedule(Job.builder("m" + i).handler("count").trigger(Trigger.once(due)).build());
    }
    scheduler.start();
    await(jobs + " runs", () -> ran.values().stream().mapToInt(AtomicInteger::get).sum() >= jobs);
    assertThat(ran).hasSize(jobs);
    assertThat(ran.values()).allMatch(count -> count.get() == 1);
  }

  @Test
  void aTimeoutInterruptsABlockedRunAndRecordsIt() {
    Scheduler scheduler = build(Scheduler.builder().platformThreads(2));
    scheduler.register("block", ctx -> never.await());
    scheduler.schedule(
        Job.builder("slow")
            .handler("block")
            .trigger(Trigger.once(Instant.EPOCH))
            .timeout(Duration.ofMillis(100))
            .build());
    scheduler.start();
    await(
        "the run timed out",
        () ->
            !scheduler.runs(JobId.of("slow"), 1).isEmpty()
                && scheduler.runs(JobId.of("slow"), 1).get(0).state() == RunState.TIMED_OUT);
    Run run = scheduler.runs(JobId.of("slow"), 1).get(0);
    assertThat(run.reason()).isEqualTo("ran longer than its timeout PT0.1S");
    assertThat(run.error()).startsWith("java.lang.InterruptedException");
  }

  /**
   * A retry that falls due while another run of its job holds the job's only place waits for that
   * run to end (it is neither skipped nor run beside it).
   */
  @Test
  void aRetryWaitsForTheJobsPlaceInsteadOfRunningBesideAnotherRun() {
    Scheduler scheduler = build(Scheduler.builder());
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    scheduler.register(
        "flaky",
        ctx -> {
          mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          try {
            if (calls.getAndIncrement() == 0) {
              throw new IllegalStateException("first attempt fails");
            }
            release.await();
          } finally {
            inside.decrementAndGet();
          }
        });
    JobId id = JobId.of("one-at-a-time");
    scheduler.schedule(
        Job.builder(id.value())
            .handler("flaky")
            .trigger(Trigger.once(Instant.parse("2999-01-01T00:00:00Z")))
            .overlap(dev.chime.OverlapPolicy.skip(1))
            // long enough that the other run surely holds the place before the retry falls due
            .retry(dev.chime.RetryPolicy.fixed(2, Duration.ofSeconds(2)))
            .build());
    scheduler.start();
    RunId failing = scheduler.runNow(id);
    await("the first attempt failed", () -> state(scheduler, failing) == RunState.FAILED);
    RunId holder = scheduler.runNow(id);
    await("the other run holds the place", () -> state(scheduler, holder) == RunState.RUNNING);
    java.util.function.Supplier<Run> retry =
        () ->
            scheduler.runs(id, 10).stream().filter(r -> r.attempt() == 2).findFirst().orElseThrow();
    await("the retry fell due", () -> retry.get().state() != RunState.RETRYING);
    assertThat(retry.get().state()).as("waiting for the place").isEqualTo(RunState.CLAIMED);
    release.countDown();
    await("the retry ran", () -> retry.get().state() == RunState.SUCCEEDED);
    assertThat(state(scheduler, holder)).isEqualTo(RunState.SUCCEEDED);
    assertThat(mostInside.get()).as("runs of the job at once").isEqualTo(1);
  }

  /**
   * At shutdown a running pipeline stage finishes within the grace with its real outcome; no later
   * stage starts, and the pipeline ends cancelled.
   */
  @Test
  void aPipelineStageRunningAtShutdownKeepsItsOutcomeAndNoLaterStageStarts() throws Exception {
    Scheduler scheduler = build(Scheduler.builder());
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    scheduler.register(
        "stage",
        ctx -> {
          if (ctx.jobId().value().equals("x")) {
            running.countDown();
            release.await();
          }
        });
    for (String id : List.of("x", "z")) {
      scheduler.schedule(
          Job.builder(id)
              .handler("stage")
              .trigger(Trigger.once(Instant.parse("2999-01-01T00:00:00Z")))
              .build());
    }
    scheduler.definePipeline(
        dev.chime.Pipeline.of("p", List.of(List.of(JobId.of("x")), List.of(JobId.of("z")))));
    scheduler.start();
    scheduler.runPipeline("p");
    assertThat(running.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    java.util.concurrent.FutureTask<Boolean> stopping =
        new java.util.concurrent.FutureTask<>(scheduler::shutdown);
    Thread.ofVirtual().start(stopping);
    await(
        "shutdown began", () -> !scheduler.pipelineRuns("p", 1).isEmpty() && isClosing(scheduler));
    release.countDown();
    assertThat(stopping.get(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    dev.chime.PipelineRun run = scheduler.pipelineRuns("p", 1).get(0);
    assertThat(run.state()).isEqualTo(dev.chime.PipelineRun.State.CANCELLED);
    assertThat(run.outcomes())
        .containsEntry(JobId.of("x"), RunState.SUCCEEDED)
        .containsEntry(JobId.of("z"), RunState.SKIPPED);
    assertThat(scheduler.runs(JobId.of("z"), 10)).isEmpty();
  }

  private static boolean isClosing(Scheduler scheduler) {
    try {
      scheduler.publish("probe", null);
      return false;
    } catch (SchedulerException e) {
      return true; // refused: the scheduler is shutting down
    }
  }

  @Test
  void cancelInterruptsARunningRun() {
    Scheduler scheduler = build(Scheduler.builder());
    scheduler.register("block", ctx -> never.await());
    scheduler.schedule(
        Job.builder("c")
            .handler("block")
            .trigger(Trigger.once(Instant.parse("2999-01-01T00:00:00Z")))
            .build());
    scheduler.start();
    RunId id = scheduler.runNow(JobId.of("c"));
    await("it runs", () -> state(scheduler, id) == RunState.RUNNING);
    assertThat(scheduler.cancel(id)).isTrue();
    await("it is cancelled", () -> state(scheduler, id) == RunState.CANCELLED);
    assertThat(scheduler.run(id).orElseThrow().reason()).isEqualTo("cancelled");
  }

  @Test
  void globalAndGroupLimitsAreNeverExceeded() {
    Scheduler scheduler = build(Scheduler.builder().maxConcurrency(3).groupLimit("reports", 2));
    AtomicInteger now = new AtomicInteger();
    AtomicInteger reports = new AtomicInteger();
    AtomicInteger maxNow = new AtomicInteger();
    AtomicInteger maxReports = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    scheduler.register(
        "work",
        ctx -> {
          boolean report = ctx.jobId().value().startsWith("r");
          maxNow.accumulateAndGet(now.incrementAndGet(), Math::max);
          if (report) {
            maxReports.accumulateAndGet(reports.incrementAndGet(), Math::max);
          }
          LockSupport.parkNanos(2_000_000); // simulated work, so runs overlap
          if (report) {
            reports.decrementAndGet();
          }
          now.decrementAndGet();
          done.incrementAndGet();
        });
    for (int i = 0; i < 30; i++) {
      Job.Builder job =
          Job.builder((i % 2 == 0 ? "r" : "o") + i)
              .handler("work")
              .trigger(Trigger.once(Instant.EPOCH));
      scheduler.schedule(i % 2 == 0 ? job.group("reports").build() : job.build());
    }
    scheduler.start();
    await("30 runs", () -> done.get() == 30);
    assertThat(maxNow.get()).isBetween(2, 3);
    assertThat(maxReports.get()).isBetween(1, 2);
  }

  /**
   * A lone due run runs on the dispatcher's own thread; when it blocks, the standby takes the
   * dispatcher's role over, so the next due job still runs on time, and the blocked run still
   * counts against the global limit.
   */
  @Test
  void aBlockedRunOnTheDispatcherHoldsUpNothingButItsSlot() {
    Scheduler scheduler = build(Scheduler.builder().maxConcurrency(2));
    CountDownLatch release = new CountDownLatch(1);
    Map<String, String> threads = new ConcurrentHashMap<>();
    scheduler.register(
        "block",
        ctx -> {
          threads.put(ctx.jobId().value(), Thread.currentThread().getName());
          release.await();
        });
    scheduler.register("mark", ctx -> threads.put(ctx.jobId().value(), "ran"));
    scheduler.start();
    secondRunsWhileFirstBlocks(scheduler, threads, release, "first", "second", "block");
    // Both slots of the global limit are taken: a third due job is claimed but does not start.
    RunId third =
        scheduler.runNow(
            scheduler.schedule(
                Job.builder("third")
                    .handler("mark")
                    .trigger(Trigger.once(Instant.parse("2999-01-01T00:00:00Z")))
                    .build()));
    await("third is claimed", () -> state(scheduler, third) == RunState.CLAIMED);
    assertThat(threads).doesNotContainKey("third");
    release.countDown();
    await("third runs once a slot is free", () -> state(scheduler, third) == RunState.SUCCEEDED);
    await(
        "first and second succeed",
        () ->
            scheduler.runs(JobId.of("first"), 1).get(0).state() == RunState.SUCCEEDED
                && scheduler.runs(JobId.of("second"), 1).get(0).state() == RunState.SUCCEEDED);
  }

  /**
   * Once the standby has gone idle, a blocked run on the dispatcher's thread still holds up
   * nothing.
   */
  @Test
  void anIdleStandbyStillTakesOverFromABlockedRun() {
    Scheduler scheduler = build(Scheduler.builder());
    CountDownLatch release = new CountDownLatch(1);
    Map<String, String> ran = new ConcurrentHashMap<>();
    scheduler.register("mark", ctx -> ran.put(ctx.jobId().value(), "ran"));
    scheduler.register(
        "block",
        ctx -> {
          ran.put(ctx.jobId().value(), Thread.currentThread().getName());
          release.await();
        });
    scheduler.start();
    await("the standby waits for work", EngineThreadedTest::standbyWaits);
    secondRunsWhileFirstBlocks(scheduler, ran, release, "blocked", "after", "mark");
    release.countDown();
  }

  /**
   * Schedules {@code first} (handler "block", which records its thread in {@code ran} and waits for
   * {@code release}) due now: it runs on a dispatcher thread, alone. Then {@code second}, due 20 ms
   * later while the first is still blocked on the thread that claimed it: another thread must fire
   * it.
   */
  private static void secondRunsWhileFirstBlocks(
      Scheduler scheduler,
      Map<String, String> ran,
      CountDownLatch release,
      String first,
      String second,
      String secondHandler) {
    Instant now = Clock.systemUTC().instant();
    scheduler.schedule(Job.builder(first).handler("block").trigger(Trigger.once(now)).build());
    await(first + " runs", () -> ran.containsKey(first));
    assertThat(ran.get(first)).startsWith("chime-dispatcher");
    scheduler.schedule(
        Job.builder(second)
            .handler(secondHandler)
            .trigger(Trigger.once(now.plusMillis(20)))
            .build());
    await(second + " runs while " + first + " is blocked", () -> ran.containsKey(second));
    assertThat(release.getCount()).isOne();
  }

  /**
   * While a run on the dispatcher's thread holds the only slot of the global limit, a run made
   * ready starts no worker (it would find the limit full and only linger); it starts once the slot
   * is free.
   */
  @Test
  void aFullLimitStartsNoWorkerUntilASlotIsFree() {
    // Worker threads are told apart by name only: those of earlier tests' schedulers end first.
    await("no worker thread of an earlier scheduler is left", () -> workerThreads() == 0);
    Scheduler scheduler = build(Scheduler.builder().maxConcurrency(1).platformThreads(2));
    CountDownLatch release = new CountDownLatch(1);
    Map<String, String> ran = new ConcurrentHashMap<>();
    scheduler.register(
        "block",
        ctx -> {
          ran.put(ctx.jobId().value(), Thread.currentThread().getName());
          release.await();
        });
    scheduler.register(
        "mark", ctx -> ran.put(ctx.jobId().value(), Thread.currentThread().getName()));
    scheduler.start();
    scheduler.schedule(
        Job.builder("first").handler("block").trigger(Trigger.once(Instant.now())).build());
    await("first runs", () -> ran.containsKey("first"));
    assertThat(ran.get("first")).startsWith("chime-dispatcher");
    // The pool makes its threads on demand: none exists until a run is handed to a worker.
    assertThat(workerThreads()).isZero();
    RunId second =
        scheduler.runNow(
            scheduler.schedule(
                Job.builder("second")
                    .handler("mark")
                    .trigger(Trigger.once(Instant.parse("2999-01-01T00:00:00Z")))
                    .build()));
    // runNow made the run ready and returned after its kick, under the engine's lock.
    assertThat(state(scheduler, second)).isEqualTo(RunState.CLAIMED);
    assertThat(workerThreads()).isZero();
    release.countDown();
    await("second runs once first has returned", () -> ran.containsKey("second"));
  }

  private static long workerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("chime-worker"))
        .count();
  }

  /** Whether a dispatcher thread waits in the standby's idle wait. */
  private static boolean standbyWaits() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("chime-dispatcher"))
        .anyMatch(
            e ->
                java.util.Arrays.stream(e.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("standbyTick"))
                    && e.getKey().getState() == Thread.State.TIMED_WAITING);
  }

  /** Runs due one by one, overlapping: whichever thread runs each, the limit holds exactly. */
  @Test
  void theGlobalLimitHoldsForRunsOnTheDispatcherAndOnWorkers() {
    // The first job is alone when it comes due, so the dispatcher runs it itself; it holds its
    // slot until workers have run five of the others, which are scheduled only once it runs. With
    // a limit of 2, one worker at a time may run beside it: a third concurrent run would break it.
    int limit = 2;
    Scheduler scheduler = build(Scheduler.builder().maxConcurrency(limit));
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Map<String, Boolean> onDispatcher = new ConcurrentHashMap<>();
    CountDownLatch firstRuns = new CountDownLatch(1);
    scheduler.register(
        "work",
        ctx -> {
          peak.accumulateAndGet(now.incrementAndGet(), Math::max);
          onDispatcher.put(
              ctx.jobId().value(), Thread.currentThread().getName().startsWith("chime-dispatcher"));
          if (ctx.jobId().value().equals("first")) {
            firstRuns.countDown();
            await("five other runs", () -> done.get() >= 5);
          } else {
            long end = System.nanoTime() + 3_000_000; // simulated work, so runs overlap
            while (System.nanoTime() < end) { // (a park may return early)
              LockSupport.parkNanos(end - System.nanoTime());
            }
          }
          now.decrementAndGet();
          done.incrementAndGet();
        });
    scheduler.schedule(
        Job.builder("first").handler("work").trigger(Trigger.once(Instant.EPOCH)).build());
    scheduler.start();
    await("the first run", () -> firstRuns.getCount() == 0);
    int jobs = 40;
    Instant due = Clock.systemUTC().instant();
    for (int i = 0; i < jobs; i++) {
      scheduler.schedule(
          Job.builder("w" + i).handler("work").trigger(Trigger.once(due.plusMillis(i))).build());
    }
    await(jobs + 1 + " runs", () -> done.get() == jobs + 1);
    assertThat(peak.get()).isEqualTo(limit);
    assertThat(onDispatcher.get("first")).isTrue();
    assertThat(onDispatcher.values()).contains(false);
  }

  private static void awaitRunning(Scheduler scheduler, String job) {
    await(
        job + " runs",
        () ->
            scheduler.runs(JobId.of(job), 1).stream().anyMatch(r -> r.state() == RunState.RUNNING));
  }

  @Test
  void shutdownInterruptsRunsStillRunningAfterTheGrace() {
    Scheduler scheduler =
        Scheduler.builder().clock(Clock.systemUTC()).shutdownGrace(Duration.ofMillis(50)).build();
    scheduler.register("block", ctx -> never.await());
    scheduler.schedule(
        Job.builder("stuck").handler("block").trigger(Trigger.once(Instant.EPOCH)).build());
    scheduler.start();
    awaitRunning(scheduler, "stuck");
    assertThat(scheduler.shutdown()).isFalse();
    Run run = scheduler.runs(JobId.of("stuck"), 1).get(0);
    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    assertThat(run.reason()).isEqualTo("interrupted at shutdown after the grace of PT0.05S");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scheduler.runNow(JobId.of("stuck")))
        .isInstanceOf(SchedulerException.class)
        .hasMessage("the scheduler is shut down");
  }

  @Test
  void aDependencyThatEndsDuringShutdownStartsNoDependent() throws Exception {
    Scheduler scheduler =
        Scheduler.builder().clock(Clock.systemUTC()).shutdownGrace(Duration.ofSeconds(30)).build();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger dependentRuns = new AtomicInteger();
    scheduler.register("block", ctx -> release.await());
    scheduler.register("after", ctx -> dependentRuns.incrementAndGet());
    scheduler.schedule(
        Job.builder("first").handler("block").trigger(Trigger.once(Instant.EPOCH)).build());
    scheduler.schedule(
        Job.builder("then").handler("after").trigger(Trigger.after(JobId.of("first"))).build());
    scheduler.start();
    awaitRunning(scheduler, "first");
    java.util.concurrent.CompletableFuture<Boolean> down =
        java.util.concurrent.CompletableFuture.supplyAsync(scheduler::shutdown);
    await(
        "shutting down",
        () -> {
          try {
            scheduler.runNow(JobId.of("no-such-job")); // NOT_FOUND until it shuts down
            return false;
          } catch (SchedulerException e) {
            return e.kind() == SchedulerException.Kind.CLOSED;
          }
        });
    release.countDown();
    assertThat(down.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(dependentRuns).hasValue(0);
    assertThat(scheduler.runs(JobId.of("then"), 5))
        .extracting(Run::state, Run::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(RunState.SKIPPED, "shutting down"));
  }

  /**
   * Many threads schedule, run, cancel and pause at once; afterwards every once-job ran exactly
   * once or has a record saying why not, no occurrence ran twice, and the limit held.
   */
  @Test
  void hammeringFromManyThreadsLosesAndDoublesNothing() throws Exception {
    int limit = 4;
    Scheduler scheduler = build(Scheduler.builder().maxConcurrency(limit));
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    scheduler.register(
        "work",
        ctx -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          calls.computeIfAbsent(ctx.runId().toString(), k -> new AtomicInteger()).incrementAndGet();
          running.decrementAndGet();
        });
    scheduler.start();
    int threads = 4;
    int perThread = 400;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    Instant base = Clock.systemUTC().instant();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perThread; i++) {
                  JobId id =
                      scheduler.schedule(
                          Job.builder("t" + thread + "-" + i)
                              .handler("work")
                              .trigger(Trigger.once(base.plusMillis(random.nextInt(200))))
                              .build());
                  switch (random.nextInt(6)) {
                    case 0 -> scheduler.cancel(scheduler.runNow(id));
                    case 1 -> scheduler.pause(id, "hammer");
                    case 2 -> scheduler.resume(id);
                    case 3 -> scheduler.runNow(id, true);
                    default -> {}
                  }
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    scheduler.resumeLabeled("none");
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        scheduler.resume(JobId.of("t" + t + "-" + i));
      }
    }
    await(
        "every job finished",
        () ->
            scheduler.list(dev.chime.JobQuery.ALL.withState(JobState.FINISHED)).size()
                == threads * perThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        JobId id = JobId.of("t" + t + "-" + i);
        await(
            id + " has only final runs",
            () -> scheduler.runs(id, 10).stream().allMatch(r -> r.state().isFinal()));
        List<Run> runs = scheduler.runs(id, 10);
        Optional<Run> scheduled =
            runs.stream().filter(r -> r.scheduledFor().isBefore(base.plusMillis(200))).findFirst();
        assertThat(scheduled).as("the occurrence of %s left a record", id).isPresent();
        for (Run run : runs) {
          int times = calls.getOrDefault(run.id().toString(), new AtomicInteger()).get();
          // A run cancelled while it ran was called once; one that never started, never.
          switch (run.state()) {
            case SUCCEEDED -> assertThat(times).as("calls of run %s", run.id()).isEqualTo(1);
            case CANCELLED ->
                assertThat(times)
                    .as("calls of run %s", run.id())
                    .isEqualTo(run.startedAt() == null ? 0 : 1);
            default -> assertThat(times).as("calls of run %s (%s)", run.id(), run.state()).isZero();
          }
        }
      }
    }
    assertThat(peak.get()).isLessThanOrEqualTo(limit);
  }
}
