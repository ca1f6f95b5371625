package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cleanup jobs on a real server: a job never works outside the directory it was made with, even
 * when that directory is later swapped for a symlink to somewhere else.
 */
class CleanupServerTest {
  @TempDir Path dir;
  ChimeServer server;
  Http http;
  Path logs;
  Path outside;
  Path victim;

  @BeforeEach
  void start() throws IOException {
    server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir.resolve("data")).port(0).build());
    http = new Http(server);
    logs = Files.createDirectory(dir.resolve("logs"));
    outside = Files.createDirectory(dir.resolve("outside"));
    victim = Files.writeString(outside.resolve("precious.tmp"), "keep me");
    Files.setLastModifiedTime(victim, FileTime.fromMillis(0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String job(String id, Path path) {
    return "{\"id\": \""
        + id
        + "\", \"trigger\": \"0 3 * * *\", \"cleanup\": {\"path\": \""
        + path
        + "\", \"older_than\": \"1d\"}}";
  }

  /** Runs the job now and waits for the run to end: its record. */
  private JsonNode runToTheEnd(String id) {
    Http.Response started = http.post("/api/v1/jobs/" + id + "/run", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String run = "/api/v1/runs/" + started.json().get("id").asText();
    Set<String> ongoing = Set.of("scheduled", "claimed", "running", "retrying");
    ApiContractTest.await(() -> !ongoing.contains(http.get(run).json().get("state").asText()));
    return http.get(run).json();
  }

  @Test
  void aDirectorySwappedForASymlinkAfterTheJobWasMadeIsNotFollowed() throws IOException {
    assertThat(http.post("/api/v1/jobs", job("sweep", logs)).status()).isEqualTo(201);
    Files.move(logs, dir.resolve("logs-moved-away"));
    Files.createSymbolicLink(logs, outside);

    JsonNode run = runToTheEnd("sweep");

    assertRefused(run, logs + " is a symbolic link now (to " + outside + ")");
  }

  @Test
  void aDirectoryOnTheWaySwappedForASymlinkIsNotFollowed() throws IOException {
    Path parent = Files.createDirectory(dir.resolve("parent"));
    Path registered = Files.createDirectory(parent.resolve("outside"));
    assertThat(http.post("/api/v1/jobs", job("sweep-deep", registered)).status()).isEqualTo(201);
    Files.move(parent, dir.resolve("parent-moved-away"));
    Files.createSymbolicLink(parent, dir); // parent/outside is now dir/outside

    JsonNode run = runToTheEnd("sweep-deep");

    assertRefused(run, registered + " resolves to " + outside + " now");
  }

  /** The run failed saying why (CleanupJobTest has each message whole) and deleted nothing. */
  private void assertRefused(JsonNode run, String why) {
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("failed");
    assertThat(run.get("error").asText())
        .startsWith("path: ")
        .contains(why)
        .endsWith("a cleanup job never follows symlinks; refusing to run, nothing deleted");
    assertThat(victim).exists();
  }

  @Test
  void aPathThatIsOrGoesThroughASymlinkIsRefusedWhenTheJobIsMade() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("logs-link"), logs);
    for (Path path : new Path[] {link, link.resolve("sub")}) {
      Http.Response refused = http.post("/api/v1/jobs", job("linked", path));
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(refused.json().get("field").asText()).isEqualTo("cleanup.path");
      assertThat(refused.json().get("detail").asText())
          .contains("a symbolic link to " + logs)
          .contains("a cleanup job never follows symlinks");
    }
    assertThat(http.get("/api/v1/jobs/linked").status()).isEqualTo(404);
  }
}
