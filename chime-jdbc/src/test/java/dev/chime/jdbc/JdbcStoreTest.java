package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Event;
import dev.chime.Job;
import dev.chime.JobHandler;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.SchedulerEvent;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.Trigger;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import dev.chime.spi.Quarantined;
import dev.chime.spi.RunPage;
import dev.chime.spi.RunQuery;
import dev.chime.testkit.FakeClock;
import dev.chime.testkit.StoreContractTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a JDBC store does beyond the store contract, run against each database by a subclass:
 * durability of every field, UTC storage, quarantine, two stores on one database, history queries
 * and pruning, migrations, and a real scheduler on top.
 */
abstract class JdbcStoreTest extends StoreContractTest {
  /** The bookkeeping clock of the stores under test. */
  protected final FakeClock clock = FakeClock.at(NOW);

  /** A builder for a store on the database under test. */
  protected abstract JdbcJobStore.Builder builder();

  /** A builder for a store on a database (or schema) with no Chime tables. */
  protected abstract JdbcJobStore.Builder emptyDatabase();

  /** A plain connection to the database under test. */
  protected abstract Connection raw() throws SQLException;

  /** The dialect's folder of migration files. */
  protected abstract String migrationFolder();

  /** SQL for the epoch microseconds of an instant column. */
  protected abstract String epochMicros(String column);

  /** An SQL literal for the instant, as the column stores it. */
  protected abstract String instantLiteral(Instant instant);

  /** SQL for the instant column moved back by the seconds. */
  protected abstract String minusSeconds(String column, int seconds);

  /**
   * Waits until the thread is waiting for the job-file lock (a holder has it): PostgreSQL sees an
   * advisory lock not granted; SQLite's lock parks the thread.
   */
  protected abstract void awaitWaitingForTheJobFileLock(Thread waiter) throws SQLException;

  /** Makes every registered node look silent for the seconds (their heartbeats that much older). */
  void ageHeartbeats(int seconds) throws SQLException {
    rawExecute("UPDATE chime_nodes SET heartbeat_at = " + minusSeconds("heartbeat_at", seconds));
  }

  @Override
  protected JobStore newStore() {
    return builder().clock(clock).open();
  }

  JdbcJobStore jdbc() {
    return (JdbcJobStore) store;
  }

  private static JobInfo info(Job job, Instant next) {
    return new JobInfo(job, JobState.ACTIVE, null, next, 0, 0);
  }

  // ---------------------------------------------------------------- nodes and recovery

  @Test
  void isDurableWithALeaseLongerThanItsLookAhead() {
    assertThat(store.durable()).isTrue();
    assertThat(store.lease()).isEqualTo(JdbcJobStore.DEFAULT_LEASE);
    assertThat(builder().lease(Duration.ofSeconds(4))).isNotNull();
    assertThatThrownBy(() -> builder().lease(Duration.ofSeconds(3)))
        .hasMessage("lease must be PT4S to PT1H, was PT3S");
    assertThatThrownBy(() -> builder().lease(Duration.ofHours(2)))
        .hasMessage("lease must be PT4S to PT1H, was PT2H");
  }

  @Test
  void runsOfADeadNodeAreTakenOverOnceAndItsLateRecordsAreNotApplied() throws SQLException {
    Run running = run(store.newRunId(), JobId.of("a"), NOW, RunState.RUNNING);
    Run claimed = run(store.newRunId(), JobId.of("b"), NOW, RunState.CLAIMED);
    Run done = run(store.newRunId(), JobId.of("c"), NOW, RunState.SUCCEEDED);
    store.record(List.of(running, claimed, done));
    store.flush();
    assertThat(store.recover(NOW)).as("a live node's runs stay its own").isEmpty();

    // Another node a minute later: this store's heartbeat is a minute older than the lease
    // (heartbeats are judged by the database's clock, so it is aged in the database).
    FakeClock later = FakeClock.at(NOW.plus(Duration.ofMinutes(1)));
    try (JdbcJobStore other = builder().clock(later).open()) {
      ageHeartbeats(60);
      assertThat(other.nodes()).extracting(dev.chime.NodeInfo::id).contains(other.node());
      assertThat(other.recover(later.instant()))
          .extracting(Run::id)
          .containsExactlyInAnyOrder(running.id(), claimed.id());
      assertThat(other.recover(later.instant())).as("each orphan is handed out once").isEmpty();

      store.record(List.of(run(running.id(), JobId.of("a"), NOW, RunState.SUCCEEDED)));
      store.flush();
      assertThat(other.run(running.id()).orElseThrow().state())
          .as("the dead node's late record is not applied")
          .isEqualTo(RunState.RUNNING);
      other.record(List.of(run(running.id(), JobId.of("a"), NOW, RunState.FAILED)));
      assertThat(other.run(running.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
      assertThat(other.run(running.id()).orElseThrow().node())
          .as("the run is the recovering node's now")
          .isEqualTo(other.node());
      assertThat(other.run(done.id()).orElseThrow().node()).isEqualTo(jdbc().node());
    }
  }

  @Test
  void anUnreadableRunIsASchedulerErrorAndDoesNotStopTheTakeoverOfTheOthers() throws SQLException {
    Run bad = run(store.newRunId(), JobId.of("a"), NOW, RunState.RUNNING);
    Run good = run(store.newRunId(), JobId.of("b"), NOW, RunState.RUNNING);
    Run result = run(store.newRunId(), JobId.of("c"), NOW, RunState.SUCCEEDED);
    store.record(List.of(bad, good, result));
    store.flush();
    // a field a newer version wrote into the event: valid JSON this version cannot read
    rawExecute(
        "UPDATE chime_runs SET event = '{\"name\": \"x\", \"extra\": 1}' WHERE id IN ("
            + bad.id().value()
            + ", "
            + result.id().value()
            + ")");
    assertThatThrownBy(() -> store.run(result.id()))
        .isInstanceOfSatisfying(
            SchedulerException.class,
            e -> assertThat(e.kind()).isEqualTo(SchedulerException.Kind.UNAVAILABLE))
        .hasMessageContaining("run " + result.id() + " in ")
        .hasMessageContaining("is unreadable");
    FakeClock later = FakeClock.at(NOW.plus(Duration.ofMinutes(1)));
    try (JdbcJobStore other = builder().clock(later).open()) {
      ageHeartbeats(60);
      List<Run> taken = other.recover(later.instant());
      assertThat(taken).extracting(Run::id).containsExactlyInAnyOrder(bad.id(), good.id());
      assertThat(taken)
          .filteredOn(r -> r.id().equals(bad.id()))
          .singleElement()
          .satisfies(r -> assertThat(r.event()).isNull());
    }
  }

  @Test
  void aBatchInsertThatFailsHandsOutNoRunIdTwice() {
    store.close();
    Set<Long> seen = new HashSet<>();
    try (JdbcJobStore fresh = builder().clock(clock).open()) {
      // the first fresh id of this store is the batch's: its block was reserved in the batch's
      // transaction, and on SQLite rolled back with it while the store kept handing it out
      assertThatThrownBy(() -> fresh.insertAll(List.of(job("twice", NOW), job("twice", NOW))))
          .isInstanceOf(SchedulerException.class);
      for (int i = 0; i < 1_500; i++) {
        assertThat(seen.add(fresh.newRunId().value())).as("after %s ids", i).isTrue();
      }
      try (JdbcJobStore second = builder().clock(clock).open()) {
        assertThat(seen).doesNotContain(second.newRunId().value());
      }
    } finally {
      store = builder().clock(clock).open(); // for the contract's @AfterEach
    }
  }

  @Test
  void aNodeTakenForDeadStartsANewLifeWhenItsHeartbeatRegistersItAgain() throws SQLException {
    store.close();
    try (JdbcJobStore node = builder().lease(Duration.ofSeconds(4)).open()) {
      assertThat(node.life()).as("its first life").isZero();
      // Another node forgot this one as dead (it recovers the runs of a node it forgets).
      rawExecute("DELETE FROM chime_nodes WHERE id = '" + node.node() + "'");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (node.life() <= 0 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // the next heartbeat
      }
      assertThat(node.life()).as("a new life after the heartbeat found it forgotten").isEqualTo(1);
      assertThat(node.nodes()).extracting(dev.chime.NodeInfo::id).contains(node.node());
    } finally {
      store = builder().clock(clock).open(); // for closeStore()
    }
  }

  @Test
  void theFirstNodeLeadsAndHandsTheLeadOverWhenItCloses() {
    store.close();
    JdbcJobStore first = builder().lease(Duration.ofSeconds(4)).open();
    try (JdbcJobStore second = builder().lease(Duration.ofSeconds(4)).open()) {
      assertThat(first.leader()).isTrue();
      assertThat(second.leader()).isFalse();
      assertThat(second.nodes())
          .extracting(dev.chime.NodeInfo::id, dev.chime.NodeInfo::leader)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(first.node(), true),
              org.assertj.core.groups.Tuple.tuple(second.node(), false));
      first.close();
      assertThat(first.leader()).as("a closed store leads nothing").isFalse();
      // The next heartbeat of the second (a third of its lease away) takes the free lease.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!second.leader() && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll the condition
      }
      assertThat(second.leader()).as("the lead passed to the second node").isTrue();
      assertThat(second.nodes())
          .singleElement()
          .satisfies(n -> assertThat(n.leader()).isTrue())
          .satisfies(n -> assertThat(n.lastHeartbeat()).isAfterOrEqualTo(n.startedAt()));
    } finally {
      first.close();
      store = builder().clock(clock).open(); // for closeStore()
    }
  }

