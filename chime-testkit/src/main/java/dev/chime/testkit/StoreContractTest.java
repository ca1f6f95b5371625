package dev.chime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Event;
import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} must do. A store's test extends this and supplies a fresh, empty
 * store; every store runs the same checks (STYLE.md, practice 7).
 *
 * {@snippet :
 * class InMemoryStoreTest extends StoreContractTest {
 *   @Override
 *   protected JobStore newStore() {
 *     return JobStore.inMemory(1000);
 *   }
 * }
 * }
 */
public abstract class StoreContractTest {
  /** A fixed "now" for the checks. */
  protected static final Instant NOW = Instant.parse("2026-03-29T00:30:00Z");

  private static final Duration LEASE = Duration.ofSeconds(30);

  /** The store under test. */
  protected JobStore store;

  /** For subclasses. */
  protected StoreContractTest() {}

  /** A new, empty store. */
  protected abstract JobStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** A stored-job value due at the instant (null: not due). */
  protected static JobInfo job(String id, Instant next) {
    Job job =
        Job.builder(id)
            .handler("h")
            .trigger(Trigger.every(Duration.ofMinutes(1)))
            .labels("contract")
            .build();
    return new JobInfo(job, JobState.ACTIVE, null, next, 0, 0);
  }

  private List<Claim> claimNow(Instant horizon, int limit) {
    return store.claim(NOW, horizon, limit, NOW.plus(LEASE));
  }

  @Test
  void insertedJobsAreFoundWithVersionOne() {
    JobInfo stored = store.insert(job("a", NOW));
    assertThat(stored.version()).isEqualTo(1);
    assertThat(store.find(JobId.of("a"))).contains(stored);
    assertThat(store.find(JobId.of("missing"))).isEmpty();
  }

