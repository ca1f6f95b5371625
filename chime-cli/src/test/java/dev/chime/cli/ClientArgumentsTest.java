package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the client commands check before (or instead of) reaching a server. */
class ClientArgumentsTest {

  /** A loopback port nobody listens on (bound, then released). */
  private static String deadServer() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static void assertUsage(CliRun run, String message) {
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("chime: " + message).doesNotContain("\tat ");
    assertThat(run.lines()).isEmpty();
  }

  @Test
  void anUnreachableServerIsOneLineNamingItsUrl() throws IOException {
    String server = deadServer();
    CliRun run = CliRun.of("jobs", "list", "--server", server);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("chime: cannot reach the Chime server at " + server + ": ")
        .contains("CHIME_SERVER");
    assertThat(run.err().lines()).hasSize(1);
    CliRun fromEnvironment = CliRun.with(Map.of("CHIME_SERVER", server + "/"), "runs", "backup");
    assertThat(fromEnvironment.code()).isEqualTo(1);
    assertThat(fromEnvironment.err()).contains(server + ":");
  }

  @Test
  void emptyIdsTrailingDataAndUnknownHostsAreNamed() throws IOException {
    String server = deadServer();
    for (String[] args :
        new String[][] {
          {"jobs", "show", ""}, {"jobs", "run", " "}, {"jobs", "pause", ""},
          {"jobs", "resume", ""}, {"jobs", "delete", ""}, {"runs", ""}
        }) {
      CliRun run = CliRun.of(append(args, "--server", server));
      assertUsage(run, "ID: must not be empty");
    }
    assertUsage(CliRun.of("events", "publish", "", "--server", server), "NAME: must not be empty");
    assertUsage(
        CliRun.of(
            "events", "publish", "deploy", "--data", "{\"a\":1} trailing", "--server", server),
        "--data: not JSON");
    CliRun unknown = CliRun.of("jobs", "list", "--server", "http://nonexistent.invalid:8080");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains(": unknown host nonexistent.invalid");
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  @Test
  void theServerMustBeAnHttpUrlNamingWhereItCameFrom() {
    assertUsage(
        CliRun.of("jobs", "list", "--server", "127.0.0.1:8080"),
        "--server: '127.0.0.1:8080' is not an http:// or https:// URL");
    assertUsage(
        CliRun.with(Map.of("CHIME_SERVER", "ftp://host"), "jobs", "show", "a"),
        "CHIME_SERVER: 'ftp://host' is not an http:// or https:// URL");
    assertUsage(CliRun.of("jobs", "list", "--server", "http://a b"), "--server: 'http://a b'");
    assertUsage(
        CliRun.of("jobs", "list", "--server", "http://127.0.0.1:8080/?token=x"),
        "--server: 'http://127.0.0.1:8080/?...' has a query or fragment");
    assertUsage(
        CliRun.with(Map.of("CHIME_SERVER", "https://chime.example#access_token=x"), "runs", "a"),
        "CHIME_SERVER: 'https://chime.example#...' has a query or fragment");
    assertUsage(
        CliRun.of("jobs", "list", "--server", "http://a b/?token=x"),
        "--server: 'http://a b/?...' is not an http:// or https:// URL");
    assertUsage(
        CliRun.of("jobs", "list", "--server", "http://127.0.0.1:99999"),
        "--server: 'http://127.0.0.1:99999' has port 99999 (a port is 1-65535)\n");
    assertUsage(
        CliRun.with(Map.of("CHIME_SERVER", "http://127.0.0.1:0/"), "jobs", "list"),
        "CHIME_SERVER: 'http://127.0.0.1:0/' has port 0 (a port is 1-65535)\n");
    for (String garbage : new String[] {"", "http://", "http:///jobs", "http:8080", "::"}) {
      assertUsage(
          CliRun.of("jobs", "list", "--server", garbage),
          "--server: '" + garbage + "' is not an http:// or https:// URL");
    }
  }

  @Test
  void aUserNameOrPasswordInTheServerUrlIsRefusedUnshown() {
    String refusal =
        ": a user name or password in the URL is not used; give the URL without it (like"
            + " http://127.0.0.1:8080) and the token in CHIME_TOKEN\n";
    for (String url :
        new String[] {
          "http://admin:s3cret@127.0.0.1:1",
          "https://s3cret@chime.example/api/v1",
          "ftp://admin:s3cret@host",
          "admin:s3cret@127.0.0.1:8080",
          "http://admin:s3cret@[bad"
        }) {
      CliRun option = CliRun.of("jobs", "list", "--server", url);
      assertUsage(option, "--server: a user name or password");
      assertThat(option.err()).isEqualTo("chime: --server" + refusal);
      CliRun variable = CliRun.with(Map.of("CHIME_SERVER", url), "jobs", "show", "a");
      assertThat(variable.err()).isEqualTo("chime: CHIME_SERVER" + refusal);
      assertThat(variable.code()).isEqualTo(2);
    }
  }

  @Test
  void aTokenThatCannotBeSentIsBadInputAndNeverShown() throws IOException {
    String server = deadServer();
    Map<String, String> problems =
        Map.of(
            "s3cret-token\n",
            "holds a line break or another control character (read from a file with a trailing"
                + " newline?)",
            "s3cret\ttoken",
            "holds a line break or another control character",
            "s3cret token",
            "holds a space (a token is one word)",
            "s3cret-t\u00f6ken",
            "holds a character that is not ASCII",
            "s3cret-\u20actoken",
            "holds a character that is not ASCII");
    problems.forEach(
        (token, problem) -> {
          CliRun run =
              CliRun.with(Map.of("CHIME_SERVER", server, "CHIME_TOKEN", token), "jobs", "list");
          assertUsage(run, "CHIME_TOKEN " + problem);
          assertThat(run.err()).doesNotContain("s3cret").hasLineCount(1);
        });
    assertThatThrownBy(() -> new ApiClient(java.net.URI.create(server), "s3cret\r\n"))
        .isInstanceOf(Main.UsageError.class)
        .hasMessageStartingWith("CHIME_TOKEN holds a line break")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aSchemeInCapitalsIsTheSame() throws IOException {
    String server = deadServer().replace("http://", "HTTP://");
    CliRun run = CliRun.of("jobs", "list", "--server", server);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("chime: cannot reach the Chime server at " + server + ": ");
  }

  @Test
  void aServerGivenWithTheApiPathIsTheSameServer() throws IOException {
    String server = deadServer();
    for (String given : new String[] {server + "/api/v1", server + "/api/v1/"}) {
      CliRun run = CliRun.of("jobs", "list", "--server", given);
      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err()).startsWith("chime: cannot reach the Chime server at " + server + ": ");
    }
  }

  @Test
  void badArgumentsExitTwoBeforeAnyRequest() {
    assertUsage(CliRun.of("logs", "abc"), "RUN_ID: run id must be a positive number, was 'abc'");
    assertUsage(CliRun.of("logs", "0"), "RUN_ID: run id must be positive, was 0");
    assertUsage(CliRun.of("runs", "backup", "--limit", "0"), "--limit: must be 1-1000, was 0");
    assertUsage(
        CliRun.of("runs", "backup", "--limit", "99999999999"),
        "Invalid value for option '--limit': '99999999999' is out of range (-2147483648 to"
            + " 2147483647)");
    assertUsage(
        CliRun.of("runs", "backup", "--limit", "ten"),
        "Invalid value for option '--limit': 'ten' is not a whole number");
    assertUsage(
        CliRun.of("jobs", "run", "backup", "--timeout", "5s"), "--timeout: only with --wait");
    assertUsage(
        CliRun.of("jobs", "run", "backup", "--wait", "--timeout", "soon"),
        "--timeout: 'soon' is not a duration");
    assertUsage(
        CliRun.of("jobs", "run", "backup", "--wait", "--timeout", "PT0S"),
        "--timeout: must be positive, was PT0S");
    assertUsage(CliRun.of("events", "publish", "deploy", "--data", "{oops"), "--data: not JSON (");
    assertUsage(CliRun.of("events", "publish", "deploy", "--data", ""), "--data: empty");
    assertUsage(
        CliRun.of("events", "publish", "deploy", "--data", "[1]"),
        "--data: must be a JSON object such as {\"id\": 7}, was array");
    assertUsage(CliRun.of("jobs", "show"), "Missing required parameter: 'ID'");
  }

  @Test
  void helpListsTheClientCommands() {
    String help = CliRun.of("--help").out();
    assertThat(help).contains("jobs").contains("runs").contains("logs").contains("events");
    assertThat(CliRun.of("jobs", "--help").out())
        .contains("list")
        .contains("show")
        .contains("run")
        .contains("pause")
        .contains("resume")
        .contains("delete");
    assertThat(CliRun.of("jobs", "run", "--help").out())
        .contains("--wait")
        .contains("--timeout")
        .contains("--server")
        .contains("--json");
  }
}
