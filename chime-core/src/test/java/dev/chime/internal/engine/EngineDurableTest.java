package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import dev.chime.internal.timer.Nanos;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How the engine drives a durable store: advances written with their runs before any run starts,
 * refused advances dropping their runs, claims made ahead and not on every cycle, and runs left by
 * a dead scheduler recovered by policy. The store is the in-memory one behind a scripted front that
 * says it is durable, claims ahead and reports what was written.
 */
class EngineDurableTest {

  /** The in-memory store, scripted: durable, look-ahead, and open to inspection. */
  static final class ScriptedStore implements JobStore {
    final JobStore inner = JobStore.inMemory(10_000);
    final Duration ahead;
    final List<Run> written = new ArrayList<>();
    final List<Run> orphans = new ArrayList<>();
    int claims;
    boolean refuseNext;
    boolean writeBehind; // records without advances are queued until flush, as JdbcJobStore does
    final List<Run> queued = new ArrayList<>();
    int failWrites;
    int failFlushes;
    int loseAnswers;
    final List<String> prunes = new ArrayList<>();
    boolean canPrune = true;

    @Override
    public int prune(Instant endedBefore, int keepPerJob, int batchSize) {
      if (!canPrune) {
        throw new UnsupportedOperationException("cannot prune");
      }
      prunes.add(endedBefore + " keep " + keepPerJob + " by " + batchSize);
      return 0;
    }