  @Test
  void aTakenIdIsAConflict() {
    store.insert(job("a", NOW));
    assertThatThrownBy(() -> store.insert(job("a", NOW)))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.CONFLICT))
        .hasMessageContaining("a");
  }

  @Test
  void updatesNeedTheCurrentVersion() {
    JobInfo first = store.insert(job("a", NOW));
    JobInfo second = store.update(withNote(first, "one"));
    assertThat(second.version()).isEqualTo(2);
    assertThat(store.find(first.id()).orElseThrow().note()).isEqualTo("one");
    assertThatThrownBy(() -> store.update(withNote(first, "stale")))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.CONFLICT))
        .hasMessageContaining("version");
    assertThat(store.find(first.id()).orElseThrow().note()).isEqualTo("one");
  }

  @Test
  void updatingAMissingJobIsNotFound() {
    assertThatThrownBy(() -> store.update(job("ghost", NOW)))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.NOT_FOUND));
  }

  private static JobInfo withNote(JobInfo info, String note) {
    return new JobInfo(
        info.job(), info.state(), note, info.nextFireAt(), info.runCount(), info.version());
  }

  @Test
  void listsAreOrderedByIdAndFiltered() {
    store.insert(job("b", NOW));
    store.insert(job("a", null));
    JobInfo c = store.insert(job("c", NOW));
    store.update(new JobInfo(c.job(), JobState.PAUSED, "n", NOW, 0, c.version()));
    assertThat(store.list(JobQuery.ALL))
        .extracting(i -> i.id().value())
        .containsExactly("a", "b", "c");
    assertThat(store.list(JobQuery.ALL.withState(JobState.PAUSED)))
        .extracting(i -> i.id().value())
        .containsExactly("c");
    assertThat(store.list(JobQuery.ALL.withLabel("other"))).isEmpty();
  }

  @Test
  void listPagesGoByIdFromTheCursorWithTheFilters() {
    for (String id : List.of("e", "a", "d", "b", "c", "f")) {
      Job.Builder builder =
          Job.builder(id).handler("h").trigger(Trigger.every(Duration.ofMinutes(1)));
      if (!id.equals("b") && !id.equals("e")) {
        builder.labels("odd-page");
      }
      store.insert(new JobInfo(builder.build(), JobState.ACTIVE, null, NOW, 0, 0));
    }
    JobInfo d = store.find(JobId.of("d")).orElseThrow();
    store.update(new JobInfo(d.job(), JobState.PAUSED, "n", NOW, 0, d.version()));

    assertThat(ids(store.list(JobQuery.ALL, null, 2))).containsExactly("a", "b");
    assertThat(ids(store.list(JobQuery.ALL, JobId.of("b"), 2))).containsExactly("c", "d");
    assertThat(ids(store.list(JobQuery.ALL, JobId.of("d"), 5))).containsExactly("e", "f");
    assertThat(store.list(JobQuery.ALL, JobId.of("f"), 5)).isEmpty();
    assertThat(store.list(JobQuery.ALL, null, 0)).isEmpty();
    // after need not name a job: the page starts at the next id
    assertThat(ids(store.list(JobQuery.ALL, JobId.of("bb"), 1))).containsExactly("c");
    // filters apply before the limit
    JobQuery labelled = JobQuery.ALL.withLabel("odd-page");
    assertThat(ids(store.list(labelled, null, 2))).containsExactly("a", "c");
    assertThat(ids(store.list(labelled, JobId.of("c"), 2))).containsExactly("d", "f");
    assertThat(ids(store.list(JobQuery.ALL.withState(JobState.ACTIVE), JobId.of("c"), 2)))
        .containsExactly("e", "f");
    assertThat(ids(store.list(labelled.withText("F"), null, 10))).containsExactly("f");
  }

  private static List<String> ids(List<JobInfo> jobs) {
    return jobs.stream().map(i -> i.id().value()).toList();
  }

  private static JobInfo listener(String id, String event) {
    Job job = Job.builder(id).handler("h").trigger(Trigger.onEvent(event)).build();
    return new JobInfo(job, JobState.ACTIVE, null, null, 0, 0);
  }

  @Test
  void listeningFindsTheJobsOfAnEventByIdInAnyStateAndFollowsUpdates() {
    store.insert(listener("b", "deploy"));
    JobInfo a = store.insert(listener("a", "deploy"));
    store.insert(listener("c", "deploy.done"));
    store.insert(job("d", NOW));
    store.update(new JobInfo(a.job(), JobState.PAUSED, "n", null, 0, a.version()));
    assertThat(store.listening("deploy")).extracting(i -> i.id().value()).containsExactly("a", "b");
    assertThat(store.listening("deploy").get(0).state()).isEqualTo(JobState.PAUSED);
    assertThat(store.listening("deploy.done")).extracting(i -> i.id().value()).containsExactly("c");
    assertThat(store.listening("nobody")).isEmpty();

    JobInfo b = store.find(JobId.of("b")).orElseThrow();
    store.update(
        new JobInfo(listener("b", "other").job(), JobState.ACTIVE, null, null, 0, b.version()));
    store.delete(JobId.of("a"));
    assertThat(store.listening("deploy")).isEmpty();
    assertThat(store.listening("other")).extracting(i -> i.id().value()).containsExactly("b");
    store.insertAll(List.of(listener("e", "other")));
    assertThat(store.listening("other")).extracting(i -> i.id().value()).containsExactly("b", "e");
    assertThat(claimNow(NOW.plusSeconds(3600), 10))
        .extracting(claim -> claim.job().id().value())
        .containsExactly("d");
  }

  @Test
  void aRunKeepsTheEventThatStartedIt() {
    RunId id = store.newRunId();
    Event event = new Event("deploy", Map.of("version", "1.2", "hosts", List.of("a", "b"), "n", 3));
    Run claimed =
        new Run(
            id,
            JobId.of("a"),
            NOW,
            1,
            RunState.CLAIMED,
            null,
            null,
            null,
            null,
            "",
            0,
            null,
            null,
            store.node(),
            event);
    store.record(List.of(claimed));
    assertThat(store.run(id).orElseThrow().event()).isEqualTo(event);
    store.record(List.of(run(id, JobId.of("a"), NOW, RunState.SUCCEEDED)));
    assertThat(store.run(id).orElseThrow().event()).isNull();
    Run bare = run(store.newRunId(), JobId.of("a"), NOW, RunState.SUCCEEDED);
    store.record(
        List.of(
            new Run(
                bare.id(),
                bare.jobId(),
                bare.scheduledFor(),
                1,
                RunState.SKIPPED,
                "paused",
                null,
                NOW,
                null,
                "",
                0,
                null,
                null,
                store.node(),
                new Event("tick", null))));
    assertThat(store.run(bare.id()).orElseThrow().event()).isEqualTo(new Event("tick", null));
  }

  @Test
  void deletedJobsAreGone() {
    store.insert(job("a", NOW));
    assertThat(store.delete(JobId.of("a"))).isTrue();
    assertThat(store.delete(JobId.of("a"))).isFalse();
    assertThat(store.find(JobId.of("a"))).isEmpty();
    assertThat(claimNow(NOW, 10)).isEmpty();
  }

  @Test
  void claimsTakeDueActiveJobsEarliestFirstUpToTheLimit() {
    store.insert(job("late", NOW.plusSeconds(2)));
    store.insert(job("early", NOW.minusSeconds(5)));
    store.insert(job("mid", NOW));
    store.insert(job("future", NOW.plusSeconds(60)));
    store.insert(job("never", null));
    JobInfo paused = store.insert(job("paused", NOW.minusSeconds(9)));
    store.update(new JobInfo(paused.job(), JobState.PAUSED, "x", NOW.minusSeconds(9), 0, 1));

    List<Claim> first = claimNow(NOW.plusSeconds(5), 2);
    assertThat(first).extracting(c -> c.job().id().value()).containsExactly("early", "mid");
    assertThat(first.get(0).scheduledFor()).isEqualTo(NOW.minusSeconds(5));
    List<Claim> rest = claimNow(NOW.plusSeconds(5), 10);
    assertThat(rest).extracting(c -> c.job().id().value()).containsExactly("late");
    assertThat(store.nextDue()).contains(NOW.plusSeconds(60));
  }

  @Test
  void aClaimedJobIsNotClaimedAgainUntilItsLeaseEnds() {
    store.insert(job("a", NOW));
    Claim first = claimNow(NOW, 10).get(0);
    assertThat(claimNow(NOW, 10)).isEmpty();
    assertThat(store.nextDue()).isEmpty();

    List<Claim> after =
        store.claim(NOW.plus(LEASE), NOW.plus(LEASE), 10, NOW.plus(LEASE).plus(LEASE));
    assertThat(after).hasSize(1);
    assertThat(after.get(0).token()).isGreaterThan(first.token());
    assertThat(store.advance(first, NOW.plusSeconds(60), 1, JobState.ACTIVE))
        .as("the first claim's token is stale")
        .isFalse();
    assertThat(store.find(JobId.of("a")).orElseThrow().nextFireAt()).isEqualTo(NOW);
    assertThat(store.advance(after.get(0), NOW.plusSeconds(60), 1, JobState.ACTIVE)).isTrue();
    assertThat(store.find(JobId.of("a")).orElseThrow().nextFireAt()).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void advanceMovesTheJobAndEndsTheClaim() {
    store.insert(job("a", NOW));
    Claim claim = claimNow(NOW, 10).get(0);
    assertThat(store.advance(claim, NOW.plusSeconds(60), 1, JobState.ACTIVE)).isTrue();
    JobInfo moved = store.find(JobId.of("a")).orElseThrow();
    assertThat(moved.nextFireAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(moved.runCount()).isEqualTo(1);
    assertThat(store.advance(claim, NOW.plusSeconds(120), 2, JobState.ACTIVE)).isFalse();
    assertThat(claimNow(NOW.plusSeconds(60), 10)).hasSize(1);
  }

  /**
   * An advance is a new version: a change read before it (another node's pause, say) would
   * otherwise write the old next fire time back, and the occurrence would run again.
   */
  @Test
  void anUpdateBasedOnAReadBeforeAnAdvanceIsAConflict() {
    store.insert(job("a", NOW));
    Claim claim = claimNow(NOW, 10).get(0);
    JobInfo before = store.find(JobId.of("a")).orElseThrow();
    assertThat(store.advance(claim, NOW.plusSeconds(60), 1, JobState.ACTIVE)).isTrue();
    JobInfo after = store.find(JobId.of("a")).orElseThrow();
    assertThat(after.version()).isGreaterThan(before.version());
    assertThatThrownBy(() -> store.update(withNote(before, "paused")))
        .isInstanceOf(SchedulerException.class)
        .extracting(e -> ((SchedulerException) e).kind())
        .isEqualTo(SchedulerException.Kind.CONFLICT);
    assertThat(store.find(JobId.of("a")).orElseThrow().nextFireAt()).isEqualTo(NOW.plusSeconds(60));
    JobInfo noted = store.update(withNote(after, "paused"));
    assertThat(noted.runCount()).isEqualTo(1);
    assertThat(
            store.write(
                List.of(
                    new Advance(
                        claimNow(NOW.plusSeconds(60), 10).get(0),
                        NOW.plusSeconds(120),
                        2,
                        JobState.ACTIVE,
                        List.of())),
                List.of()))
        .isEmpty();
    assertThatThrownBy(() -> store.update(withNote(noted, "again")))
        .as("a written advance too")
        .isInstanceOf(SchedulerException.class);
  }

  @Test
  void advanceCanFinishAJob() {
    store.insert(job("a", NOW));
    Claim claim = claimNow(NOW, 10).get(0);
    assertThat(store.advance(claim, null, 1, JobState.FINISHED)).isTrue();
    assertThat(store.find(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.FINISHED);
    assertThat(claimNow(NOW.plusSeconds(3600), 10)).isEmpty();
  }

  @Test
  void releaseLetsTheOccurrenceBeClaimedAgain() {
    store.insert(job("a", NOW));
    Claim claim = claimNow(NOW, 10).get(0);
    assertThat(store.release(claim)).isTrue();
    assertThat(store.release(claim)).isFalse();
    assertThat(claimNow(NOW, 10)).extracting(Claim::scheduledFor).containsExactly(NOW);
  }

  @Test
  void anUpdateVoidsAClaim() {
    store.insert(job("a", NOW));
    Claim claim = claimNow(NOW, 10).get(0);
    JobInfo current = store.find(JobId.of("a")).orElseThrow();
    store.update(withNote(current, "changed"));
    assertThat(store.advance(claim, NOW.plusSeconds(60), 1, JobState.ACTIVE)).isFalse();
    assertThat(store.find(JobId.of("a")).orElseThrow().note()).isEqualTo("changed");
  }

  @Test
  void runIdsAreNeverHandedOutTwiceEvenUnderContention() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    Set<RunId> ids = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          threads.submit(
              () -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                  ids.add(store.newRunId());
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    threads.shutdown();
    assertThat(ids).hasSize(2000);
  }

  @Test
  void recordedRunsComeBackNewestFirst() {
    JobId a = JobId.of("a");
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(run(store.newRunId(), a, NOW.plusSeconds(i), RunState.SUCCEEDED));
    }
    store.record(runs);
    store.record(List.of(run(store.newRunId(), JobId.of("b"), NOW, RunState.FAILED)));
    assertThat(store.runs(a, 3))
        .extracting(Run::scheduledFor)
        .containsExactly(NOW.plusSeconds(4), NOW.plusSeconds(3), NOW.plusSeconds(2));
    assertThat(store.run(runs.get(0).id())).contains(runs.get(0));
    assertThat(store.runs(JobId.of("nobody"), 3)).isEmpty();
  }

  @Test
  void recordingARunAgainKeepsItsNewestState() {
    RunId id = store.newRunId();
    store.record(List.of(run(id, JobId.of("a"), NOW, RunState.RUNNING)));
    store.record(List.of(run(id, JobId.of("a"), NOW, RunState.SUCCEEDED)));
    assertThat(store.run(id).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.runs(JobId.of("a"), 10)).hasSize(1);
  }

  @Test
  void recordedRunsNameTheStoresNodeWhichItLists() {
    RunId id = store.newRunId();
    store.record(
        List.of(
            new Run(
                id,
                JobId.of("a"),
                NOW,
                1,
                RunState.SUCCEEDED,
                null,
                NOW,
                NOW,
                null,
                "",
                100,
                null,
                null,
                null,
                null)));
    assertThat(store.run(id).orElseThrow().node()).isEqualTo(store.node());
    if (!store.nodes().isEmpty()) {
      assertThat(store.nodes()).extracting(dev.chime.NodeInfo::id).contains(store.node());
    }
  }

  @Test
  void claimAheadIsNotNegativeAndLessThanALease() {
    assertThat(store.claimAhead()).isBetween(Duration.ZERO, LEASE);
    assertThat(store.lease()).isGreaterThanOrEqualTo(store.claimAhead()).isPositive();
  }

  @Test
  void writeAppliesEachAdvanceWithItsRunsAndRefusesAStaleOneWhole() {
    store.insert(job("a", NOW));
    store.insert(job("b", NOW));
    List<Claim> claims = claimNow(NOW, 10);
    Claim a = claims.get(0).job().id().value().equals("a") ? claims.get(0) : claims.get(1);
    Claim b = a == claims.get(0) ? claims.get(1) : claims.get(0);
    JobInfo current = store.find(JobId.of("b")).orElseThrow();
    store.update(withNote(current, "changed meanwhile")); // voids b's claim
    Run ranA = run(store.newRunId(), JobId.of("a"), NOW, RunState.CLAIMED);
    Run ranB = run(store.newRunId(), JobId.of("b"), NOW, RunState.CLAIMED);
    Run other = run(store.newRunId(), JobId.of("c"), NOW, RunState.SKIPPED);

    List<Claim> refused =
        store.write(
            List.of(
                new Advance(a, NOW.plusSeconds(60), 1, JobState.ACTIVE, List.of(ranA)),
                new Advance(b, NOW.plusSeconds(60), 1, JobState.ACTIVE, List.of(ranB))),
            List.of(other));

    assertThat(refused).containsExactly(b);
    assertThat(store.find(JobId.of("a")).orElseThrow().nextFireAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(store.find(JobId.of("b")).orElseThrow().nextFireAt()).isEqualTo(NOW);
    assertThat(store.run(ranA.id())).contains(ranA);
    assertThat(store.run(ranB.id())).as("a refused advance's runs are not written").isEmpty();
    assertThat(store.run(other.id())).contains(other);
  }

  // ---------------------------------------------------------------- fired occurrences

  /** Claims the job's occurrence due by {@code at} and writes its firing with a run of it. */
  private List<Claim> fire(String job, Instant at) {
    Claim claim =
        store.claim(at, at.plusSeconds(1), 10, at.plus(LEASE)).stream()
            .filter(c -> c.job().id().value().equals(job))
            .findFirst()
            .orElseThrow();
    Run ran = run(store.newRunId(), claim.job().id(), claim.scheduledFor(), RunState.CLAIMED);
    return store.write(
        List.of(new Advance(claim, at.plusSeconds(60), 1, JobState.ACTIVE, List.of(ran))),
        List.of());
  }

  @Test
  void aWrittenFiringHasFiredItsOccurrenceForItsJobOnly() {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    store.insert(job("b", NOW));
    assertThat(store.fired(a, NOW)).isFalse();
    assertThat(fire("a", NOW)).isEmpty();

    assertThat(store.fired(a, NOW)).isTrue();
    assertThat(store.fired(a, NOW.plusSeconds(60))).as("its next occurrence").isFalse();
    assertThat(store.fired(a, NOW.minusSeconds(60))).isFalse();
    assertThat(store.fired(JobId.of("b"), NOW)).as("another job's occurrence").isFalse();
    assertThat(store.fired(JobId.of("ghost"), NOW)).isFalse();
  }

  /** A store that keeps whole microseconds holds the occurrence as its claim held it. */
  @Test
  void anOccurrenceBetweenMicrosecondsHasFiredAsGiven() {
    JobId a = JobId.of("a");
    Instant between = NOW.plusNanos(500);
    store.insert(job("a", between));
    assertThat(fire("a", NOW)).isEmpty();
    assertThat(store.fired(a, between)).isTrue();
  }

  @Test
  void onlyAWrittenFiringFiresAnOccurrence() {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    store.record(List.of(run(store.newRunId(), a, NOW, RunState.SUCCEEDED))); // a run now
    assertThat(store.fired(a, NOW)).as("a run recorded outside a firing").isFalse();

    Claim released = claimNow(NOW, 10).get(0);
    assertThat(store.release(released)).isTrue();
    assertThat(store.fired(a, NOW)).as("a released claim").isFalse();

    Claim stale = claimNow(NOW, 10).get(0);
    store.update(withNote(store.find(a).orElseThrow(), "changed meanwhile")); // voids the claim
    Run ran = run(store.newRunId(), a, NOW, RunState.CLAIMED);
    assertThat(
            store.write(
                List.of(new Advance(stale, NOW.plusSeconds(60), 1, JobState.ACTIVE, List.of(ran))),
                List.of()))
        .containsExactly(stale);
    assertThat(store.fired(a, NOW)).as("a refused firing").isFalse();
  }

  /**
   * What a job fired stays fired when its trigger changes (an update, then a firing of the new
   * trigger), and goes with the job: a new job given its id has fired nothing.
   */
  @Test
  void firedOccurrencesOutliveAChangedTriggerButNotTheJob() {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    assertThat(fire("a", NOW)).isEmpty();
    JobInfo fired = store.find(a).orElseThrow();
    Job once = Job.builder("a").handler("h").trigger(Trigger.once(NOW.plusSeconds(30))).build();
    store.update(new JobInfo(once, JobState.ACTIVE, null, NOW.plusSeconds(30), 1, fired.version()));
    assertThat(store.fired(a, NOW)).as("after the update").isTrue();
    assertThat(fire("a", NOW.plusSeconds(30))).isEmpty();
    assertThat(store.fired(a, NOW)).as("after the new trigger fired").isTrue();
    assertThat(store.fired(a, NOW.plusSeconds(30))).isTrue();

    assertThat(store.delete(a)).isTrue();
    assertThat(store.fired(a, NOW)).isFalse();
    store.insert(job("a", NOW));
    assertThat(store.fired(a, NOW)).as("a new job with the id").isFalse();
    assertThat(store.fired(a, NOW.plusSeconds(30))).isFalse();
  }

  @Test
  void runQueriesFilterAndPageNewestFirst() {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RunState state = i % 2 == 0 ? RunState.SUCCEEDED : RunState.FAILED;
      runs.add(run(store.newRunId(), JobId.of("a"), NOW.plusSeconds(i), state));
    }
    runs.add(run(store.newRunId(), JobId.of("b"), NOW, RunState.SUCCEEDED));
    store.record(runs);

    dev.chime.spi.RunPage first =
        store.runs(new dev.chime.spi.RunQuery(JobId.of("a"), Set.of(), 2, null));
    assertThat(first.items()).containsExactly(runs.get(4), runs.get(3));
    dev.chime.spi.RunPage second =
        store.runs(new dev.chime.spi.RunQuery(JobId.of("a"), Set.of(), 2, first.nextCursor()));
    assertThat(second.items()).containsExactly(runs.get(2), runs.get(1));
    dev.chime.spi.RunPage last =
        store.runs(new dev.chime.spi.RunQuery(JobId.of("a"), Set.of(), 2, second.nextCursor()));
    assertThat(last.items()).containsExactly(runs.get(0));
    assertThat(last.nextCursor()).isNull();
    assertThat(
            store.runs(new dev.chime.spi.RunQuery(null, Set.of(RunState.FAILED), 10, null)).items())
        .containsExactly(runs.get(3), runs.get(1));
  }

  @Test
  void insertAllAddsEveryJobOrNone() {
    List<JobInfo> added = store.insertAll(List.of(job("a", NOW), job("b", NOW.plusSeconds(1))));
    assertThat(added).extracting(JobInfo::version).containsExactly(1L, 1L);
    assertThat(store.list(JobQuery.ALL)).extracting(i -> i.id().value()).containsExactly("a", "b");
    assertThatThrownBy(() -> store.insertAll(List.of(job("c", NOW), job("a", NOW))))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.CONFLICT))
        .hasMessageContaining("a");
    assertThat(store.find(JobId.of("c"))).as("none of a refused batch is added").isEmpty();
  }

  @Test
  void aFreshStoreHasNoOrphanedRuns() {
    assertThat(store.recover(NOW)).isEmpty();
  }

  @Test
  void aFinishedOrUndueJobIsNeverClaimed() {
    JobInfo a = store.insert(job("a", NOW));
    store.update(new JobInfo(a.job(), JobState.FINISHED, null, NOW, 1, a.version()));
    store.insert(job("b", null));
    assertThat(claimNow(NOW.plusSeconds(3600), 10)).isEmpty();
    assertThat(store.nextDue()).isEmpty();
  }

  /** A run record for the checks. */
  protected Run run(RunId id, JobId job, Instant at, RunState state) {
    return new Run(
            id,
            job,
            at,
            1,
            state,
            null,
            at,
            at.plusMillis(5),
            null,
            "",
            100,
            null,
            null,
            null,
            null)
        .withNode(store.node());
  }
}
