package dev.chime.bench.server;

import dev.chime.bench.Metric;
import dev.chime.bench.harness.Print;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The {@code server} scenario: a real {@code chime serve} (the shaded chime.jar, with the exact
 * command and JVM flags the {@code ./chime} launcher would use, from {@code CHIME_PRINT_COMMAND})
 * as a child process on a fresh SQLite data directory.
 *
 * <ul>
 *   <li>{@code ready_ms}: from starting the JVM process to the first 200 from {@code /health/ready}
 *       (polled every 5 ms); median of {@value #STARTS} starts.
 *   <li>{@code idle_rss_mb}: VmRSS from {@code /proc/PID/status} once it has settled (less than 0.5
 *       MB change over 3 s, at most 30 s), before any request but the readiness probe; median.
 *   <li>{@code post_jobs_per_sec}: {@code POST /api/v1/jobs} of distinct cron jobs (a command job
 *       firing at 03:00) from {@value #CLIENTS} client threads, each on one keep-alive connection
 *       ({@link KeepAliveClient}), after a warm-up. The same POSTs through {@code
 *       java.net.http.HttpClient} follow and are logged, not reported.
 * </ul>
 *
 * Asking the launcher for its command writes its class-data cache when it is missing (on JDK 25+ an
 * AOT cache, from a training start that answers one readiness probe), as a first {@code ./chime
 * serve} would. A first start, not measured, then warms the page cache. After the measured starts,
 * one more start loads {@code examples/jobs.yaml} ({@code --config}) and logs its idle RSS the same
 * way (not a metric: the contract's {@code idle_rss_mb} is without a job file). System properties:
 * {@code chime.root} (the repository), {@code bench.quick=true} (fewer requests).
 */
public final class ServerScenario {
  static final int STARTS = 3;
  static final int CLIENTS = 4;

  private ServerScenario() {}

  /** Runs the scenario and writes the results file; false if the server could not be measured. */
  public static boolean run(Path output) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("chime.root", ".")).toAbsolutePath();
    boolean quick = Boolean.getBoolean("bench.quick");
    try (Server first = Server.start(launcherCommand(root), freePort())) {
      first.post("first", 200, CLIENTS);
    }
    List<String> command = launcherCommand(root); // with the cache, whichever run wrote it
    Print.log("server command: %s", String.join(" ", command));
    double[] ready = new double[STARTS];
    double[] rss = new double[STARTS];
    double posts = Double.NaN;
    for (int i = 0; i < STARTS; i++) {
      try (Server server = Server.start(command, freePort())) {
        ready[i] = server.readyMillis;
        rss[i] = server.settledRssMb();
        Print.log("start %d: ready %.0f ms, idle RSS %.1f MB", i + 1, ready[i], rss[i]);
        if (i == STARTS - 1) {
          server.post("warm", quick ? 500 : 5_000, CLIENTS);
          int timed = quick ? 1_000 : 20_000;
          double cpu0 = server.cpuSeconds();
          posts = server.post("job", timed, CLIENTS);
          double cpuPerPost = (server.cpuSeconds() - cpu0) / timed * 1e6;
          Print.log(
              "POST /api/v1/jobs: %.0f/s; the server's CPU %.0f us per POST; RSS after: %.1f MB",
              posts, cpuPerPost, server.rssMb());
          double before = server.postWithHttpClient("jdk", quick ? 1_000 : 10_000, CLIENTS);
          Print.log(
              "POST /api/v1/jobs through java.net.http.HttpClient (the client before"
                  + " 2026-12-03; not the metric): %.0f/s",
              before);
        }
      }
    }
    List<String> withExamples = new ArrayList<>(command);
    withExamples.addAll(List.of("--config", root.resolve("examples/jobs.yaml").toString()));
    try (Server server = Server.start(withExamples, freePort())) {
      Print.log(
          "with examples/jobs.yaml: ready %.0f ms, idle RSS %.1f MB",
          server.readyMillis, server.settledRssMb());
    }
    List<Metric> metrics =
        List.of(
            new Metric("chime", "server", "idle_rss_mb", median(rss), "MB"),
            new Metric("chime", "server", "ready_ms", median(ready), "ms"),
            new Metric("chime", "server", "post_jobs_per_sec", posts, "jobs/s"));
    Files.writeString(output, Metric.toJson(metrics));
    System.out.printf("%n%-20s %12s %10s%n", "metric", "value", "goal");
    System.out.printf("%-20s %12s %10s%n", "idle_rss_mb", Print.number(median(rss)), "<= 60");
    System.out.printf("%-20s %12s %10s%n", "ready_ms", Print.number(median(ready)), "<= 1000");
    System.out.printf("%-20s %12s %10s%n", "post_jobs_per_sec", Print.number(posts), ">= 2000");
    System.out.println("wrote " + output);
    return Double.isFinite(posts);
  }

  /** The launcher's exact command for {@code chime serve}, without the port and data options. */
  static List<String> launcherCommand(Path root) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(root.resolve("chime").toString(), "serve");
    builder.environment().put("CHIME_PRINT_COMMAND", "1");
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process launcher = builder.start();
    String text = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (launcher.waitFor() != 0) {
      throw new IOException(
          "./chime could not print its command (exit " + launcher.exitValue() + ")");
    }
    return List.of(text.strip().split("\n"));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** One running {@code chime serve}. */
  static final class Server implements AutoCloseable {
    private final Process process;
    private final Path data;
    private final String base;
    private final int port;
    private final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    double readyMillis;

    private Server(Process process, Path data, int port) {
      this.process = process;
      this.data = data;
      this.base = "http://127.0.0.1:" + port;
      this.port = port;
    }

    static Server start(List<String> launcher, int port) throws IOException, InterruptedException {
      Path data = Files.createTempDirectory("chime-bench-server-");
      List<String> command = new ArrayList<>(launcher);
      command.addAll(List.of("--data", data.toString(), "--port", Integer.toString(port)));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
      long t0 = System.nanoTime();
      Server server = new Server(builder.start(), data, port);
      server.awaitReady(t0);
      return server;
    }

    private void awaitReady(long t0) throws IOException, InterruptedException {
      HttpRequest probe =
          HttpRequest.newBuilder(URI.create(base + "/health/ready"))
              .timeout(Duration.ofSeconds(2))
              .build();
      long deadline = t0 + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("chime serve exited with " + process.exitValue() + ": " + log());
        }
        try {
          if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            readyMillis = (System.nanoTime() - t0) / 1e6;
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(5);
      }
      throw new IOException("chime serve was not ready within 60 s: " + log());
    }

    /** RSS once it stops moving: under 0.5 MB change over 3 s, sampled every 250 ms; 30 s cap. */
    double settledRssMb() throws IOException, InterruptedException {
      List<Double> samples = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        samples.add(rssMb());
        int n = samples.size();
        if (n > 12 && Math.abs(samples.get(n - 1) - samples.get(n - 13)) < 0.5) {
          break;
        }
        Thread.sleep(250);
      }
      return samples.get(samples.size() - 1);
    }

    /**
     * The server process's CPU time so far (user and system, from {@code /proc/PID/stat}, in clock
     * ticks of 1/100 s: the kernel's USER_HZ on Linux), a steadier figure than a rate on a machine
     * whose speed drifts.
     */
    double cpuSeconds() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    double rssMb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      throw new IOException("no VmRSS for process " + process.pid());
    }

    /** POSTs {@code count} distinct jobs from {@code clients} threads; returns the rate. */
    double post(String prefix, int count, int clients) throws InterruptedException {
      return post(prefix, count, clients, this::postUntil);
    }

    /**
     * The same POSTs through {@code java.net.http.HttpClient}, the client the figure was measured
     * with until 2026-12-03: logged beside it, so that the two stay comparable.
     */
    double postWithHttpClient(String prefix, int count, int clients) throws InterruptedException {
      return post(prefix, count, clients, this::postUntilWithHttpClient);
    }

    /** One client thread's loop: takes job numbers until {@code count}; returns how many failed. */
    private interface Poster {
      int postUntil(String prefix, AtomicInteger next, int count) throws Exception;
    }

    private double post(String prefix, int count, int clients, Poster poster)
        throws InterruptedException {
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<Integer>> failures = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        failures.add(pool.submit(() -> poster.postUntil(prefix, next, count)));
      }
      int failed = 0;
      for (Future<Integer> f : failures) {
        try {
          failed += f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      if (failed > 0) {
        throw new IllegalStateException(failed + " POST /api/v1/jobs did not answer 201");
      }
      return count / seconds;
    }

    private int postUntil(String prefix, AtomicInteger next, int count) throws IOException {
      int failed = 0;
      try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port, 30_000)) {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          if (client.postJson("/api/v1/jobs", body(prefix, i)) != 201) {
            failed++;
          }
        }
      }
      return failed;
    }

    private int postUntilWithHttpClient(String prefix, AtomicInteger next, int count)
        throws IOException, InterruptedException {
      int failed = 0;
      for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(prefix, i)))
                .build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 201) {
          failed++;
        }
      }
      return failed;
    }

    /** A distinct cron job: a command job firing at 03:00. */
    private static byte[] body(String prefix, int i) {
      return ("{\"id\": \""
              + prefix
              + "-"
              + i
              + "\", \"trigger\": \"0 3 * * *\","
              + " \"command\": [\"true\"]}")
          .getBytes(StandardCharsets.UTF_8);
    }

    private String log() {
      try {
        return Files.readString(data.resolve("server.log"));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    /** SIGTERM (a graceful shutdown, which also writes a first AOT cache), then the data dir. */
    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(data)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
