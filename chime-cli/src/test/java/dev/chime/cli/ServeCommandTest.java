package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private Result serve(ServeCommand command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(command);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int code = line.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void servesUntilToldToStop() {
    AtomicInteger health = new AtomicInteger();
    ServeCommand command = new ServeCommand();
    command.whileRunning =
        server -> {
          try {
            HttpResponse<String> response =
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/ready"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
            health.set(response.statusCode());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    Result result =
        serve(
            command,
            "--data",
            dir.resolve("data").toString(),
            "--port",
            "0",
            "--grace",
            "2s",
            "--max-concurrency",
            "4",
            "--retention",
            "7d",
            "--keep-runs",
            "10");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(health.get()).isEqualTo(200);
    assertThat(result.out()).contains("Chime listening on http://127.0.0.1:");
    assertThat(result.out()).contains("only loopback clients");
    assertThat(Files.exists(dir.resolve("data/chime.db"))).isTrue();
  }

  @Test
  void exitWhenReadyAnswersOneProbeAndStops() {
    Result result =
        serve(
            new ServeCommand(),
            "--data",
            dir.resolve("data").toString(),
            "--port",
            "0",
            "--exit-when-ready");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("Chime listening on http://127.0.0.1:");
    assertThat(Files.exists(dir.resolve("data/chime.db"))).isTrue();
  }

  @Test
  void badSettingsExitTwoNamingTheOption() {
    Result result = serve(new ServeCommand(), "--port", "70000");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("port must be 0-65535, was 70000");
    Result grace = serve(new ServeCommand(), "--grace", "soon");
    assertThat(grace.code()).isEqualTo(2);
    assertThat(grace.err()).contains("--grace: 'soon' is not a duration");
  }

  @Test
  void refusesANonLoopbackBindWithoutTokens() {
    Result result = serve(new ServeCommand(), "--bind", "0.0.0.0", "--port", "0");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("refusing to listen on 0.0.0.0 without tokens");
  }

  /** Settings the server refuses are invalid input (2), each with what is wrong. */
  @Test
  void settingsTheServerRefusesExitTwoSayingWhy() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "");
    String data = dir.resolve("data").toString();
    java.util.Map<String[], String> refusals = new java.util.LinkedHashMap<>();
    refusals.put(
        new String[] {"--bind", "nosuchhost.invalid", "--port", "0"},
        "cannot listen on nosuchhost.invalid: no such host");
    refusals.put(
        new String[] {"--data", file.toString(), "--port", "0"},
        "the data directory " + file + " is a file, not a directory");
    refusals.put(
        new String[] {"--data", data, "--plugins", dir.resolve("none").toString(), "--port", "0"},
        "is not a directory");
    refusals.put(
        new String[] {"--data", data, "--retention", "999999999999d"},
        "retention must be at most 36500d (100 years)");
    refusals.put(
        new String[] {"--tokens", dir.resolve("none").toString()},
        "cannot read tokens file " + dir.resolve("none") + ": no such file");
    refusals.put(
        new String[] {"--data", data, "--config", dir.toString(), "--port", "0"},
        dir + ":0: cannot be read: it is a directory");
    for (var refusal : refusals.entrySet()) {
      Result result = serve(new ServeCommand(), refusal.getKey());
      assertThat(result.code()).as(String.join(" ", refusal.getKey())).isEqualTo(2);
      assertThat(result.err()).contains(refusal.getValue());
    }
    assertThat(Files.exists(dir.resolve("data")))
        .as("a bad job file is refused before a store is made")
        .isFalse();
  }

  /** --data holds only the default SQLite file: with --db it was silently unused. */
  @Test
  void dataAndDbTogetherAreRefusedBeforeAnythingIsMade() {
    Path data = dir.resolve("data");
    String db = "jdbc:sqlite:" + dir.resolve("elsewhere.db");
    String refusal =
        "chime serve: --data: the data directory holds only the default SQLite database, which"
            + " --db replaces; give one of them\n";
    ServeCommand command = new ServeCommand();
    command.whileRunning = server -> {}; // had it started, stop at once
    Result result = serve(command, "--data", data.toString(), "--db", db, "--port", "0");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(refusal);
    CliRun plain =
        CliRun.of(
            "serve", "--data", data.toString(), "--db", db, "--port", "0", "--exit-when-ready");
    assertThat(plain.code()).isEqualTo(2);
    assertThat(plain.err()).isEqualTo(refusal);
    assertThat(Files.exists(data)).isFalse();
    assertThat(Files.exists(dir.resolve("elsewhere.db"))).isFalse();
  }

  @Test
  void aBadTokensFileListsEveryBadLine() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# comment\nroot:abc\nadmin\n");
    Result result = serve(new ServeCommand(), "--tokens", tokens.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains(tokens + ":2: ").contains(tokens + ":3: ");
  }

  @Test
  void anInvalidJobFileExitsTwoListingTheErrors() throws Exception {
    Path config = Files.writeString(dir.resolve("jobs.yaml"), "id: x\ntrigger: '99 * * * *'\n");
    Result result =
        serve(
            new ServeCommand(),
            "--data",
            dir.toString(),
            "--port",
            "0",
            "--config",
            config.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("is invalid").contains(config + ":2: ");
    Result format = serve(new ServeCommand(), "--log-format", "xml");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("log format must be one of text, json");
  }

  @Test
  void isASubcommandOfChime() {
    CliRun help = CliRun.of("serve", "--help");
    assertThat(help.code()).isZero();
    assertThat(String.join("\n", help.lines())).contains("--config").contains("--db");
  }
}
