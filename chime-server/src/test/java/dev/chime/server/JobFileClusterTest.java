package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.JobId;
import dev.chime.JobQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config} on servers that share one PostgreSQL schema (the nodes of a cluster). */
class JobFileClusterTest {
  @TempDir Path dir;
  private String schema;
  private final List<ChimeServer> servers = new ArrayList<>();

  @BeforeEach
  void createSchema() {
    schema = "jobfile_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    PostgresApiTest.execute("CREATE SCHEMA " + schema);
  }

  @AfterEach
  void stop() {
    servers.forEach(ChimeServer::close);
    PostgresApiTest.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private ChimeServer start(Path config) {
    ChimeServer server =
        ChimeServer.start(
            ServerSettings.builder()
                .dbUrl(PostgresApiTest.URL + "?user=postgres&currentSchema=" + schema)
                .port(0)
                .configFile(config)
                .build());
    synchronized (servers) {
      servers.add(server);
    }
    return server;
  }

  private static String jobs(String command, String... ids) {
    StringBuilder text = new StringBuilder("jobs:\n");
    for (String id : ids) {
      text.append("  - {id: ")
          .append(id)
          .append(", trigger: \"0 3 * * *\", command: [echo, ")
          .append(command)
          .append("]}\n");
    }
    return text.toString();
  }

  @Test
  void serversStartedTogetherAllStartAndTheFileIsAppliedOnce() throws Exception {
    Path file = Files.writeString(dir.resolve("chime.yaml"), jobs("v1", "a", "b", "c"));
    int nodes = 3;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    List<ChimeServer> started = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ChimeServer>> starting = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        starting.add(
            pool.submit(
                () -> {
                  go.await();
                  return start(file);
                }));
      }
      go.countDown();
      for (Future<ChimeServer> server : starting) {
        started.add(server.get(120, TimeUnit.SECONDS)); // a failed start fails here
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> added = new ArrayList<>();
    for (ChimeServer server : started) {
      assertThat(server.jobFile().status()).isEqualTo(JobFile.Status.APPLIED);
      server.jobFile().plan().with(dev.chime.server.spec.Plan.Action.ADD).stream()
          .map(change -> change.id().value())
          .forEach(added::add);
      assertThat(server.scheduler().list(JobQuery.ALL)).hasSize(3);
    }
    assertThat(added).as("each job added by one node").containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aNodeStartedLaterWithAnOlderCopyDoesNotRevertTheNewerOne() throws Exception {
    Path file = Files.writeString(dir.resolve("chime.yaml"), jobs("v1", "a", "b"));
    ChimeServer first = start(file);
    assertThat(first.jobFile().message()).contains("added [a, b]");
    Files.writeString(file, jobs("v2", "a"));
    ChimeServer second = start(file);
    assertThat(second.jobFile().message()).contains("changed [a], removed [b]");

    Files.writeString(file, jobs("v1", "a", "b")); // the first node's copy, restarted
    first.close();
    ChimeServer restarted = start(file);
    assertThat(restarted.jobFile().status()).isEqualTo(JobFile.Status.OLDER_COPY);
    assertThat(restarted.jobFile().message())
        .contains("older copy, NOT applied")
        .contains("by node " + second.jobFile().newest().node());
    for (ChimeServer node : List.of(second, restarted)) {
      assertThat(node.scheduler().get(JobId.of("a")).orElseThrow().job().params())
          .containsEntry("argv", List.of("echo", "v2"));
      assertThat(node.scheduler().get(JobId.of("b"))).isEmpty();
    }
  }
}
