package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job files applied at start-up: owned by the file, pruned only of its own jobs, all or none. */
class JobFileTest {
  @TempDir Path dir;

  private ChimeServer start(Path config) {
    return ChimeServer.start(
        ServerSettings.builder().dataDir(dir.resolve("data")).port(0).configFile(config).build());
  }

  @Test
  void loadsTheExamplesOwnedByTheFile() {
    Path examples = Path.of("..", "examples", "jobs.yaml");
    try (ChimeServer server = start(examples)) {
      String owner = "file:" + examples.toAbsolutePath().normalize();
      for (String id :
          new String[] {"example-hello", "example-self-check", "example-tmp-cleanup"}) {
        assertThat(server.scheduler().get(JobId.of(id)))
            .as(id)
            .hasValueSatisfying(job -> assertThat(job.job().owner()).isEqualTo(owner));
      }
    }
  }

  @Test
  void prunesOnlyItsOwnJobs() throws Exception {
    Path file = dir.resolve("chime.yaml");
    Files.writeString(
        file,
        """
        jobs:
          - {id: keep, trigger: "0 3 * * *", command: [echo, keep]}
          - {id: drop, trigger: "0 3 * * *", command: [echo, drop]}
        """);
    try (ChimeServer server = start(file)) {
      String api = "{\"id\": \"by-api\", \"trigger\": \"0 3 * * *\", \"command\": [\"true\"]}";
      assertThat(new Http(server).post("/api/v1/jobs", api).status()).isEqualTo(201);
    }
    Files.writeString(
        file, "jobs:\n  - {id: keep, trigger: \"0 4 * * *\", command: [echo, kept]}\n");
    try (ChimeServer server = start(file)) {
      assertThat(server.scheduler().get(JobId.of("drop"))).isEmpty();
      assertThat(server.scheduler().get(JobId.of("by-api"))).isPresent();
      assertThat(server.scheduler().get(JobId.of("keep")).orElseThrow().job().params())
          .containsEntry("argv", java.util.List.of("echo", "kept"));
    }
    Files.writeString(file, "id: by-api\ntrigger: \"0 3 * * *\"\ncommand: [echo]\n");
    assertThatThrownBy(() -> start(file))
        .hasMessageContaining(file + ":1: id: job by-api exists and is owned by api");
    Files.writeString(
        file,
        "jobs:\n  - {id: keep, trigger: \"0 4 * * *\", command: [echo]}\n  - id: by-api\n"
            + "    trigger: \"0 3 * * *\"\n    command: [echo]\n");
    assertThatThrownBy(() -> start(file))
        .hasMessageContaining(file + ":3: jobs[1].id: job by-api exists and is owned by api");
  }

  @Test
  void anOlderCopyDoesNotRevertTheNewerVersion() throws Exception {
    Path file = dir.resolve("chime.yaml");
    String v1 = "jobs:\n  - {id: report, trigger: \"0 3 * * *\", command: [echo, v1]}\n";
    String v2 = "jobs:\n  - {id: report, trigger: \"0 4 * * *\", command: [echo, v2]}\n";
    Files.writeString(file, v1);
    try (ChimeServer server = start(file)) {
      assertThat(server.jobFile().status()).isEqualTo(JobFile.Status.APPLIED);
      assertThat(server.jobFile().message()).contains("added [report]");
    }
    Files.writeString(file, v2);
    try (ChimeServer server = start(file)) {
      assertThat(server.jobFile().message()).contains("changed [report]");
    }
    Files.writeString(file, v1);
    try (ChimeServer server = start(file)) {
      JobFile.Outcome outcome = server.jobFile();
      assertThat(outcome.status()).isEqualTo(JobFile.Status.OLDER_COPY);
      assertThat(outcome.message())
          .contains("is an older copy, NOT applied")
          .contains("its version " + JobFile.shortSha(JobFile.sha256(v1.getBytes())))
          .contains("a newer version " + JobFile.shortSha(JobFile.sha256(v2.getBytes())))
          .contains("change the file");
      assertThat(outcome.plan().changes()).isEmpty();
      assertThat(server.scheduler().get(JobId.of("report")).orElseThrow().job().params())
          .containsEntry("argv", java.util.List.of("echo", "v2"));
    }
    Files.writeString(file, v1 + "# back to v1, on purpose\n");
    try (ChimeServer server = start(file)) {
      assertThat(server.jobFile().status()).isEqualTo(JobFile.Status.APPLIED);
      assertThat(server.scheduler().get(JobId.of("report")).orElseThrow().job().params())
          .containsEntry("argv", java.util.List.of("echo", "v1"));
    }
  }

  @Test
  void theNewestVersionIsAppliedAgainAndConverges() throws Exception {
    Path file = dir.resolve("same.yaml");
    Files.writeString(file, "id: same\ntrigger: \"0 3 * * *\"\ncommand: [echo]\n");
    try (ChimeServer server = start(file)) {
      assertThat(new Http(server).delete("/api/v1/jobs/same").status()).isEqualTo(204);
    }
    try (ChimeServer server = start(file)) {
      assertThat(server.jobFile().status()).isEqualTo(JobFile.Status.APPLIED);
      assertThat(server.jobFile().message()).contains("added [same]");
    }
    try (ChimeServer server = start(file)) {
      assertThat(server.jobFile().plan().isEmpty()).isTrue();
    }
  }