    ScriptedStore(Duration ahead) {
      this.ahead = ahead;
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public String node() {
      return inner.node(); // the in-memory store names its records with its own node
    }

    boolean leads = true;

    @Override
    public boolean leader() {
      return leads;
    }

    volatile long life; // what life() answers: a test moves it as a lapsed heartbeat would

    @Override
    public long life() {
      return life;
    }

    @Override
    public Duration claimAhead() {
      return ahead;
    }

    @Override
    public Duration lease() {
      return Duration.ofSeconds(30);
    }

    @Override
    public List<Run> recover(Instant now) {
      List<Run> taken = List.copyOf(orphans);
      orphans.clear();
      return taken;
    }

    @Override
    public List<Claim> write(List<Advance> advances, List<Run> runs) {
      if (loseAnswers > 0) {
        loseAnswers--;
        advances.forEach(a -> written.addAll(a.runs()));
        inner.write(advances, runs);
        throw new IllegalStateException("the connection broke while committing");
      }
      if (failWrites > 0) {
        failWrites--;
        throw new IllegalStateException("the database is down");
      }
      if (refuseNext && !advances.isEmpty()) {
        refuseNext = false;
        List<Claim> refused = new ArrayList<>();
        for (Advance advance : advances) {
          inner.release(advance.claim());
          refused.add(advance.claim());
        }
        written.addAll(runs);
        inner.record(runs);
        return refused;
      }
      if (writeBehind && advances.isEmpty()) {
        queued.addAll(runs);
        return List.of();
      }
      advances.forEach(a -> written.addAll(a.runs()));
      written.addAll(queued);
      written.addAll(runs);
      queued.clear();
      return inner.write(advances, runs);
    }

    @Override
    public void flush() {
      if (failFlushes > 0) {
        failFlushes--;
        throw new IllegalStateException("the database is down");
      }
      written.addAll(queued);
      queued.clear();
    }

    /** The latest written record of each run, newest run first, as a durable store answers. */
    @Override
    public dev.chime.spi.RunPage runs(dev.chime.spi.RunQuery query) {
      Map<Long, Run> latest = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
      written.stream()
          .filter(r -> query.job() == null || r.jobId().equals(query.job()))
          .forEach(r -> latest.put(r.id().value(), r));
      List<Run> items =
          latest.values().stream()
              .filter(r -> query.states().isEmpty() || query.states().contains(r.state()))
              .limit(query.limit())
              .toList();
      return new dev.chime.spi.RunPage(items, null);
    }

    final Map<JobId, String> setAside = new java.util.LinkedHashMap<>(); // quarantined, why

    @Override
    public void quarantine(JobId id, String reason) {
      setAside.put(id, reason);
    }

    @Override
    public List<dev.chime.spi.Quarantined> quarantined() {
      return setAside.entrySet().stream()
          .map(e -> new dev.chime.spi.Quarantined(e.getKey(), e.getValue(), Instant.EPOCH))
          .toList();
    }

    @Override
    public boolean unquarantine(JobId id, String reason) {
      return setAside.remove(id, reason);
    }

    @Override
    public List<Claim> claim(Instant now, Instant horizon, int limit, Instant leaseUntil) {
      claims++;
      List<Claim> claimed = new ArrayList<>(inner.claim(now, horizon, limit, leaseUntil));
      claimed.removeIf(c -> setAside.containsKey(c.job().id()) && inner.release(c));
      return claimed;
    }

    @Override
    public boolean supportsInlineHandlers() {
      return false;
    }

    @Override
    public JobInfo insert(JobInfo job) {
      return inner.insert(job);
    }

    Runnable beforeUpdate; // run once before the next update: another node's write meanwhile
    int failUpdates; // update() throws this many times, as a database that is down does

    @Override
    public JobInfo update(JobInfo job) {
      if (failUpdates > 0) {
        failUpdates--;
        throw new IllegalStateException("the database is down");
      }
      Runnable before = beforeUpdate;
      beforeUpdate = null;
      if (before != null) {
        before.run();
      }
      return inner.update(job);
    }

    @Override
    public Optional<JobInfo> find(JobId id) {
      return inner.find(id);
    }

    @Override
    public List<JobInfo> list(JobQuery query) {
      return inner.list(query);
    }

    @Override
    public boolean delete(JobId id) {
      return inner.delete(id);
    }

    @Override
    public Optional<Instant> nextDue() {
      return inner.nextDue();
    }

    @Override
    public boolean advance(Claim claim, Instant nextFireAt, long runCount, JobState state) {
      return inner.advance(claim, nextFireAt, runCount, state);
    }

    @Override
    public boolean release(Claim claim) {
      return inner.release(claim);
    }

    @Override
    public boolean fired(JobId job, Instant occurrence) {
      return inner.fired(job, occurrence);
    }

    @Override
    public RunId newRunId() {
      return inner.newRunId();
    }

    @Override
    public void record(List<Run> runs) {
      written.addAll(runs);
      inner.record(runs);
    }

    int failReads; // run() throws this many times, as a database that is down does
    final Map<RunId, Run> otherNodes = new java.util.HashMap<>(); // records other nodes wrote

    @Override
    public Optional<Run> run(RunId id) {
      if (failReads > 0) {
        failReads--;
        throw new IllegalStateException("the database is down");
      }
      Run other = otherNodes.get(id);
      return other != null ? Optional.of(other) : inner.run(id);
    }

    @Override
    public List<Run> runs(JobId job, int limit) {
      return inner.runs(job, limit);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private final ScriptedStore store = new ScriptedStore(Duration.ofSeconds(2));

  /** A run a dead scheduler left behind, for an occurrence a minute before the harness's start. */
  private Run orphan(String job, int attempt, RunState state, String reason) {
    Instant started = state == RunState.RUNNING ? h.at(-60) : null;
    return new Run(
        store.newRunId(),
        JobId.of(job),
        h.at(-60),
        attempt,
        state,
        reason,
        started,
        null,
        null,
        "",
        0,
        null,
        null,
        null,
        null);
  }

  private final Harness h = new Harness(store, Map.of());

  @Test
  void aRunIsWrittenAsClaimedWithItsAdvanceBeforeItsHandlerStarts() {
    List<List<RunState>> seenByHandler = new ArrayList<>();
    h.behaviour =
        ctx ->
            seenByHandler.add(
                store.written.stream()
                    .filter(r -> r.id().equals(ctx.runId()))
                    .map(Run::state)
                    .toList());
    h.engine.schedule(job("a", Trigger.once(h.at(10))).build());
    h.advanceAndRun(Duration.ofSeconds(10));

    assertThat(seenByHandler).containsExactly(List.of(RunState.CLAIMED));
    assertThat(store.written).extracting(Run::state).endsWith(RunState.SUCCEEDED);
    assertThat(store.find(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
  }

  @Test
  void aRunningRunIsListedAsRunningThoughTheStoreHasItAsClaimed() {
    List<List<Run>> seenByHandler = new ArrayList<>();
    h.behaviour =
        ctx -> {
          seenByHandler.add(query(RunState.RUNNING));
          seenByHandler.add(query(RunState.CLAIMED));
          seenByHandler.add(query());
        };
    h.engine.schedule(job("a", Trigger.once(h.at(10))).build());
    h.advanceAndRun(Duration.ofSeconds(10));

    assertThat(seenByHandler.get(0)).extracting(Run::state).containsExactly(RunState.RUNNING);
    assertThat(seenByHandler.get(1)).isEmpty();
    assertThat(seenByHandler.get(2)).extracting(Run::state).containsExactly(RunState.RUNNING);
    assertThat(query(RunState.RUNNING)).isEmpty();
    assertThat(query()).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
  }

  private List<Run> query(RunState... states) {
    return h.engine
        .runs(new dev.chime.spi.RunQuery(JobId.of("a"), Set.of(states), 10, null))
        .items();
  }

  @Test
  void runsOfARefusedAdvanceAreDroppedUnstartedAndTheOccurrenceFiresLater() {
    h.engine.schedule(job("a", Trigger.once(h.at(10))).build());
    store.refuseNext = true;
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isZero();
    assertThat(h.calls).isEmpty();
    assertThat(h.engine.runs(JobId.of("a"), 10)).isEmpty();

    // The occurrence is the store's again (released here, as a lease that ran out would be).
    h.clock.advance(Duration.ofSeconds(1));
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.calls).containsExactly("a@" + h.at(10) + "#1");
  }

  @Test
  void aStoreThatCannotWriteDelaysTheOccurrenceButLosesNeitherItNorARecord() {
    h.engine.schedule(job("a", Trigger.once(h.at(10))).build());
    h.engine.schedule(job("b", Trigger.once(h.at(20))).build());
    store.failWrites = 1;
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).as("not started unrecorded").isZero();
    assertThat(h.calls).isEmpty();

    // a's claim holds for the 30 s lease, then a is claimed again; b falls due meanwhile
    assertThat(h.advanceAndRun(Duration.ofSeconds(31))).isEqualTo(2);
    assertThat(h.calls).containsExactly("a@" + h.at(10) + "#1", "b@" + h.at(20) + "#1");
    assertThat(store.written)
        .filteredOn(r -> r.state() == RunState.SUCCEEDED)
        .extracting(r -> r.jobId().value())
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aRetentionPrunesEveryMinuteInSmallBatchesAndStopsForAStoreThatCannot() {
    Harness kept = new Harness(store, Map.of(), Duration.ofHours(1), 3);
    kept.engine.runDue();
    kept.advanceAndRun(Duration.ofSeconds(30));
    kept.advanceAndRun(Duration.ofSeconds(31));
    assertThat(store.prunes)
        .containsExactly(
            kept.at(-3600) + " keep 3 by " + Engine.PRUNE_BATCH,
            kept.at(-3600 + 61) + " keep 3 by " + Engine.PRUNE_BATCH);

    store.canPrune = false;
    kept.advanceAndRun(Duration.ofMinutes(1));
    store.canPrune = true;
    kept.advanceAndRun(Duration.ofMinutes(5));
    assertThat(store.prunes).as("not asked again once it said it cannot").hasSize(2);
  }

  @Test
  void aWriteThatCommittedButLostItsAnswerStartsItsRunsOnceTheStoreAnswersAgain() {
    h.engine.schedule(job("a", Trigger.once(h.at(10))).build());
    store.loseAnswers = 1;
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isZero();

    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(h.calls).containsExactly("a@" + h.at(10) + "#1");
    h.advanceAndRun(Duration.ofMinutes(2)); // past the claim's lease: nothing fires twice
    assertThat(h.calls).hasSize(1);
    assertThat(h.runs("a")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
  }

  @Test
  void occurrencesAreClaimedAheadNotOnEveryCycle() {
    h.engine.schedule(job("tick", Trigger.every(Duration.ofMillis(100))).build());
    h.engine.runDue();
    int afterFirst = store.claims;
    for (int i = 0; i < 9; i++) {
      h.advanceAndRun(Duration.ofMillis(100)); // 0.9 s: inside half the 2 s window
    }
    assertThat(store.claims).isEqualTo(afterFirst);
    h.advanceAndRun(Duration.ofMillis(200)); // past half the window: claim again
    assertThat(store.claims).isEqualTo(afterFirst + 1);
  }

  @Test
  void aJobAddedInsideTheClaimedWindowIsClaimedAtOnce() {
    h.engine.schedule(job("far", Trigger.once(h.at(3600))).build());
    h.engine.runDue();
    h.engine.schedule(job("soon", Trigger.once(h.at(1))).build());
    h.advanceAndRun(Duration.ofSeconds(1));
    assertThat(h.calls).containsExactly("soon@" + h.at(1) + "#1");
  }

  @Test
  void anOrphanedRunFailsAsInterruptedAndIsRetriedByItsPolicy() {
    h.engine.schedule(
        job("a", Trigger.once(h.at(3600)))
            .retry(RetryPolicy.fixed(3, Duration.ofSeconds(5)))
            .build());
    Run orphan = orphan("a", 1, RunState.RUNNING, null);
    store.orphans.add(orphan);
    h.engine.runDue();
    Run failed = h.engine.run(orphan.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(failed.reason()).contains("interrupted");

    h.advanceAndRun(Duration.ofSeconds(5));
    assertThat(h.calls).containsExactly("a@" + h.at(-60) + "#2");
  }

  /**
   * A job due at 10 s whose first attempt fails and is retried 5 s later, on a store that writes
   * records behind; returns, per run of it, the states on record as its handler started.
   */
  private List<List<RunState>> retriedOnceWrittenBehind(String id) {
    store.writeBehind = true;
    List<List<RunState>> seenByHandler = new ArrayList<>();
    h.behaviour =
        ctx -> {
          seenByHandler.add(
              store.written.stream()
                  .filter(r -> r.id().equals(ctx.runId()))
                  .map(Run::state)
                  .toList());
          if (ctx.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
          }
        };
    h.engine.schedule(
        job(id, Trigger.once(h.at(10))).retry(RetryPolicy.fixed(2, Duration.ofSeconds(5))).build());
    return seenByHandler;
  }

  @Test
  void aRetryIsOnRecordAsClaimedBeforeItStartsThoughRecordsAreWrittenBehind() {
    List<List<RunState>> seenByHandler = retriedOnceWrittenBehind("a");
    h.advanceAndRun(Duration.ofSeconds(10));
    h.advanceAndRun(Duration.ofSeconds(5));

    assertThat(h.calls).containsExactly("a@" + h.at(10) + "#1", "a@" + h.at(10) + "#2");
    assertThat(seenByHandler)
        .containsExactly(List.of(RunState.CLAIMED), List.of(RunState.RETRYING, RunState.CLAIMED));
  }

  @Test
  void aRetryWaitsUntilItsClaimedRecordIsStored() {
    List<List<RunState>> seenByHandler = retriedOnceWrittenBehind("w");
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);

    store.failFlushes = 1; // the retry falls due while its CLAIMED record cannot be stored
    assertThat(h.advanceAndRun(Duration.ofSeconds(5))).isZero();
    assertThat(h.calls).containsExactly("w@" + h.at(10) + "#1");
    assertThat(h.engine.runs(JobId.of("w"), 5).get(0).state()).isEqualTo(RunState.CLAIMED);

    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1); // the store writes again
    assertThat(h.calls).containsExactly("w@" + h.at(10) + "#1", "w@" + h.at(10) + "#2");
    assertThat(seenByHandler)
        .containsExactly(List.of(RunState.CLAIMED), List.of(RunState.RETRYING, RunState.CLAIMED));
  }

  @Test
  void aRunNowQueuedBehindAnotherIsAcceptedOnceItsRecordIsStored() {
    store.writeBehind = true;
    h.engine.schedule(
        job("q", Trigger.once(h.at(3600))).overlap(dev.chime.OverlapPolicy.queue(1, 1)).build());
    RunId first = h.engine.runNow(JobId.of("q"));
    RunId queued = h.engine.runNow(JobId.of("q")); // waits behind the first, by its overlap policy
    assertThat(store.written)
        .filteredOn(r -> r.id().equals(queued))
        .extracting(Run::state)
        .containsExactly(RunState.CLAIMED);
    assertThat(h.engine.runDue()).isEqualTo(2);
    assertThat(h.calls).hasSize(2);
    store.flush(); // the ends are written behind
    assertThat(store.written)
        .filteredOn(r -> r.id().equals(first) || r.id().equals(queued))
        .filteredOn(r -> r.state().isFinal())
        .extracting(Run::state)
        .containsExactly(RunState.SUCCEEDED, RunState.SUCCEEDED);
  }

  @Test
  void runNowIsRefusedWhenTheStoreCannotRecordTheRun() {
    h.engine.schedule(job("n", Trigger.once(h.at(3600))).build());
    store.failWrites = 1;
    assertThatThrownBy(() -> h.engine.runNow(JobId.of("n")))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.UNAVAILABLE))
        .hasMessageContaining("so it was not started: the database is down");

    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isZero(); // the store writes again
    assertThat(h.calls).isEmpty();
    assertThat(store.written)
        .filteredOn(r -> r.jobId().value().equals("n"))
        .extracting(Run::state, Run::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunState.CLAIMED, null),
            org.assertj.core.groups.Tuple.tuple(
                RunState.CANCELLED, "not started: the store could not record it"));

    RunId later = h.engine.runNow(JobId.of("n")); // with the store up, it runs
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.engine.run(later).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aDurableEnginesInstantsAreMicrosecondsAsItsStoreKeepsThem() {
    h.engine.schedule(job("a", Trigger.once(h.at(3600))).build());
    h.clock.advance(Duration.ofNanos(1_234_567));
    RunId id = h.engine.runNow(JobId.of("a"));
    h.engine.runDue();

    Run run = h.engine.run(id).orElseThrow();
    assertThat(run.scheduledFor()).isEqualTo(h.at(0).plusNanos(1_234_000));
    assertThat(run.startedAt()).isEqualTo(run.scheduledFor());
    assertThat(run.finishedAt()).isEqualTo(run.scheduledFor());
  }

  /** Another node fires the job between this one's read of it and its write. */
  private void anotherNodeFiresItFirst(String id, Instant next) {
    store.beforeUpdate =
        () -> {
          Claim claim =
              store.inner.claim(h.at(0), h.at(3600), 10, h.at(3600)).stream()
                  .filter(c -> c.job().id().value().equals(id))
                  .findFirst()
                  .orElseThrow();
          assertThat(store.inner.advance(claim, next, 1, JobState.ACTIVE)).isTrue();
        };
  }

  @Test
  void aPauseOrUpdateReadBeforeAnotherNodesFiringIsMadeToWhatTheFiringLeft() {
    h.engine.schedule(job("a", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    anotherNodeFiresItFirst("a", h.at(120));
    JobInfo paused = h.engine.pause(JobId.of("a"), "hold");
    assertThat(paused.state()).isEqualTo(JobState.PAUSED);
    assertThat(paused.nextFireAt()).as("not back to 00:01").isEqualTo(h.at(120));
    assertThat(paused.runCount()).isEqualTo(1);
    h.engine.schedule(job("b", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60))).build());
    anotherNodeFiresItFirst("b", h.at(120));
    JobInfo updated =
        h.engine.update(
            job("b", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)))
                .labels("x")
                .build());
    assertThat(updated.nextFireAt()).isEqualTo(h.at(120));
    assertThat(updated.runCount()).isEqualTo(1);
    assertThat(updated.job().labels()).containsExactly("x");
  }