  @Test
  void aStoreWhoseSchedulerStoppedHandsTheLeadOverThoughItStaysOpen() {
    store.close();
    JdbcJobStore first = builder().lease(Duration.ofSeconds(4)).open();
    try (JdbcJobStore second = builder().lease(Duration.ofSeconds(4)).open()) {
      dev.chime.Scheduler scheduler =
          dev.chime.Scheduler.builder().store(first).clock(java.time.Clock.systemUTC()).build();
      scheduler.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (second.nodes().stream().noneMatch(dev.chime.NodeInfo::leader)
          && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll the condition
      }
      assertThat(second.nodes())
          .filteredOn(dev.chime.NodeInfo::leader)
          .extracting(dev.chime.NodeInfo::id)
          .as("the running scheduler's node leads")
          .containsExactly(first.node());
      scheduler.close(); // its store stays open, to read
      assertThat(second.nodes()).noneMatch(dev.chime.NodeInfo::leader);
      assertThat(second.leader()).as("the lead is free at once, not when its lease ends").isTrue();
    } finally {
      first.close();
      store = builder().clock(clock).open(); // for closeStore()
    }
  }

  @Test
  void queuedRunRecordsAreWrittenByCloseAndSeenByAnotherStore() {
    Run run = run(store.newRunId(), JobId.of("a"), NOW, RunState.SUCCEEDED);
    store.write(List.of(), List.of(run));
    store.close();
    try (JdbcJobStore other = builder().clock(clock).open()) {
      assertThat(other.run(run.id())).contains(run);
    }
    store = builder().clock(clock).open(); // for the contract's @AfterEach
  }

