package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Event;
import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.OverlapPolicy;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (two stores, two schedulers) on one PostgreSQL schema, publishing the same event at
 * once: each publish starts each listening job exactly once cluster-wide, on the node that got it,
 * and a job's run count (so its max runs) holds across the nodes.
 */
class PostgresEventsTest {
  private static final int PER_NODE = 25;
  private static final int MAX_RUNS = 10;

  private static String schema;

  @BeforeAll
  static void createSchema() {
    schema = PostgresServer.createSchema("chime_events");
  }

  @AfterAll
  static void dropSchema() {
    PostgresServer.drop(schema);
  }

  private final List<JdbcJobStore> stores = new ArrayList<>();
  private final List<Scheduler> schedulers = new ArrayList<>();
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    schedulers.forEach(Scheduler::close);
    stores.forEach(JdbcJobStore::close);
  }

  private Scheduler node() {
    JdbcJobStore store = PostgresServer.store(schema).lease(Duration.ofSeconds(4)).open();
    stores.add(store);
    Scheduler scheduler = Scheduler.builder().store(store).clock(Clock.systemUTC()).build();
    scheduler.register(
        "count",
        ctx -> {
          Event event = ctx.event().orElseThrow();
          String key = ctx.jobId() + "/" + event.payload().get("n") + "@" + store.node();
          executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        });
    schedulers.add(scheduler);
    return scheduler;
  }

  @Test
  void concurrentPublishesOnTwoNodesStartEachJobOncePerPublish() throws Exception {
    Scheduler a = node();
    Scheduler b = node();
    a.schedule(
        Job.builder("every")
            .handler("count")
            .trigger(Trigger.onEvent("order.placed"))
            .overlap(OverlapPolicy.allow())
            .build());
    a.schedule(
        Job.builder("first-ten")
            .handler("count")
            .trigger(Trigger.onEvent("order.placed"))
            .overlap(OverlapPolicy.allow())
            .maxRuns(MAX_RUNS)
            .build());
    a.start();
    b.start();

    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<Future<List<Run>>> published = new ArrayList<>();
    for (int node = 0; node < 2; node++) {
      Scheduler on = node == 0 ? a : b;
      int from = node * PER_NODE;
      published.add(
          threads.submit(
              () -> {
                go.await();
                List<Run> runs = new ArrayList<>();
                for (int n = from; n < from + PER_NODE; n++) {
                  runs.addAll(on.publish("order.placed", Map.of("n", n)));
                }
                return runs;
              }));
    }
    go.countDown();
    List<Run> started = new ArrayList<>();
    for (Future<List<Run>> future : published) {
      started.addAll(future.get());
    }
    threads.shutdown();

    int total = 2 * PER_NODE;
    assertThat(started).filteredOn(run -> run.jobId().value().equals("every")).hasSize(total);
    assertThat(started)
        .filteredOn(run -> run.jobId().value().equals("first-ten"))
        .hasSize(MAX_RUNS);
    Await.until(
        () -> executions.values().stream().mapToInt(AtomicInteger::get).sum() == total + MAX_RUNS,
        Duration.ofSeconds(60),
        "every run to execute");
    assertThat(executions.values()).allMatch(count -> count.get() == 1);
    Set<String> nodes = ConcurrentHashMap.newKeySet();
    for (int n = 0; n < total; n++) {
      String prefix = "every/" + n + "@";
      List<String> ran =
          executions.keySet().stream().filter(key -> key.startsWith(prefix)).toList();
      assertThat(ran).as("publish %d ran once", n).hasSize(1);
      nodes.add(ran.get(0).substring(prefix.length()));
    }
    assertThat(nodes).as("each publish ran on the node that got it").hasSize(2);

    // A run's final record is written behind (within 5 ms of its end); closing flushes it.
    a.close();
    b.close();
    try (JdbcJobStore check = PostgresServer.store(schema).open()) {
      assertThat(check.runs(JobId.of("every"), 1000))
          .hasSize(total)
          .extracting(Run::state)
          .containsOnly(RunState.SUCCEEDED);
      assertThat(check.find(JobId.of("every")).orElseThrow().runCount()).isEqualTo(total);
      assertThat(check.runs(JobId.of("first-ten"), 1000)).hasSize(MAX_RUNS);
      assertThat(check.find(JobId.of("first-ten")).orElseThrow().state())
          .isEqualTo(dev.chime.JobState.FINISHED);
    }
  }
}