  /** Job "w" fails its first attempt at 00:10; its second waits until 00:20. */
  private Run aFailedFirstAttemptWithARetryIn10s() {
    h.engine.schedule(
        job("w", Trigger.once(h.at(10)))
            .retry(RetryPolicy.fixed(2, Duration.ofSeconds(10)))
            .build());
    h.behaviour =
        ctx -> {
          throw new IllegalStateException("boom");
        };
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isEqualTo(1);
    Run waiting = h.engine.runs(JobId.of("w"), 1).get(0);
    assertThat(waiting.state()).isEqualTo(RunState.RETRYING);
    return waiting;
  }

  @Test
  void aRetryWhoseJobAnotherNodeDeletedIsCancelledNotRun() {
    Run waiting = aFailedFirstAttemptWithARetryIn10s();
    assertThat(store.inner.delete(JobId.of("w"))).isTrue(); // another node's delete
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isZero();
    assertThat(h.calls).hasSize(1);
    Run cancelled = h.engine.run(waiting.id()).orElseThrow();
    assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
    assertThat(cancelled.reason()).isEqualTo("the job was deleted");
  }

  @Test
  void aRetryAnotherNodeTookOverIsLeftToIt() {
    Run waiting = aFailedFirstAttemptWithARetryIn10s();
    assertThat(h.engine.runDue()).isZero(); // its RETRYING record is written
    assertThat(store.written).extracting(Run::id).contains(waiting.id());
    Run taken =
        new Run(
            waiting.id(),
            waiting.jobId(),
            waiting.scheduledFor(),
            waiting.attempt(),
            RunState.RETRYING,
            waiting.reason(),
            null,
            null,
            null,
            "",
            0,
            null,
            null,
            "other-node",
            null);
    store.otherNodes.put(taken.id(), taken); // this node was silent past its lease: recovered there
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isZero();
    assertThat(h.calls).hasSize(1);
    assertThat(h.engine.run(waiting.id()).orElseThrow().node()).isEqualTo("other-node");
    assertThat(h.advanceAndRun(Duration.ofMinutes(5))).isZero();
  }