  @Test
  void anInvalidFileStopsStartUpListingEveryError() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        jobs:
          - {id: one, trigger: "61 * * * *", command: [echo]}
          - {id: two, trigger: "0 3 * * *", command: {argv: [echo], output_limit: lots}}
          - {id: one, trigger: "0 3 * * *", handler: nope, colour: red}
        """);
    assertThatThrownBy(() -> start(file))
        .hasMessageContaining("is invalid")
        .hasMessageContaining(file + ":2: jobs[0].trigger: minute: 61")
        .hasMessageContaining(file + ":3: jobs[1].command.output_limit")
        .hasMessageContaining(file + ":4: jobs[2].colour: unknown key");
    assertThatThrownBy(() -> start(dir.resolve("missing.yaml")))
        .hasMessageContaining("missing.yaml:0: cannot be read: no such file");
    Path latin1 =
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'i', 'd', ':', ' ', (byte) 0xE9});
    assertThatThrownBy(() -> start(latin1)).hasMessageContaining("cannot be read: not UTF-8");
  }

  @Test
  void aJobMayBeListedBeforeTheJobItRunsAfter() throws Exception {
    Path file = dir.resolve("after.yaml");
    Files.writeString(
        file,
        """
        jobs:
          - {id: a-report, trigger: {after: [b-extract]}, command: ["true"]}
          - {id: b-extract, trigger: "0 3 * * *", command: ["true"]}
        """);
    try (ChimeServer server = start(file)) {
      assertThat(server.scheduler().get(JobId.of("a-report"))).isPresent();
      assertThat(server.scheduler().get(JobId.of("b-extract"))).isPresent();
    }
  }

  /** What only the scheduler refuses is listed for every job, with lines, and nothing is kept. */
  @Test
  void aFileTheSchedulerRefusesIsAppliedNotAtAll() throws Exception {
    Path file = dir.resolve("refused.yaml");
    Files.writeString(
        file,
        """
        jobs:
          - {id: a, trigger: "0 3 * * *", command: ["true"]}
          - id: b
            trigger: {file: {path: %s}}
            command: ["true"]
          - {id: c, trigger: "0 3 * * *", handler: nosuch}
        """
            .formatted(dir.resolve("no-such-dir")));
    assertThatThrownBy(() -> start(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is invalid (2 error(s))")
        .hasMessageContaining(file + ":3: jobs[1].trigger.file.path: ")
        .hasMessageContaining(file + ":6: jobs[2].handler: ");
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir.resolve("data")).port(0).build())) {
      assertThat(server.scheduler().list(dev.chime.JobQuery.ALL))
          .as("job a, made before the refusals, was undone")
          .isEmpty();
    }
  }

  /** A server that cannot listen has run nothing: the scheduler starts once it listens. */
  @Test
  void aServerThatCannotListenRunsNoJob() throws Exception {
    Path fired = dir.resolve("fired");
    Path file = dir.resolve("due.yaml");
    Files.writeString(
        file,
        """
        id: overdue
        trigger: {at: "2020-01-01T00:00:00Z"}
        misfire: {mode: run_once, grace: 3650d}
        command: [touch, %s]
        """
            .formatted(fired));
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  ChimeServer.start(
                      ServerSettings.builder()
                          .dataDir(dir.resolve("data"))
                          .port(taken.getLocalPort())
                          .configFile(file)
                          .build()))
          .isInstanceOf(RuntimeException.class);
    }
    assertThat(fired).doesNotExist();
    try (dev.chime.jdbc.JdbcJobStore store =
        dev.chime.jdbc.JdbcJobStore.builder(
                "jdbc:sqlite:" + dir.resolve("data").resolve("chime.db"))
            .open()) {
      assertThat(store.find(JobId.of("overdue"))).as("the file was applied").isPresent();
      assertThat(store.runs(JobId.of("overdue"), 10)).as("no run of it was made").isEmpty();
    }
  }

  /** A removal another job depends on, or a cycle in the file, refuses it before any change. */
  @Test
  void whatWouldStopTheFilePartWayIsRefusedBeforeAnyChange() throws Exception {
    Path file = dir.resolve("deps.yaml");
    Files.writeString(
        file,
        """
        jobs:
          - {id: a-dep, trigger: "0 3 * * *", command: ["true"]}
          - {id: b-other, trigger: "0 3 * * *", command: ["true"]}
        """);
    try (ChimeServer server = start(file)) {
      String api =
          "{\"id\": \"z-api\", \"trigger\": {\"after\": [\"a-dep\"]}, \"command\": [\"true\"]}";
      assertThat(new Http(server).post("/api/v1/jobs", api).status()).isEqualTo(201);
    }
    Files.writeString(
        file, "jobs:\n  - {id: w-new, trigger: \"0 3 * * *\", command: [\"true\"]}\n");
    assertThatThrownBy(() -> start(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file + ":0: job a-dep cannot be removed: job z-api runs after it");
    Files.writeString(
        file,
        """
        jobs:
          - {id: a-dep, trigger: "0 3 * * *", command: ["true"]}
          - {id: b-other, trigger: "0 3 * * *", command: ["true"]}
          - {id: c-one, trigger: {after: [d-two]}, command: ["true"]}
          - {id: d-two, trigger: {after: [c-one]}, command: ["true"]}
        """);
    assertThatThrownBy(() -> start(file))
        .hasMessageContaining(
            file + ":4: jobs[2].id: jobs run after each other in a cycle: c-one -> d-two -> c-one");
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir.resolve("data")).port(0).build())) {
      assertThat(server.scheduler().list(dev.chime.JobQuery.ALL))
          .extracting(info -> info.id().value())
          .containsExactlyInAnyOrder("a-dep", "b-other", "z-api");
    }
  }
}