  @Test
  void aJobWhoseHandlerIsGoneIsQuarantinedWhenItComesDueAndTheOthersRun() throws Exception {
    Instant due = Clock.systemUTC().instant().plusMillis(200);
    try (Scheduler before = Scheduler.builder().store(builder().open()).build()) {
      before.register("renamed", ctx -> {});
      before.register("kept", ctx -> {});
      before.schedule(Job.builder("orphan").handler("renamed").trigger(Trigger.once(due)).build());
      before.schedule(Job.builder("fine").handler("kept").trigger(Trigger.once(due)).build());
    }
    CountDownLatch ran = new CountDownLatch(1);
    try (JdbcJobStore shared = builder().open();
        Scheduler after = Scheduler.builder().store(shared).build()) {
      after.register("kept", ctx -> ran.countDown());
      after.start();
      assertThat(ran.await(30, TimeUnit.SECONDS)).as("the other job ran").isTrue();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (after.quarantined().isEmpty() && System.nanoTime() < end) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      }
      assertThat(after.quarantined())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.id()).isEqualTo(JobId.of("orphan"));
                assertThat(q.reason()).isEqualTo("no handler named 'renamed' is registered");
              });
      assertThat(after.runs(JobId.of("orphan"), 10)).isEmpty();
      // The handler has returned, but its end is recorded just after: await the record.
      while (after.runs(JobId.of("fine"), 1).stream().noneMatch(r -> r.state().isFinal())
          && System.nanoTime() < end) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      }
      assertThat(after.runs(new RunQuery(JobId.of("fine"), Set.of(), 10, null)).items())
          .extracting(Run::state)
          .containsExactly(RunState.SUCCEEDED);
    }
  }

  // ---------------------------------------------------------------- jobs

  @Test
  void refusesJobsWhoseHandlerIsALambda() {
    assertThat(store.supportsInlineHandlers()).isFalse();
    Job lambda = Job.of("inline", Trigger.every(Duration.ofMinutes(1)), ctx -> {});
    assertThatThrownBy(() -> store.insert(info(lambda, NOW)))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("job inline has a lambda handler");
    assertThat(store.find(JobId.of("inline"))).isEmpty();
  }

  @Test
  void everyPartOfAJobSurvivesAnotherStore() {
    JobInfo stored = store.insert(info(SampleJobs.rich("rich"), NOW));
    assertThat(stored.job()).isEqualTo(SampleJobs.rich("rich"));
    try (JdbcJobStore other = builder().open()) {
      assertThat(other.find(JobId.of("rich"))).contains(stored);
    }
  }

  @Test
  void aFilteredPageReadsOnInChunksUntilItIsFull() {
    List<JobInfo> many = new ArrayList<>();
    for (int i = 0; i < 1_250; i++) {
      Job.Builder job =
          Job.builder(String.format("p%04d", i))
              .handler("h")
              .trigger(Trigger.every(Duration.ofMinutes(1)));
      if (i % 400 == 399) {
        job.labels("rare");
      }
      many.add(info(job.build(), NOW));
    }
    store.insertAll(many);
    JobQuery rare = JobQuery.ALL.withLabel("rare");
    // the three labelled jobs lie in three different 500-row chunks
    assertThat(store.list(rare, null, 10))
        .extracting(i -> i.id().value())
        .containsExactly("p0399", "p0799", "p1199");
    assertThat(store.list(rare, JobId.of("p0399"), 1))
        .extracting(i -> i.id().value())
        .containsExactly("p0799");
    assertThat(store.list(JobQuery.ALL, JobId.of("p1247"), 10))
        .extracting(i -> i.id().value())
        .containsExactly("p1248", "p1249");
    assertThatThrownBy(() -> store.list(JobQuery.ALL, null, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must not be negative, was -1");
  }

  @Test
  void aJobWithoutParamsIsReturnedAsAReadReturnsIt() {
    Job plain = SampleJobs.richWithout("plain").build();
    JobInfo stored = store.insert(info(plain, NOW));
    JobInfo batched =
        store.insertAll(List.of(info(SampleJobs.richWithout("batched").build(), NOW))).get(0);
    assertThat(stored.job()).isEqualTo(plain);
    assertThat(store.find(JobId.of("plain"))).contains(stored);
    assertThat(store.find(JobId.of("batched"))).contains(batched);
  }

  @Test
  void aJobsParamsAreReturnedAsAReadReturnsThem() {
    Map<String, Object> stable = new LinkedHashMap<>();
    stable.put("argv", List.of("true", "-x"));
    stable.put("count", 3);
    stable.put("shell", false);
    stable.put("none", null);
    stable.put("env", Map.of("A", "b"));
    JobInfo given =
        store.insert(info(SampleJobs.richWithout("stable").params(stable).build(), NOW));
    assertThat(given.job().params()).isEqualTo(stable);
    assertThat(store.find(JobId.of("stable"))).contains(given);

    Map<String, Object> widened = Map.of("small", 3L, "ratio", 1.5f, "list", List.of((short) 2));
    JobInfo read =
        store.insert(info(SampleJobs.richWithout("widened").params(widened).build(), NOW));
    assertThat(read.job().params())
        .isEqualTo(Map.of("small", 3, "ratio", 1.5d, "list", List.of(2)));
    assertThat(store.find(JobId.of("widened"))).contains(read);

    JobInfo updated = store.update(read);
    assertThat(updated.version()).isEqualTo(2);
    assertThat(store.find(JobId.of("widened"))).contains(updated);
    JobInfo updatedAsGiven = store.update(given);
    assertThat(updatedAsGiven.job()).isSameAs(given.job());
    assertThat(store.find(JobId.of("stable"))).contains(updatedAsGiven);
  }

  @Test
  void instantsAreStoredAsUtcMicroseconds() throws SQLException {
    Instant precise = Instant.parse("2026-03-29T01:30:00.123456789Z");
    Instant up = Instant.parse("2026-03-29T01:30:00.123457Z");
    Instant down = Instant.parse("2026-03-29T01:30:00.123456Z");
    JobInfo stored = store.insert(info(SampleJobs.rich("utc"), precise));
    assertThat(stored.nextFireAt()).as("an occurrence rounds up").isEqualTo(up);
    assertThat(store.find(JobId.of("utc")).orElseThrow().nextFireAt()).isEqualTo(up);
    RunId id = store.newRunId();
    store.record(List.of(run(id, JobId.of("utc"), precise, RunState.SUCCEEDED)));
    assertThat(store.run(id).orElseThrow().scheduledFor()).as("a record truncates").isEqualTo(down);

    assertThat(rawLong("SELECT " + epochMicros("next_fire_at") + " FROM chime_jobs"))
        .isEqualTo(SqliteDialect.micros(up));
    assertThat(rawLong("SELECT " + epochMicros("scheduled_for") + " FROM chime_runs"))
        .isEqualTo(SqliteDialect.micros(down));
    assertThat(rawLong("SELECT " + epochMicros("created_at") + " FROM chime_jobs"))
        .as("bookkeeping times come from the store's clock")
        .isEqualTo(SqliteDialect.micros(NOW));
  }

  @Test
  void anOccurrenceBetweenMicrosecondsIsStoredRoundedUpSoItFiresOnce() {
    Instant at = Instant.parse("2026-03-29T00:30:00.000000500Z");
    Job once = Job.builder("once").handler("h").trigger(Trigger.once(at)).build();
    JobInfo stored = store.insert(info(once, at));
    assertThat(stored.job()).isEqualTo(once);
    assertThat(stored.nextFireAt()).isEqualTo(Instant.parse("2026-03-29T00:30:00.000001Z"));
    Claim claim = store.claim(NOW, NOW.plusSeconds(1), 10, NOW.plusSeconds(30)).get(0);
    assertThat(claim.scheduledFor()).isAfterOrEqualTo(at);
    assertThat(once.trigger().nextAfter(claim.scheduledFor())).isEmpty();
  }

  @Test
  void anInsertAfterADeleteDoesNotAcceptTheOldClaim() {
    store.insert(job("a", NOW));
    Claim old = store.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0);
    store.delete(JobId.of("a"));
    store.insert(job("a", NOW));
    Claim fresh = store.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0);
    assertThat(fresh.token()).isNotEqualTo(old.token());
    assertThat(store.advance(old, NOW.plusSeconds(60), 1, JobState.ACTIVE)).isFalse();
    assertThat(store.advance(fresh, NOW.plusSeconds(60), 1, JobState.ACTIVE)).isTrue();
  }

  @Test
  void listsFilterByLabelAndTextAsTheQuerySays() {
    store.insert(info(SampleJobs.rich("weekly-sales"), NOW));
    store.insert(job("other", NOW));
    assertThat(store.list(JobQuery.ALL.withLabel("finance")))
        .extracting(i -> i.id().value())
        .containsExactly("weekly-sales");
    assertThat(store.list(JobQuery.ALL.withText("SALES")))
        .extracting(i -> i.id().value())
        .containsExactly("weekly-sales");
    assertThat(store.list(JobQuery.ALL.withState(JobState.ACTIVE))).hasSize(2);
  }

  @Test
  void aStaleUpdateFromAnotherStoreIsAConflictNamingBothVersions() {
    store.insert(job("a", NOW));
    try (JdbcJobStore other = builder().open()) {
      JobInfo seen = other.find(JobId.of("a")).orElseThrow();
      JobInfo current = store.find(JobId.of("a")).orElseThrow();
      store.update(withState(current, JobState.PAUSED));
      assertThatThrownBy(() -> other.update(withState(seen, JobState.ACTIVE)))
          .isInstanceOfSatisfying(
              SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
          .hasMessage("job a was changed meanwhile (version 2, the update was based on version 1)");
    }
    assertThat(store.find(JobId.of("a")).orElseThrow().state()).isEqualTo(JobState.PAUSED);
  }

  private static JobInfo withState(JobInfo info, JobState state) {
    return new JobInfo(
        info.job(), state, info.note(), info.nextFireAt(), info.runCount(), info.version());
  }

  // ---------------------------------------------------------------- two stores

  @Test
  void claimsFromTwoStoresNeverShareAnOccurrence() throws Exception {
    int jobs = 60;
    int occurrences = 11;
    for (int i = 0; i < jobs; i++) {
      store.insert(job("j" + i, NOW));
    }
    Instant horizon = NOW.plus(Duration.ofMinutes(occurrences - 1));
    Set<String> claimed = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger staleAdvances = new AtomicInteger();
    int total = jobs * occurrences;
    // The same clock as the first store: the claims' "now" is read against it (leases are judged
    // by the database's clock, the caller's now only as its distance from the present).
    try (JdbcJobStore other = builder().clock(clock).open()) {
      ExecutorService threads = Executors.newFixedThreadPool(6);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int t = 0; t < 6; t++) {
        JobStore claimer = t % 2 == 0 ? store : other;
        done.add(
            threads.submit(
                () -> {
                  go.await();
                  while (claimed.size() < total && System.nanoTime() < deadline) {
                    for (Claim claim : claimer.claim(NOW, horizon, 7, NOW.plusSeconds(3600))) {
                      if (!claimed.add(claim.job().id() + "@" + claim.scheduledFor())) {
                        duplicates.incrementAndGet();
                      }
                      Instant next = claim.scheduledFor().plus(Duration.ofMinutes(1));
                      if (!claimer.advance(claim, next, 0, JobState.ACTIVE)) {
                        staleAdvances.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      threads.shutdown();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(staleAdvances).hasValue(0);
    assertThat(claimed).hasSize(total);
  }

  @Test
  void runIdsAreUniqueAcrossStoresOnOneDatabase() throws Exception {
    Set<RunId> ids = ConcurrentHashMap.newKeySet();
    try (JdbcJobStore other = builder().open()) {
      ExecutorService threads = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JobStore source = t % 2 == 0 ? store : other;
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 1500; i++) {
                    ids.add(source.newRunId());
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      threads.shutdown();
    }
    assertThat(ids).hasSize(6000);
  }

  // ---------------------------------------------------------------- quarantine

  /** Definitions the database accepts and Chime cannot read, with what the reason must say. */
  protected Map<String, String> unreadableDefinitions() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(
        "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"lunar\",\"phase\":\"full\"}}",
        "trigger.kind: unknown trigger kind 'lunar'");
    bad.put(
        "{\"v\":2,\"handler\":\"h\",\"trigger\":{\"kind\":\"once\",\"at\":\"2026-01-01T00:00:00Z\"}}",
        "format version 2 is not known");
    bad.put(
        "{\"v\":1,\"handler\":\"h\",\"trigger\":{\"kind\":\"once\",\"at\":\"2026-01-01T00:00:00Z\"},"
            + "\"colour\":\"red\"}",
        "colour: unknown field");
    return bad;
  }

  @Test
  void anUnreadableRowIsQuarantinedAndEveryOtherJobIsClaimed() throws SQLException {
    store.insert(job("good-1", NOW));
    store.insert(job("good-2", NOW.minusSeconds(1)));
    Map<String, String> expected = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<String, String> bad : unreadableDefinitions().entrySet()) {
      String id = "bad-" + n++;
      insertRaw(id, bad.getKey(), NOW.minusSeconds(60));
      expected.put(id, bad.getValue());
    }

    assertThat(store.claim(NOW, NOW, 10, NOW.plusSeconds(30)))
        .extracting(c -> c.job().id().value())
        .containsExactly("good-2", "good-1");
    assertThat(store.quarantined())
        .extracting(q -> q.id().value())
        .containsExactlyElementsOf(expected.keySet());
    for (Quarantined q : store.quarantined()) {
      assertThat(q.reason())
          .startsWith("unreadable definition")
          .contains(expected.get(q.id().value()));
      assertThat(q.since()).isEqualTo(NOW);
    }
    assertThat(store.nextDue()).as("quarantined rows are not due").isEmpty();
    assertThat(store.claim(NOW.plusSeconds(60), NOW.plusSeconds(60), 10, NOW.plusSeconds(90)))
        .extracting(c -> c.job().id().value())
        .containsExactly("good-2", "good-1");
    assertThat(store.list(JobQuery.ALL))
        .extracting(i -> i.id().value())
        .containsExactly("good-1", "good-2");
    assertThat(store.find(JobId.of("bad-0"))).isEmpty();
    assertThatThrownBy(() -> store.insert(job("bad-0", NOW)))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
        .hasMessageContaining("job bad-0 already exists (quarantined: unreadable definition");
    assertThat(store.delete(JobId.of("bad-0"))).isTrue();
    assertThat(store.quarantined()).extracting(q -> q.id().value()).doesNotContain("bad-0");
  }

  @Test
  void aRowFoundUnreadableByListIsQuarantinedToo() throws SQLException {
    insertRaw("paused-bad", "{\"v\":1}", null);
    store.insert(job("fine", null));
    assertThat(store.list(JobQuery.ALL)).extracting(i -> i.id().value()).containsExactly("fine");
    assertThat(store.quarantined())
        .singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("handler is missing"));
  }

  @Test
  void aQuarantinedJobIsSetAsideUntilItIsReplaced() {
    JobInfo a = store.insert(job("a", NOW));
    Claim claim = store.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0);
    clock.advance(Duration.ofSeconds(5));
    store.quarantine(JobId.of("a"), "no handler named 'h' is registered");
    assertThat(store.quarantined())
        .containsExactly(
            new Quarantined(
                JobId.of("a"), "no handler named 'h' is registered", NOW.plusSeconds(5)));
    assertThat(store.advance(claim, NOW.plusSeconds(60), 1, JobState.ACTIVE))
        .as("quarantine voids the claim")
        .isFalse();
    assertThat(store.claim(NOW.plusSeconds(60), NOW.plusSeconds(60), 10, NOW.plusSeconds(90)))
        .isEmpty();
    assertThat(store.find(a.id())).isEmpty();

    JobInfo replaced = store.update(a);
    assertThat(replaced.version()).isEqualTo(2);
    assertThat(store.quarantined()).isEmpty();
    assertThat(store.claim(NOW.plusSeconds(60), NOW.plusSeconds(60), 10, NOW.plusSeconds(90)))
        .hasSize(1);
    assertThatThrownBy(() -> store.quarantine(JobId.of("ghost"), "x"))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
  }

  @Test
  void aJobIsTakenBackFromQuarantineOnlyForTheReasonItWasSetAsideFor() {
    JobInfo a = store.insert(job("a", NOW));
    store.quarantine(JobId.of("a"), "no handler named 'h' is registered");
    assertThat(store.unquarantine(JobId.of("a"), "no handler named 'x' is registered")).isFalse();
    assertThat(store.quarantined()).hasSize(1);
    assertThat(store.unquarantine(JobId.of("a"), "no handler named 'h' is registered")).isTrue();
    assertThat(store.quarantined()).isEmpty();
    JobInfo back = store.find(JobId.of("a")).orElseThrow();
    assertThat(back.version()).as("a new version").isGreaterThan(a.version());
    assertThat(store.claim(NOW, NOW, 10, NOW.plusSeconds(30))).hasSize(1);
    assertThat(store.unquarantine(JobId.of("a"), "no handler named 'h' is registered")).isFalse();
    assertThat(store.unquarantine(JobId.of("ghost"), "x")).isFalse();
  }

  void insertRaw(String id, String definition, Instant next) throws SQLException {
    String nextSql = next == null ? "NULL" : instantLiteral(next);
    String now = instantLiteral(NOW);
    rawExecute(
        "INSERT INTO chime_jobs (id, definition, state, next_fire_at, run_count, version, token,"
            + " created_at, updated_at) VALUES ('"
            + id
            + "', '"
            + definition.replace("'", "''")
            + "', 'active', "
            + nextSql
            + ", 0, 1, 0, "
            + now
            + ", "
            + now
            + ")");
  }

  // ---------------------------------------------------------------- runs

  @Test
  void everyPartOfARunSurvives() {
    RunId id = store.newRunId();
    Run run =
        new Run(
            id,
            JobId.of("a"),
            NOW,
            2,
            RunState.FAILED,
            "handler threw",
            NOW.plusMillis(3),
            NOW.plusSeconds(2),
            "java.io.IOException: disk full",
            "line one\nlíne twö ✓\n",
            42,
            "copying",
            Map.of("rows", 12, "files", List.of("a.csv", "b.csv"), "ok", false),
            null,
            null);
    store.record(List.of(run));
    assertThat(store.run(id)).contains(run.withNode(store.node()));
    Run bare =
        new Run(
            store.newRunId(),
            JobId.of("a"),
            NOW,
            1,
            RunState.SCHEDULED,
            null,
            null,
            null,
            null,
            null,
            0,
            null,
            null,
            null,
            null);
    store.record(List.of(bare));
    assertThat(store.run(bare.id())).contains(bare.withNode(store.node()));
  }

  @Test
  void recordWritesLargeBatchesAndKeepsTheNewestRecordOfEachRun() {
    JobId a = JobId.of("a");
    List<Run> batch = new ArrayList<>();
    RunId twice = store.newRunId();
    batch.add(run(twice, a, NOW, RunState.RUNNING));
    for (int i = 0; i < 2 * Runs.CHUNK + 50; i++) {
      batch.add(run(store.newRunId(), a, NOW.plusSeconds(i), RunState.SUCCEEDED));
    }
    batch.add(run(twice, a, NOW, RunState.SUCCEEDED));
    store.record(batch);
    assertThat(store.run(twice).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.runs(a, 10_000)).hasSize(2 * Runs.CHUNK + 51);

    store.record(List.of(run(twice, a, NOW, RunState.RUNNING)));
    assertThat(store.run(twice).orElseThrow().state())
        .as("an ended run is not taken back by an older, unfinished record")
        .isEqualTo(RunState.SUCCEEDED);
    store.record(List.of(run(twice, a, NOW, RunState.CANCELLED)));
    assertThat(store.run(twice).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
    store.record(List.of());
  }

  @Test
  void runQueriesFilterAndPageNewestFirst() {
    JobId a = JobId.of("a");
    JobId b = JobId.of("b");
    List<Run> all = new ArrayList<>();
    RunState[] states = {RunState.SUCCEEDED, RunState.FAILED, RunState.SKIPPED};
    for (int i = 0; i < 30; i++) {
      all.add(run(store.newRunId(), i % 2 == 0 ? a : b, NOW.plusSeconds(i), states[i % 3]));
    }
    store.record(all);

    List<Run> expected =
        all.stream()
            .filter(r -> r.jobId().equals(a) && r.state() != RunState.SKIPPED)
            .sorted(Comparator.comparing((Run r) -> r.id().value()).reversed())
            .toList();
    assertThat(expected).hasSize(10);
    List<Run> paged = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Long cursor = null;
    do {
      RunPage page =
          store.runs(new RunQuery(a, Set.of(RunState.SUCCEEDED, RunState.FAILED), 4, cursor));
      paged.addAll(page.items());
      sizes.add(page.items().size());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(paged).isEqualTo(expected);
    assertThat(sizes).containsExactly(4, 4, 2);

    RunPage newest = store.runs(new RunQuery(null, Set.of(), 3, null));
    assertThat(newest.items())
        .extracting(Run::scheduledFor)
        .containsExactly(NOW.plusSeconds(29), NOW.plusSeconds(28), NOW.plusSeconds(27));
    assertThat(newest.nextCursor()).isEqualTo(newest.items().get(2).id().value());
    RunPage skipped = store.runs(new RunQuery(null, Set.of(RunState.SKIPPED), 100, null));
    assertThat(skipped.items())
        .extracting(Run::scheduledFor)
        .containsExactly(
            NOW.plusSeconds(29),
            NOW.plusSeconds(26),
            NOW.plusSeconds(23),
            NOW.plusSeconds(20),
            NOW.plusSeconds(17),
            NOW.plusSeconds(14),
            NOW.plusSeconds(11),
            NOW.plusSeconds(8),
            NOW.plusSeconds(5),
            NOW.plusSeconds(2));
    assertThat(skipped.nextCursor()).isNull();
    assertThat(store.runs(new RunQuery(b, Set.of(), 100, newest.nextCursor())).items())
        .extracting(Run::scheduledFor)
        .allMatch(at -> at.isBefore(NOW.plusSeconds(27)))
        .hasSize(13);
  }

  @Test
  void pruneDeletesOldEndedRunsBeyondTheNewestPerJobInSmallBatches() {
    Instant old = NOW.minus(Duration.ofDays(30));
    List<Run> runs = new ArrayList<>();
    List<RunId> aEnded = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Run r = run(store.newRunId(), JobId.of("a"), old.plusSeconds(i), RunState.SUCCEEDED);
      aEnded.add(r.id());
      runs.add(r);
    }
    Run aRunning = run(store.newRunId(), JobId.of("a"), old, RunState.RUNNING);
    runs.add(aRunning);
    for (int i = 0; i < 3; i++) {
      runs.add(run(store.newRunId(), JobId.of("b"), old.plusSeconds(i), RunState.FAILED));
    }
    for (int i = 0; i < 5; i++) {
      runs.add(run(store.newRunId(), JobId.of("c"), NOW.minusSeconds(i), RunState.SKIPPED));
    }
    store.record(runs);

    Instant cutoff = NOW.minus(Duration.ofDays(1));
    assertThat(store.prune(cutoff, 2, 3)).isEqualTo(8 + 1);
    assertThat(store.runs(JobId.of("a"), 100))
        .extracting(Run::id)
        .containsExactlyInAnyOrder(aEnded.get(8), aEnded.get(9), aRunning.id());
    assertThat(store.runs(JobId.of("b"), 100)).hasSize(2);
    assertThat(store.runs(JobId.of("c"), 100)).as("ended after the cut-off").hasSize(5);
    assertThat(store.prune(cutoff, 2, 3)).isZero();
    assertThat(store.prune(cutoff, 0, 1)).isEqualTo(4);
    assertThat(store.runs(JobId.of("a"), 100)).extracting(Run::id).containsExactly(aRunning.id());
    assertThat(store.prune(NOW.plusSeconds(1), 0, 100)).isEqualTo(5);
  }

  @Test
  void pruneWalksPastManyJobs() {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < Runs.PRUNE_JOBS * 2 + 7; i++) {
      JobId job = JobId.of("job-" + i);
      runs.add(run(store.newRunId(), job, NOW.minusSeconds(120), RunState.SUCCEEDED));
      runs.add(run(store.newRunId(), job, NOW.minusSeconds(60), RunState.SUCCEEDED));
    }
    store.record(runs);
    assertThat(store.prune(NOW, 1, 50)).isEqualTo(Runs.PRUNE_JOBS * 2 + 7);
    assertThat(store.runs(new RunQuery(null, Set.of(), 10_000, null)).items())
        .hasSize(Runs.PRUNE_JOBS * 2 + 7)
        .allMatch(r -> r.scheduledFor().equals(NOW.minusSeconds(60)));
  }

  @Test
  void pruneChecksItsArguments() {
    assertThatThrownBy(() -> store.prune(NOW, -1, 10))
        .hasMessage("keepPerJob must not be negative, was -1");
    assertThatThrownBy(() -> store.prune(NOW, 1, 0)).hasMessage("batchSize must be 1-10000, was 0");
    assertThat(store.runs(JobId.of("a"), 0)).isEmpty();
  }

  // ---------------------------------------------------------------- the occurrence key

  /**
   * Claims the job's occurrence and writes its firing with the runs; returns the claims refused.
   */
  private List<Claim> fire(String job, Instant next, List<Run> runs) {
    Claim claim =
        store.claim(NOW, NOW, 10, NOW.plusSeconds(30)).stream()
            .filter(c -> c.job().id().value().equals(job))
            .findFirst()
            .orElseThrow();
    return store.write(List.of(new Advance(claim, next, 1, JobState.ACTIVE, runs)), List.<Run>of());
  }

  /** Puts the job's next occurrence back to NOW, as an update to a trigger that fires it does. */
  private void backToNow(String job) {
    JobInfo moved = store.find(JobId.of(job)).orElseThrow();
    store.update(
        new JobInfo(moved.job(), JobState.ACTIVE, null, NOW, moved.runCount(), moved.version()));
  }

  /**
   * Job "a", inserted due at NOW, fires that occurrence with one run in the state, then is given
   * NOW back as its next fire time (as a trigger change at the fire instant does); returns the run.
   */
  private Run firedOnceThenBackToNow(RunState state) {
    store.insert(job("a", NOW));
    Run first = run(store.newRunId(), JobId.of("a"), NOW, state);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(first))).isEmpty();
    backToNow("a");
    return first;
  }

  private static Run attempt(Run run, int attempt) {
    return new Run(
        run.id(),
        run.jobId(),
        run.scheduledFor(),
        attempt,
        run.state(),
        run.reason(),
        run.startedAt(),
        run.finishedAt(),
        run.error(),
        run.log(),
        run.progress(),
        run.progressMessage(),
        run.result(),
        run.node(),
        run.event());
  }

  @Test
  void aFiredOccurrenceOnRecordIsNotRunAgainWhenItFiresAgain() {
    JobId a = JobId.of("a");
    Run first = firedOnceThenBackToNow(RunState.CLAIMED);
    Run again = run(store.newRunId(), a, NOW, RunState.CLAIMED);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(again)))
        .as("refused: the scheduler does not start the run")
        .hasSize(1);
    assertThat(store.find(a).orElseThrow().nextFireAt())
        .as("the job moved on all the same")
        .isEqualTo(NOW.plusSeconds(60));
    assertThat(store.runs(a, 10)).extracting(Run::id).containsExactly(first.id());

    backToNow("a");
    Run skipped = run(store.newRunId(), a, NOW, RunState.SKIPPED);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(skipped)))
        .as("a skipped record of it is the same occurrence")
        .hasSize(1);
    assertThat(store.runs(a, 10)).extracting(Run::id).containsExactly(first.id());
  }

  @Test
  void aFiringWithOtherOccurrencesToo() {
    JobId a = JobId.of("a");
    Run first = firedOnceThenBackToNow(RunState.SUCCEEDED);
    Run again = run(store.newRunId(), a, NOW, RunState.SKIPPED);
    Run later = run(store.newRunId(), a, NOW.plusSeconds(60), RunState.CLAIMED);
    assertThat(fire("a", NOW.plusSeconds(120), List.of(again, later)))
        .as("a catch-up over occurrences on record and new ones loses none")
        .isEmpty();
    assertThat(store.runs(a, 10))
        .extracting(Run::id)
        .containsExactly(later.id(), again.id(), first.id());

    backToNow("a");
    Run third = run(store.newRunId(), a, NOW, RunState.CLAIMED);
    assertThat(fire("a", NOW.plusSeconds(120), List.of(third)))
        .as("the first record still keys the occurrence")
        .hasSize(1);
  }

  @Test
  void runsNothingSchedulesShareAnInstantWithEachOtherAndWithAFiring() {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    Run ranNow = run(store.newRunId(), a, NOW, RunState.FAILED);
    Run ranNowToo = run(store.newRunId(), a, NOW, RunState.FAILED);
    store.record(List.of(ranNow, ranNowToo)); // run now, twice in one microsecond
    Run fired = run(store.newRunId(), a, NOW, RunState.FAILED);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(fired))).isEmpty();
    List<Run> retries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      retries.add(attempt(run(store.newRunId(), a, NOW, RunState.SUCCEEDED), 2));
    }
    store.record(retries);
    assertThat(store.runs(a, 10)).hasSize(6);
  }

  @Test
  void aJobMadeAgainWithADeletedJobsIdFiresItsOccurrencesAfresh() {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    Run old = run(store.newRunId(), a, NOW, RunState.SUCCEEDED);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(old))).isEmpty();
    assertThat(store.delete(a)).isTrue();
    store.insert(job("a", NOW));

    Run fresh = run(store.newRunId(), a, NOW, RunState.CLAIMED);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(fresh))).isEmpty();
    assertThat(store.runs(a, 10)).extracting(Run::id).containsExactly(fresh.id(), old.id());
  }

  @Test
  void theDatabaseRefusesASecondFiredRecordOfAnOccurrence() throws SQLException {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    assertThat(
            fire(
                "a", NOW.plusSeconds(60), List.of(run(store.newRunId(), a, NOW, RunState.CLAIMED))))
        .isEmpty();
    Run twin = run(store.newRunId(), a, NOW, RunState.SUCCEEDED);
    store.record(List.of(twin));
    store.flush();
    assertThat(rawLong("SELECT COUNT(*) FROM chime_runs WHERE fired")).isEqualTo(1);
    assertThatThrownBy(
            () ->
                rawExecute("UPDATE chime_runs SET fired = (1 = 1) WHERE id = " + twin.id().value()))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> assertThat(e.getMessage()).containsIgnoringCase("unique constraint"));
  }

  @Test
  void aDatabaseFromBeforeTheKeyKeepsEveryRunThatSharesOne() throws SQLException {
    JobId a = JobId.of("a");
    store.insert(job("a", NOW));
    Run fired = run(store.newRunId(), a, NOW, RunState.SUCCEEDED);
    assertThat(fire("a", NOW.plusSeconds(60), List.of(fired))).isEmpty();
    Run twin = run(store.newRunId(), a, NOW, RunState.SUCCEEDED);
    Run triplet = run(store.newRunId(), a, NOW, RunState.FAILED);
    store.record(List.of(twin, triplet));
    store.flush();
    // The schema as V4 left it, where nothing told these runs apart.
    rawExecute("DROP INDEX chime_runs_occurrence");
    rawExecute("ALTER TABLE chime_runs DROP COLUMN fired");
    rawExecute("DELETE FROM chime_migrations WHERE version = 5");

    try (JdbcJobStore migrated = builder().clock(clock).open()) {
      assertThat(migrated.runs(a, 10))
          .extracting(Run::id)
          .containsExactly(triplet.id(), twin.id(), fired.id());
    }
    assertThat(rawLong("SELECT COUNT(*) FROM chime_migrations WHERE version = 5")).isEqualTo(1);
    assertThat(rawLong("SELECT COUNT(*) FROM chime_runs WHERE fired"))
        .as("runs recorded before the key cannot be told apart: none keys its occurrence")
        .isZero();
    backToNow("a");
    assertThat(
            fire(
                "a", NOW.plusSeconds(60), List.of(run(store.newRunId(), a, NOW, RunState.CLAIMED))))
        .isEmpty();
    backToNow("a");
    assertThat(
            fire(
                "a", NOW.plusSeconds(60), List.of(run(store.newRunId(), a, NOW, RunState.CLAIMED))))
        .as("a firing from now on keys it")
        .hasSize(1);
  }

  @Test
  void withoutMigrationsAStoreWithoutTheOccurrenceKeyNamesItsFile() throws SQLException {
    assertAMissingRunsColumnNamesItsFile("fired", "V5__run_occurrences.sql");
  }

  /** With the column renamed away, a store that applies no migrations names the file to apply. */
  private void assertAMissingRunsColumnNamesItsFile(String column, String file)
      throws SQLException {
    rawExecute("ALTER TABLE chime_runs RENAME COLUMN " + column + " TO " + column + "_away");
    try {
      assertThatThrownBy(() -> builder().applyMigrations(false).open())
          .isInstanceOfSatisfying(
              SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
          .hasMessageContaining("has no column chime_runs." + column + ": apply db/migration/")
          .hasMessageContaining("/" + file + " and the files after it");
    } finally {
      rawExecute("ALTER TABLE chime_runs RENAME COLUMN " + column + "_away TO " + column);
    }
  }

  @Test
  void aOnceJobGivenBackItsPastInstantDoesNotRunItAgain() {
    AtomicInteger ran = new AtomicInteger();
    Instant at = Clock.systemUTC().instant();
    Job.Builder once = Job.builder("once").handler("react");
    JobId id = JobId.of("once");
    try (JdbcJobStore mine = builder().open();
        Scheduler scheduler = systemScheduler(mine, ctx -> ran.incrementAndGet())) {
      scheduler.schedule(once.trigger(Trigger.once(at)).build());
      scheduler.start();
      Await.until(
          () -> scheduler.runs(id, 10).stream().anyMatch(r -> r.state() == RunState.SUCCEEDED),
          Duration.ofSeconds(30),
          "the run");
      scheduler.update(once.trigger(Trigger.once(at.plus(Duration.ofDays(1)))).build());
      JobInfo back = scheduler.update(once.trigger(Trigger.once(at)).build());
      assertThat(back.state())
          .as("it fired that instant already: nothing is left to fire")
          .isEqualTo(JobState.FINISHED);
      mine.flush();
      assertThat(mine.runs(id, 10))
          .singleElement()
          .extracting(Run::state)
          .isEqualTo(RunState.SUCCEEDED);
    }
    assertThat(ran).hasValue(1);
  }

  /**
   * An update at the instant an occurrence fired, to a trigger that has that instant too, starts
   * after it: the scheduler asks the store, so it makes no firing the occurrence key would refuse.
   * The clock stands still until the test moves it.
   */
  @Test
  void anUpdateAtTheInstantAnOccurrenceFiredStartsTheNewTriggerAfterIt() {
    JobId id = JobId.of("iv");
    Job.Builder job =
        Job.builder("iv").handler("react").trigger(Trigger.every(Duration.ofMinutes(1)));
    try (Scheduler scheduler =
        Scheduler.builder()
            .clock(clock)
            .store(store)
            .shutdownGrace(Duration.ofSeconds(5))
            .build()) {
      scheduler.register("react", ctx -> {});
      assertThat(scheduler.scheduleAndGet(job.build()).nextFireAt()).isEqualTo(NOW);
      scheduler.start();
      Await.until(
          () -> scheduler.runs(id, 10).stream().anyMatch(r -> r.state() == RunState.SUCCEEDED),
          Duration.ofSeconds(30),
          "the run");

      JobInfo updated =
          scheduler.update(
              job.trigger(Trigger.cron("* * * * *", java.time.ZoneOffset.UTC)).build());
      assertThat(updated.nextFireAt()).as("NOW fired already").isEqualTo(NOW.plusSeconds(60));
      clock.advance(Duration.ofMinutes(1));
      Await.until(
          () ->
              scheduler.runs(id, 10).stream().filter(r -> r.state() == RunState.SUCCEEDED).count()
                  == 2,
          Duration.ofSeconds(30),
          "the next run");
      assertThat(scheduler.runs(id, 10))
          .extracting(Run::scheduledFor)
          .containsExactly(NOW.plusSeconds(60), NOW);
    }
  }

  // ---------------------------------------------------------------- life cycle

  @Test
  void aClosedStoreSaysSo() {
    JdbcJobStore other = builder().open();
    other.close();
    other.close();
    assertThatThrownBy(() -> other.find(JobId.of("a")))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED))
        .hasMessageContaining("is closed");
    assertThat(other.toString()).startsWith("JdbcJobStore(");
  }

  @Test
  void migrationsAreAppliedOnceAndRecorded() throws SQLException {
    List<Migrations.Migration> known = Migrations.load(migrationFolder());
    builder().open().close();
    try (Connection c = raw();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT version, description, checksum FROM chime_migrations ORDER BY version")) {
      List<String> recorded = new ArrayList<>();
      while (rows.next()) {
        recorded.add(rows.getInt(1) + " " + rows.getString(2) + " " + rows.getString(3));
      }
      assertThat(recorded)
          .containsExactlyElementsOf(
              known.stream()
                  .map(m -> m.version() + " " + m.description() + " " + m.checksum())
                  .toList());
    }
    assertThat(known.getFirst().checksum())
        .isEqualTo(MigrationsTest.sha256(known.getFirst().sql().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aChangedMigrationStopsTheStoreAndNamesTheFile() throws SQLException {
    String checksum = rawString("SELECT checksum FROM chime_migrations WHERE version = 1");
    rawExecute("UPDATE chime_migrations SET checksum = 'edited' WHERE version = 1");
    try {
      assertThatThrownBy(() -> builder().open())
          .isInstanceOfSatisfying(
              SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
          .hasMessageContaining("V1__init.sql was changed after it was applied")
          .hasMessageContaining("checksum edited recorded, " + checksum + " now");
    } finally {
      rawExecute("UPDATE chime_migrations SET checksum = '" + checksum + "' WHERE version = 1");
    }
  }

  @Test
  void aSchemaNewerThanThisCodeStopsTheStore() throws SQLException {
    rawExecute(
        "INSERT INTO chime_migrations (version, description, checksum, applied_at)"
            + " VALUES (99, 'future', 'x', "
            + instantLiteral(NOW)
            + ")");
    try {
      assertThatThrownBy(() -> builder().open())
          .isInstanceOfSatisfying(
              SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
          .hasMessageContaining("has migration 99, newer than this Chime knows (up to 5)");
    } finally {
      rawExecute("DELETE FROM chime_migrations WHERE version = 99");
    }
  }

  @Test
  void withoutMigrationsTheTablesMustBeThere() {
    assertThatThrownBy(() -> emptyDatabase().applyMigrations(false).open())
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("has no table chime_jobs: apply db/migration/")
        .hasMessageContaining("/V1__init.sql and the files after it");
    try (JdbcJobStore migrated = builder().applyMigrations(false).open()) {
      assertThat(migrated.find(JobId.of("a"))).isEmpty();
    }
  }

  @Test
  void withoutMigrationsAStoreMissingALaterFileNamesIt() throws SQLException {
    assertAMissingRunsColumnNamesItsFile("event", "V4__events.sql");
    try (JdbcJobStore whole = builder().applyMigrations(false).open()) {
      assertThat(whole.find(JobId.of("a"))).isEmpty();
    }
  }

  @Test
  void aStoreThatFailsToOpenLeavesNoThreadBehind() throws SQLException {
    java.util.function.LongSupplier writers =
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("chime-run-writer"))
                .count();
    long before = writers.getAsLong();
    rawExecute("ALTER TABLE chime_leader RENAME TO chime_leader_away");
    try {
      assertThatThrownBy(() -> builder().applyMigrations(false).open())
          .isInstanceOf(SchedulerException.class)
          .hasMessageContaining("has no table chime_leader");
    } finally {
      rawExecute("ALTER TABLE chime_leader_away RENAME TO chime_leader");
    }
    assertThat(writers.getAsLong()).isEqualTo(before);
  }

  @Test
  void aSchedulerRunsJobsFromTheStoreAndKeepsThemAcrossARestart() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    CountDownLatch recorded = new CountDownLatch(1);
    JobId id;
    try (Scheduler scheduler =
        Scheduler.builder()
            .clock(Clock.systemUTC())
            .store(store)
            .shutdownGrace(Duration.ofSeconds(5))
            .build()) {
      scheduler.register(
          "greet",
          ctx -> {
            ctx.log("hello " + ctx.params().get("who"));
            ctx.result(Map.of("greeted", ctx.params().get("who")));
            ran.countDown();
          });
      scheduler.addListener(
          event -> {
            if (event instanceof SchedulerEvent.RunChanged changed
                && changed.run().state() == RunState.SUCCEEDED) {
              recorded.countDown();
            }
          });
      id =
          scheduler.schedule(
              Job.builder("greeter")
                  .handler("greet")
                  .params(Map.of("who", "world"))
                  .trigger(Trigger.once(Clock.systemUTC().instant()))
                  .build());
      scheduler.schedule(
          Job.builder("later")
              .handler("greet")
              .trigger(
                  Trigger.every(Duration.ofDays(1))
                      .startingAt(Instant.parse("2100-01-01T00:00:00Z")))
              .build());
      scheduler.start();
      assertThat(ran.await(30, TimeUnit.SECONDS)).as("the handler ran").isTrue();
      assertThat(recorded.await(30, TimeUnit.SECONDS)).as("the run ended").isTrue();
    }
    try (JdbcJobStore reopened = builder().open()) {
      List<Run> history = reopened.runs(id, 10);
      assertThat(history)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(r.log()).isEqualTo("hello world\n");
                assertThat(r.result()).isEqualTo(Map.of("greeted", "world"));
              });
      assertThat(reopened.find(id).orElseThrow().state()).isEqualTo(JobState.FINISHED);
      assertThat(reopened.find(JobId.of("later")).orElseThrow().nextFireAt())
          .isEqualTo(Instant.parse("2100-01-01T00:00:00Z"));
    }
  }

  // ---------------------------------------------------------------- events

  private static Scheduler systemScheduler(JdbcJobStore on, JobHandler handler) {
    Scheduler scheduler =
        Scheduler.builder()
            .clock(Clock.systemUTC())
            .store(on)
            .shutdownGrace(Duration.ofSeconds(5))
            .build();
    scheduler.register("react", handler);
    return scheduler;
  }

  @Test
  void aPublishedEventsRunsAreOnRecordWithTheEventWhenPublishReturns() throws SQLException {
    List<Event> seen = new CopyOnWriteArrayList<>();
    Event event = new Event("deploy", Map.of("version", "1.2", "hosts", List.of("a", "b")));
    try (JdbcJobStore mine = builder().open();
        Scheduler scheduler = systemScheduler(mine, ctx -> seen.add(ctx.event().orElseThrow()))) {
      Job.Builder listener = Job.builder("on-deploy").handler("react");
      scheduler.schedule(listener.trigger(Trigger.onEvent("deploy")).build());
      scheduler.schedule(
          Job.builder("on-other").handler("react").trigger(Trigger.onEvent("other")).build());
      List<Run> started = scheduler.publish("deploy", event.payload());
      assertThat(started).extracting(run -> run.jobId().value()).containsExactly("on-deploy");
      try (JdbcJobStore other = builder().open()) {
        Run recorded = other.run(started.get(0).id()).orElseThrow();
        assertThat(recorded.state()).isEqualTo(RunState.CLAIMED);
        assertThat(recorded.event()).isEqualTo(event);
      }
      assertThat(rawString("SELECT event FROM chime_jobs WHERE id = 'on-deploy'"))
          .isEqualTo("deploy");
      scheduler.start();
      Await.until(() -> seen.size() == 1, Duration.ofSeconds(30), "the run");
      assertThat(seen).containsExactly(event);
    }
    try (JdbcJobStore reopened = builder().open()) {
      assertThat(reopened.runs(JobId.of("on-deploy"), 10))
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.event()).isEqualTo(event);
              });
      assertThat(reopened.runs(JobId.of("on-other"), 10)).isEmpty();
      assertThat(reopened.find(JobId.of("on-deploy")).orElseThrow().runCount()).isEqualTo(1);
    }
  }

  @Test
  void aPublishedEventsRunThatADeadNodeLeftIsRetriedElsewhereWithTheEvent() {
    Job job =
        Job.builder("on-deploy")
            .handler("react")
            .trigger(Trigger.onEvent("deploy"))
            .retry(RetryPolicy.fixed(2, Duration.ZERO))
            .build();
    JdbcJobStore dying = builder().open();
    Scheduler first = systemScheduler(dying, ctx -> {});
    first.schedule(job);
    RunId orphan = first.publish("deploy", Map.of("n", 7)).get(0).id();
    dying.close(); // the node goes before its scheduler ever started the run: it is left claimed

    Event event = new Event("deploy", Map.of("n", 7));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (JdbcJobStore survivor = builder().open();
        Scheduler second =
            systemScheduler(
                survivor, ctx -> seen.add(ctx.attempt() + ":" + ctx.event().orElseThrow()))) {
      second.start();
      Await.until(
          () ->
              second.runs(JobId.of("on-deploy"), 10).stream()
                  .anyMatch(run -> run.state() == RunState.SUCCEEDED),
          Duration.ofSeconds(30),
          "the retry to succeed");
      assertThat(second.run(orphan).orElseThrow().state()).isEqualTo(RunState.FAILED);
      assertThat(second.runs(JobId.of("on-deploy"), 10)).extracting(Run::event).containsOnly(event);
    }
    assertThat(seen).containsExactly("2:" + event);
  }

  // ---------------------------------------------------------------- job files

  @Test
  void keepsTheAppliedVersionsOfEachJobFileNewestFirst() {
    JdbcJobStore jdbc = jdbc();
    assertThat(jdbc.appliedJobFiles("file:/etc/a.yaml")).isEmpty();
    jdbc.recordJobFile("file:/etc/a.yaml", "v1");
    clock.advance(Duration.ofSeconds(1));
    jdbc.recordJobFile("file:/etc/b.yaml", "v1");
    List<AppliedJobFile> a = jdbc.recordJobFile("file:/etc/a.yaml", "v2");
    assertThat(a).extracting(AppliedJobFile::sha256).containsExactly("v2", "v1");
    assertThat(a).allSatisfy(v -> assertThat(v.owner()).isEqualTo("file:/etc/a.yaml"));
    assertThat(a.get(0).node()).isEqualTo(jdbc.node());
    assertThat(a.get(0).appliedAt()).isAfter(a.get(1).appliedAt());

    clock.advance(Duration.ofSeconds(1));
    assertThat(jdbc.recordJobFile("file:/etc/a.yaml", "v1"))
        .as("applied again, an old version is the newest")
        .extracting(AppliedJobFile::sha256)
        .containsExactly("v1", "v2");
    assertThat(jdbc.appliedJobFiles("file:/etc/b.yaml"))
        .extracting(AppliedJobFile::sha256)
        .containsExactly("v1");
  }

  @Test
  void keepsOnlyTheNewestVersionsOfAnOwner() {
    JdbcJobStore jdbc = jdbc();
    for (int i = 0; i <= AppliedJobFiles.KEPT; i++) {
      clock.advance(Duration.ofSeconds(1));
      jdbc.recordJobFile("file:/etc/many.yaml", "v" + i);
    }
    List<AppliedJobFile> kept = jdbc.appliedJobFiles("file:/etc/many.yaml");
    assertThat(kept).hasSize(AppliedJobFiles.KEPT);
    assertThat(kept.get(0).sha256()).isEqualTo("v" + AppliedJobFiles.KEPT);
    assertThat(kept).extracting(AppliedJobFile::sha256).doesNotContain("v0");
  }

  @Test
  void theJobFileLockLetsOneInAtATime() throws Exception {
    JdbcJobStore jdbc = jdbc();
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread first =
        new Thread(
            () ->
                jdbc.withJobFileLock(
                    () -> {
                      order.add("first in");
                      held.countDown();
                      awaitQuietly(release);
                      order.add("first out");
                      return null;
                    }));
    first.start();
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    Thread second = new Thread(() -> order.add(jdbc.withJobFileLock(() -> "second in")));
    second.start();
    awaitWaitingForTheJobFileLock(second);
    assertThat(order).containsExactly("first in");
    release.countDown();
    first.join(30_000);
    second.join(30_000);
    assertThat(order).containsExactly("first in", "first out", "second in");
    assertThat(jdbc.withJobFileLock(() -> "free again")).isEqualTo("free again");
  }

  @Test
  void theJobFileLockIsLetGoWhenTheWorkFails() {
    JdbcJobStore jdbc = jdbc();
    assertThatThrownBy(
            () ->
                jdbc.withJobFileLock(
                    () -> {
                      throw new IllegalStateException("the file is bad");
                    }))
        .hasMessage("the file is bad");
    assertThat(jdbc.withJobFileLock(() -> 42)).isEqualTo(42);
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the latch was not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- raw SQL

  long rawLong(String sql) throws SQLException {
    try (Connection c = raw();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery(sql)) {
      assertThat(row.next()).as(sql).isTrue();
      return row.getLong(1);
    }
  }

  String rawString(String sql) throws SQLException {
    try (Connection c = raw();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery(sql)) {
      assertThat(row.next()).as(sql).isTrue();
      return row.getString(1);
    }
  }

  void rawExecute(String sql) throws SQLException {
    try (Connection c = raw();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