  /**
   * Jobs "first" and "second" of group g (limit 1) fall due together at 00:10: second waits,
   * recorded as claimed, while first runs, and first's handler does {@code meanwhile} (a lapse).
   */
  private Harness secondWaitsWhileFirstRuns(java.util.function.Consumer<Run> meanwhile) {
    Harness grouped = new Harness(store, Map.of("g", 1));
    grouped.engine.schedule(job("first", Trigger.once(grouped.at(10))).group("g").build());
    grouped.engine.schedule(job("second", Trigger.once(grouped.at(10))).group("g").build());
    grouped.behaviour =
        ctx -> {
          if (ctx.jobId().value().equals("first")) {
            meanwhile.accept(grouped.engine.runs(JobId.of("second"), 1).get(0));
          }
        };
    grouped.clock.advance(Duration.ofSeconds(10));
    return grouped;
  }

  @Test
  void aWaitingRunAnotherNodeTookOverWhileThisOneWasTakenForDeadIsLeftToIt() {
    Harness grouped =
        secondWaitsWhileFirstRuns(
            second -> {
              assertThat(second.state()).isEqualTo(RunState.CLAIMED);
              store.otherNodes.put(second.id(), second.withNode("other-node"));
              store.life = 1; // the heartbeat found this node forgotten, and registered again
            });
    grouped.engine.runDue();
    assertThat(grouped.calls).containsExactly("first@" + grouped.at(10) + "#1");
    grouped.clock.advance(Duration.ofSeconds(5));
    grouped.engine.runDue();
    assertThat(grouped.calls).as("second is the other node's").hasSize(1);
    assertThat(store.written)
        .filteredOn(r -> r.jobId().value().equals("second"))
        .extracting(Run::state)
        .containsOnly(RunState.CLAIMED);
  }

