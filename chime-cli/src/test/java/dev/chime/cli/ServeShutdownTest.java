package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.jdbc.JdbcJobStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chime serve} in a child JVM, stopped with SIGTERM: a run that ends within the grace
 * succeeds, one that does not is interrupted and recorded as cancelled, and the process exits.
 */
class ServeShutdownTest {
  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();
  private volatile String last;

  @Test
  void sigtermLetsShortRunsFinishAndRecordsTheRest() throws Exception {
    Path data = dir.resolve("data");
    Process child = serve(data, "5s");
    try {
      BufferedReader out = output(child);
      String base = listening(out);
      String longRun = post(base, "long", "[\"sleep\", \"60\"]");
      await(() -> running(base, longRun));
      String shortRun = post(base, "short", "[\"sleep\", \"2\"]");
      await(() -> running(base, shortRun));

      child.destroy();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(child.exitValue()).as("runs were interrupted after the grace").isEqualTo(1);
    } finally {
      child.destroyForcibly();
    }
    try (JdbcJobStore store = JdbcJobStore.sqlite(data.resolve("chime.db"))) {
      assertThat(state(store, "short")).isEqualTo(RunState.SUCCEEDED);
      Run cancelled = store.runs(JobId.of("long"), 1).get(0);
      assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
      assertThat(cancelled.finishedAt()).isNotNull();
    }
  }

  /**
   * A clean shutdown on SIGTERM (every run ended within the grace) exits 0, so systemd does not
   * count a stop as a failure: the JVM's own status after a signal is 128 + 15 = 143.
   */
  @Test
  void aCleanShutdownOnSigtermExitsZero() throws Exception {
    Path data = dir.resolve("data");
    Process child = serve(data, "20s");
    try {
      BufferedReader out = output(child);
      String base = listening(out);
      String run = post(base, "finishing", "[\"sleep\", \"1\"]");
      await(() -> running(base, run));

      child.destroy();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
    try (JdbcJobStore store = JdbcJobStore.sqlite(data.resolve("chime.db"))) {
      assertThat(state(store, "finishing")).isEqualTo(RunState.SUCCEEDED);
    }
  }

  /** {@code chime serve} in a child JVM on a free port, stdout and stderr merged. */
  private static Process serve(Path data, String grace) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "serve",
            "--data",
            data.toString(),
            "--port",
            "0",
            "--grace",
            grace)
        .redirectErrorStream(true)
        .start();
  }

  private static BufferedReader output(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  private static RunState state(JdbcJobStore store, String job) {
    List<Run> runs = store.runs(JobId.of(job), 1);
    return runs.isEmpty() ? null : runs.get(0).state();
  }

  /** The server's URL once it says where it listens; the rest of its output is read and dropped. */
  private static String listening(BufferedReader out) throws Exception {
    Pattern url = Pattern.compile("Chime listening on (http://\\S+)");
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = url.matcher(line);
      if (m.find()) {
        Thread.ofVirtual().start(() -> out.lines().forEach(rest -> {}));
        return m.group(1);
      }
    }
    throw new AssertionError("chime serve ended without saying where it listens");
  }

  /** Adds the command job, runs it now and returns the run's id. */
  private String post(String base, String id, String argv) throws Exception {
    String job =
        "{\"id\": \"%s\", \"trigger\": \"0 3 * * *\", \"command\": %s}".formatted(id, argv);
    assertThat(send(base + "/api/v1/jobs", job).statusCode()).isEqualTo(201);
    HttpResponse<String> run = send(base + "/api/v1/jobs/" + id + "/run", "");
    assertThat(run.statusCode()).isEqualTo(202);
    Matcher m = Pattern.compile("\"id\":\"(\\d+)\"").matcher(run.body());
    assertThat(m.find()).as(run.body()).isTrue();
    return m.group(1);
  }

  private boolean running(String base, String runId) {
    try {
      HttpResponse<String> runs =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + runId)).build(),
              HttpResponse.BodyHandlers.ofString());
      last = runs.body();
      return last.contains("\"state\":\"running\"");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> send(String url, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s; last: " + last);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
