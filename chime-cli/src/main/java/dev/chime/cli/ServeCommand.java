package dev.chime.cli;

import dev.chime.server.ChimeServer;
import dev.chime.server.Logging;
import dev.chime.server.ServerSettings;
import dev.chime.server.Tokens;
import dev.chime.server.spec.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chime serve}: the server on the embedded SQLite file (or PostgreSQL with {@code --db}),
 * until SIGTERM or Ctrl-C, which shut it down gracefully.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Run the Chime server: the REST API and the scheduler.")
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "A job file (YAML or JSON).")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Where the default SQLite database (chime.db) lives; not with --db. Default:"
              + " ./chime-data.")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "The store: jdbc:postgresql://HOST/DB?user=U or jdbc:sqlite:FILE.")
  String db;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Default: 127.0.0.1.")
  String bind;

  @Option(names = "--port", paramLabel = "N", description = "Default: 8080; 0 picks a free one.")
  Integer port;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description = "API tokens: one role:sha256hex line per token (admin, operator, viewer).")
  Path tokens;

  @Option(names = "--plugins", paramLabel = "DIR", description = "Jars with more job kinds.")
  Path plugins;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      description = "How long shutdown waits for running jobs. Default: 30s.")
  String grace;

  @Option(names = "--max-concurrency", paramLabel = "N", description = "Runs at once. Default: 64.")
  Integer maxConcurrency;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description = "Ended runs are deleted after this long. Default: 30d.")
  String retention;

  @Option(
      names = "--keep-runs",
      paramLabel = "N",
      description = "Each job's newest N ended runs are kept whatever their age. Default: 100.")
  Integer keepRuns;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      description = "Log lines on stderr as text (default) or JSON.")
  String logFormat;

  @Option(
      names = "--exit-when-ready",
      hidden = true,
      description =
          "Start, answer one readiness probe, stop. The launcher's run that writes the class"
              + " cache (docs/benchmarks.md, Server).")
  boolean exitWhenReady;

  /** What to do while the server runs; by default, wait for the JVM to be told to stop. */
  Consumer<ChimeServer> whileRunning = ServeCommand::awaitShutdown;

  @Override
  public Integer call() {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * Runs the server with the options set on this command, until it is told to stop; returns the
   * exit code. {@link Main} calls it directly when {@link ServeArguments} read the options.
   */
  int run(PrintWriter out, PrintWriter err) {
    ServerSettings settings;
    try {
      if (logFormat != null) {
        Logging.configure(logFormat);
      }
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println("chime serve: " + e.getMessage());
      return Main.USAGE;
    }
    ChimeServer server;
    try {
      server = ChimeServer.start(settings);
    } catch (IllegalArgumentException | dev.chime.server.kinds.PluginException e) {
      // settings the server refuses (off loopback without tokens, a bad job file or plugin)
      err.println("chime serve: " + e.getMessage());
      return Main.USAGE;
    } catch (RuntimeException e) {
      err.println("chime serve: " + e.getMessage());
      return Main.FAILED;
    }
    out.println("Chime listening on " + server.baseUrl());
    if (settings.tokens().isEmpty()) {
      out.println("No tokens configured: only loopback clients are answered, each as admin.");
    }
    out.flush();
    if (exitWhenReady) {
      probeOnce(server);
    } else {
      whileRunning.accept(server);
    }
    return server.shutdown() ? Main.OK : Main.FAILED;
  }

  private ServerSettings settings() {
    if (data != null && db != null) {
      // nothing else lives there: the store --db names replaces the only thing --data would hold
      throw new IllegalArgumentException(
          "--data: the data directory holds only the default SQLite database, which --db"
              + " replaces; give one of them");
    }
    ServerSettings.Builder builder = ServerSettings.builder();
    if (data != null) {
      builder.dataDir(data);
    }
    if (db != null) {
      builder.dbUrl(db);
    }
    if (bind != null) {
      builder.bind(bind);
    }
    if (port != null) {
      builder.port(port);
    }
    if (tokens != null) {
      builder.tokens(Tokens.read(tokens));
    }
    if (config != null) {
      builder.configFile(config);
    }
    if (plugins != null) {
      builder.pluginsDir(plugins);
    }
    if (grace != null) {
      builder.shutdownGrace(option("--grace", grace));
    }
    if (maxConcurrency != null) {
      builder.maxConcurrency(maxConcurrency);
    }
    if (retention != null || keepRuns != null) {
      builder.retention(
          retention == null ? ServerSettings.DEFAULT_RETENTION : option("--retention", retention),
          keepRuns == null ? ServerSettings.DEFAULT_RETAIN_PER_JOB : keepRuns);
    }
    return builder.build();
  }

  private static java.time.Duration option(String name, String text) {
    try {
      return Values.duration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends the server one {@code GET /health/ready} over a plain socket (a JDK HTTP client would put
   * its own classes into the launcher's class cache, which an idle server then loads for nothing).
   */
  static void probeOnce(ChimeServer server) {
    try (Socket socket = new Socket(server.settings().bind(), server.port())) {
      socket
          .getOutputStream()
          .write(
              "GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException("the readiness probe got: " + response.lines().findFirst());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the readiness probe failed: " + e.getMessage(), e);
    }
  }

  /**
   * Blocks until SIGTERM or Ctrl-C: the JVM's shutdown hook shuts the server down gracefully (stop
   * firing, let running jobs finish within the grace, interrupt and record the rest), then ends the
   * process with the shutdown's verdict: 0 when every run ended within the grace, 1 when some had
   * to be interrupted. A JVM stopped by a signal exits with 128 + the signal (143 for SIGTERM,
   * which systemd counts as a failure) once its hooks are done, and an exit from a hook would wait
   * for itself, so the hook halts the JVM, after writing out the logs. It is the only hook: no
   * other hook is cut short (a job that calls System.exit stops the server the same way).
   */
  static void awaitShutdown(ChimeServer server) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  boolean clean = server.shutdown();
                  Logging.flush();
                  stopped.countDown();
                  Runtime.getRuntime().halt(clean ? Main.OK : Main.FAILED);
                },
                "chime-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