  @Test
  void aWaitingRunStillThisNodesStartsOnceItsHeartbeatIsWrittenAgain() {
    Harness grouped = secondWaitsWhileFirstRuns(second -> store.life = -1);
    grouped.engine.runDue();
    grouped.clock.advance(Duration.ofSeconds(5));
    grouped.engine.runDue();
    assertThat(grouped.calls)
        .as("not started while other nodes may take it")
        .containsExactly("first@" + grouped.at(10) + "#1");

    store.life = 1; // a late heartbeat is written: a new life, and the store still has it as ours
    grouped.clock.advance(Duration.ofSeconds(1));
    grouped.engine.runDue();
    assertThat(grouped.calls)
        .containsExactly("first@" + grouped.at(10) + "#1", "second@" + grouped.at(10) + "#1");
    assertThat(store.written)
        .filteredOn(r -> r.jobId().value().equals("second"))
        .extracting(Run::state)
        .endsWith(RunState.SUCCEEDED);
  }

  @Test
  void aRetryWhoseStoreDoesNotAnswerWaitsAndStartsOnceItDoes() {
    aFailedFirstAttemptWithARetryIn10s();
    h.behaviour = ctx -> {};
    store.failReads = 1;
    assertThat(h.advanceAndRun(Duration.ofSeconds(10))).isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(h.calls).containsExactly("w@" + h.at(10) + "#1", "w@" + h.at(10) + "#2");
  }

