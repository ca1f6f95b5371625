package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code chime.jar} as users run it (after the package phase): its merged service files
 * and {@code chime serve} started from it on each store, answering one readiness probe.
 */
class ShadedJarIT {
  private static final Path JAR = Path.of("target/chime.jar");
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

  @TempDir Path temp;

  @Test
  void theJarNamesBothJdbcDrivers() throws IOException {
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      var entry = jar.getEntry("META-INF/services/java.sql.Driver");
      assertThat(entry).as("java.sql.Driver service file").isNotNull();
      String drivers = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(drivers.lines().map(String::strip).toList())
          .contains("org.sqlite.JDBC", "org.postgresql.Driver");
    }
  }

  @Test
  void servesOnSqliteFromTheJar() throws Exception {
    Served served = serve("--data", temp.resolve("data").toString());
    assertThat(served.exit()).as(served.output()).isZero();
    assertThat(served.output()).contains("Chime listening on http://127.0.0.1:");
  }

  @Test
  void servesOnPostgresqlFromTheJar() throws Exception {
    String schema = "chime_jar_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    execute("CREATE SCHEMA " + schema);
    try {
      Served served = serve("--db", POSTGRES + "?user=postgres&currentSchema=" + schema);
      assertThat(served.exit()).as(served.output()).isZero();
      assertThat(served.output()).contains("Chime listening on http://127.0.0.1:");
    } finally {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void outputThatCannotBeWrittenExitsOne() throws Exception {
    java.io.File full = new java.io.File("/dev/full");
    // /dev/full is Linux's; elsewhere (macOS) this test is skipped, but never in CI, which is
    // Linux.
    if ("true".equals(System.getenv("CI"))) {
      assertThat(full).as("/dev/full, on the Linux CI machine").exists();
    }
    Assumptions.assumeTrue(full.exists(), "no /dev/full on this system (Linux has it)");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path err = temp.resolve("err.txt");
    Process process =
        new ProcessBuilder(java.toString(), "-jar", JAR.toString(), "cron", "next", "0 0 * * *")
            .redirectOutput(full)
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
    assertThat(Files.readString(err))
        .isEqualTo("chime: cannot write the output: No space left on device\n");
    assertThat(process.exitValue()).isEqualTo(1);
  }

  /** {@code cat jobs.yaml | chime plan /dev/stdin --owner FILE}: read from the real stdin. */
  @Test
  void plansAJobFileReadFromStdin() throws Exception {
    try (dev.chime.server.ChimeServer server =
        dev.chime.server.ChimeServer.start(
            dev.chime.server.ServerSettings.builder()
                .dataDir(temp.resolve("stdin-data"))
                .port(0)
                .build())) {
      String jobs = "id: from-stdin\ntrigger: \"0 3 * * *\"\ncommand: [\"true\"]\n";
      Path owner = temp.resolve("jobs.yaml");
      Served plan =
          client(
              jobs,
              "plan",
              "/dev/stdin",
              "--owner",
              owner.toString(),
              "--server",
              server.baseUrl());
      assertThat(plan.exit()).as(plan.output()).isZero();
      assertThat(plan.output())
          .startsWith("/dev/stdin (owner file:" + owner + "):")
          .contains("from-stdin");
      Served bare = client(jobs, "plan", "/dev/stdin", "--server", server.baseUrl());
      assertThat(bare.exit()).isEqualTo(2);
      assertThat(bare.output()).contains("/dev/stdin: is not a regular file (a pipe?)");
    }
  }

  /** Runs {@code java -jar chime.jar ARGS} with {@code input} on its stdin (a pipe). */
  private Served client(String input, String... args) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new java.util.ArrayList<>(List.of(java.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("chime " + String.join(" ", args) + " did not end within 60 s:\n" + output);
    }
    return new Served(process.exitValue(), output);
  }

  private record Served(int exit, String output) {}

  /** Runs {@code java -jar chime.jar serve --port 0 --exit-when-ready ARGS} on this JDK. */
  private Served serve(String... args) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java.toString(), "-jar", JAR.toString(), "serve", "--port", "0"));
    command.addAll(List.of(args));
    command.add("--exit-when-ready");
    Path log = temp.resolve("serve.log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("chime serve did not start and stop within 90 s:\n" + Files.readString(log));
    }
    return new Served(process.exitValue(), Files.readString(log));
  }

  /** Runs SQL on the local PostgreSQL; skips without it, but fails under CI=true. */
  private static void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", null);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      String why = "PostgreSQL is not reachable at " + POSTGRES + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI=true: the PostgreSQL tests must run)");
      }
      Assumptions.abort(why);
    }
  }
}