  @Test
  void anOrphanedRetryWaitsOutTheBackoffItsFailedAttemptGaveIt() {
    h.engine.schedule(
        job("a", Trigger.once(h.at(3600)))
            .retry(RetryPolicy.fixed(3, Duration.ofHours(1)))
            .build());
    Run failed =
        new Run(
            store.newRunId(),
            JobId.of("a"),
            h.at(-60),
            1,
            RunState.FAILED,
            null,
            h.at(-60),
            h.at(-5),
            "java.lang.IllegalStateException: boom",
            "",
            0,
            null,
            null,
            "dead-node",
            null);
    store.record(List.of(failed));
    store.orphans.add(orphan("a", 2, RunState.RETRYING, "attempt 1 failed"));
    h.engine.runDue();
    assertThat(h.advanceAndRun(Duration.ofSeconds(3594))).as("00:59:54").isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).as("01:00 after the failure").isEqualTo(1);
    assertThat(h.calls).containsExactly("a@" + h.at(-60) + "#2");
  }

  @Test
  void aFixedDelayJobWhoseNextFireTimeCannotBeWrittenAtItsRunsEndIsMovedOnOnceItCan() {
    h.engine.schedule(
        job("fd", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(60)).fixedDelay()).build());
    store.failUpdates = 2; // the write after the run ends, and the first try again
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(h.engine.get(JobId.of("fd")).orElseThrow().nextFireAt()).isNull();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isZero();
    assertThat(h.engine.get(JobId.of("fd")).orElseThrow().nextFireAt()).isNull();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isZero();
    assertThat(h.engine.get(JobId.of("fd")).orElseThrow().nextFireAt())
        .as("a minute after the run ended")
        .isEqualTo(h.at(120));
    assertThat(h.advanceAndRun(Duration.ofSeconds(58))).isEqualTo(1);
    assertThat(h.calls).containsExactly("fd@" + h.at(60) + "#1", "fd@" + h.at(120) + "#1");
  }

  @Test
  void aJobAnotherNodeQuarantinedForLackOfAHandlerThisNodeHasIsTakenBackAndRuns() {
    h.engine.schedule(job("q", Trigger.every(Duration.ofMinutes(1)).startingAt(h.at(5))).build());
    h.engine.schedule(job("other", Trigger.once(h.at(5))).build());
    store.quarantine(JobId.of("q"), "no handler named 'work' is registered"); // an older node
    store.quarantine(JobId.of("other"), "no handler named 'gone' is registered");
    assertThat(h.advanceAndRun(Duration.ofSeconds(5))).as("taken back at the first look").isOne();
    assertThat(h.calls).containsExactly("q@" + h.at(5) + "#1");
    assertThat(store.quarantined())
        .extracting(dev.chime.spi.Quarantined::id)
        .as("a handler this node lacks too stays set aside")
        .containsExactly(JobId.of("other"));
    store.quarantine(JobId.of("q"), "no handler named 'work' is registered"); // set aside again
    h.advanceAndRun(Duration.ofSeconds(5));
    assertThat(store.setAside).as("00:00:10: no look yet").containsKey(JobId.of("q"));
    h.advanceAndRun(Duration.ofSeconds(5));
    assertThat(store.setAside).as("00:00:15: 10 s after the last").doesNotContainKey(JobId.of("q"));
    assertThat(h.advanceAndRun(Duration.ofSeconds(50))).as("00:01:05").isOne();
    assertThat(h.calls).containsExactly("q@" + h.at(5) + "#1", "q@" + h.at(65) + "#1");
  }

  @Test
  void aNodeThatDoesNotLeadWaitsForItsNextDeadlineLikeTheLeader() {
    h.engine.schedule(job("a", Trigger.once(h.at(60))).build());
    for (boolean leads : new boolean[] {false, true}) {
      store.leads = leads;
      long next = h.engine.cycleOnce();
      assertThat(next)
          .as("leads: " + leads + ": the next cycle is not in the past (the dispatcher would spin)")
          .isGreaterThan(Nanos.of(h.clock.instant()));
    }
  }

  @Test
  void anOrphanWithoutRetriesLeft() {
    h.engine.schedule(job("a", Trigger.once(h.at(3600))).build());
    store.orphans.add(orphan("a", 1, RunState.CLAIMED, null));
    h.engine.runDue();
    h.advanceAndRun(Duration.ofMinutes(5));
    assertThat(h.calls).isEmpty();
    assertThat(h.runs("a")).extracting(Run::state).containsExactly(RunState.FAILED);
  }

  @Test
  void anOrphanOfADeletedJobIsRecordedAsCancelled() {
    Run orphan = orphan("gone", 1, RunState.RUNNING, null);
    store.orphans.add(orphan);
    h.engine.runDue();
    Run recorded = h.engine.run(orphan.id()).orElseThrow();
    assertThat(recorded.state()).isEqualTo(RunState.CANCELLED);
    assertThat(recorded.reason()).contains("job is gone");
  }

  /**
   * A once job a dead scheduler fired and left waiting for its retry (active, no next fire time)
   * finishes here once the recovered retry has ended.
   */
  @Test
  void aJobADeadSchedulerLeftWaitingForItsRetryFinishesWhenTheRetryEnds() {
    h.engine.schedule(
        job("a", Trigger.once(h.at(-60))).retry(RetryPolicy.fixed(2, Duration.ZERO)).build());
    JobInfo read = store.find(JobId.of("a")).orElseThrow();
    store.update(new JobInfo(read.job(), JobState.ACTIVE, null, null, 1, read.version()));
    store.orphans.add(orphan("a", 2, RunState.RETRYING, "attempt 1 failed"));
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.calls).containsExactly("a@" + h.at(-60) + "#2");
    assertThat(h.engine.get(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
  }

  @Test
  void anOrphanWaitingToRetryWaitsAgainWithTheSameAttempt() {
    h.engine.schedule(job("a", Trigger.once(h.at(3600))).build());
    store.orphans.add(orphan("a", 2, RunState.RETRYING, "attempt 1 failed"));
    h.engine.runDue();
    assertThat(h.calls).containsExactly("a@" + h.at(-60) + "#2");
  }

  /** A once job "a" with two attempts 5 s apart, finished (its run now is what the orphan was). */
  private void finishedWithTwoAttempts() {
    h.engine.schedule(
        job("a", Trigger.once(h.at(3600)))
            .retry(RetryPolicy.fixed(2, Duration.ofSeconds(5)))
            .build());
    JobInfo read = store.find(JobId.of("a")).orElseThrow();
    store.update(new JobInfo(read.job(), JobState.FINISHED, null, null, 1, read.version()));
  }

  /**
   * A run of a finished job (a run now) that a dead scheduler left running fails here as
   * interrupted, and its retry makes the job active until it ends, as for a run made here.
   */
  @Test
  void anOrphanedRunOfAFinishedJobIsRetriedWithTheJobActiveUntilTheRetryEnds() {
    finishedWithTwoAttempts();
    store.orphans.add(orphan("a", 1, RunState.RUNNING, null));
    h.engine.runDue();
    assertThat(h.engine.get(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
    h.advanceAndRun(Duration.ofSeconds(5));
    assertThat(h.calls).containsExactly("a@" + h.at(-60) + "#2");
    assertThat(h.engine.get(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
  }

  /** One left waiting for its retry while its job shows finished: the job is active until then. */
  @Test
  void anOrphanedRetryOfAFinishedJobMakesItActiveUntilTheRetryEnds() {
    finishedWithTwoAttempts();
    store.orphans.add(orphan("a", 2, RunState.RETRYING, "attempt 1 failed"));
    h.behaviour =
        ctx ->
            assertThat(h.engine.get(JobId.of("a")).orElseThrow().state())
                .isEqualTo(JobState.ACTIVE);
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(h.runs("a")).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(h.engine.get(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
  }
}
