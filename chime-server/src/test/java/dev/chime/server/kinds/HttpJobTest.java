package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpJobTest {
  private static final Kinds KINDS = new Kinds();
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  private static final BlockingQueue<String> SEEN = new LinkedBlockingQueue<>();
  private static HttpServer server;
  private static String base;

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/ok", ex -> reply(ex, 200, "hello"));
    server.createContext(
        "/echo",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          SEEN.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("X-Token")
                  + " "
                  + body);
          reply(ex, 201, "made");
        });
    server.createContext(
        "/status/",
        ex -> reply(ex, Integer.parseInt(ex.getRequestURI().getPath().substring(8)), "status"));
    server.createContext("/big", ex -> reply(ex, 200, "x".repeat(100_000) + "THE END"));
    server.createContext(
        "/stall",
        ex -> {
          try {
            RELEASE.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(ex, 200, "late");
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    KINDS.close();
    server.stop(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Run run) {
    return (Map<String, Object>) run.result();
  }

  private static Run run(Map<String, ?> params) {
    return KINDS.run(JobKinds.HTTP, params);
  }

  @Test
  void getsAndKeepsTheStatusAndBody() {
    Run run = run(Map.of("url", base + "/ok"));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result(run))
        .containsEntry("status", 200)
        .containsEntry("body", "hello")
        .containsEntry("body_bytes", 5L)
        .containsEntry("body_truncated", false);
    assertThat(run.log()).contains("GET " + base + "/ok -> 200");
  }

  @Test
  void sendsTheMethodHeadersAndBody() throws Exception {
    Run run =
        run(
            Map.of(
                "method",
                "post",
                "url",
                base + "/echo",
                "headers",
                Map.of("X-Token", "s3cret"),
                "body",
                "{\"a\": 1}",
                "expect_status",
                List.of(201)));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(SEEN.poll(10, TimeUnit.SECONDS)).isEqualTo("POST s3cret {\"a\": 1}");
  }

  @Test
  void failsOnAnUnexpectedStatusNamingIt() {
    Run defaults = run(Map.of("url", base + "/status/500"));
    Run listed = run(Map.of("url", base + "/status/200", "expect_status", List.of(204, 304)));

    assertThat(defaults.state()).isEqualTo(RunState.FAILED);
    assertThat(defaults.error()).endsWith("unexpected status 500 (expected 2xx)");
    assertThat(result(defaults)).containsEntry("status", 500).containsEntry("body", "status");
    assertThat(listed.error()).endsWith("unexpected status 200 (expected [204, 304])");
  }

  @Test
  void anExpectedNon2xxStatusSucceedsAndRedirectsAreNotFollowed() {
    Run run = run(Map.of("url", base + "/status/302", "expect_status", List.of(302)));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result(run)).containsEntry("status", 302);
  }

  @Test
  void keepsOnlyTheBodysTail() {
    Run run = run(Map.of("url", base + "/big"));

    assertThat(result(run))
        .containsEntry("body_bytes", 100_007L)
        .containsEntry("body_truncated", true);
    assertThat((String) result(run).get("body")).hasSize(HttpJob.BODY_LIMIT).endsWith("xTHE END");
  }

  @Test
  void failsWhenTheServerStallsPastTheTimeout() {
    Run run = run(Map.of("url", base + "/stall", "timeout", "PT0.3S"));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).endsWith("GET " + base + "/stall: no response within PT0.3S");
  }

  @Test
  void theJobsTimeoutInterruptsARequest() {
    RunId id = KINDS.start(JobKinds.HTTP, Map.of("url", base + "/stall"), Duration.ofMillis(300));

    Run run = KINDS.awaitEnd(id);

    assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(Duration.between(run.startedAt(), run.finishedAt()))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRefusedConnectionIsAClearFailure() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Run run = run(Map.of("url", "http://127.0.0.1:" + port + "/x"));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).contains("GET http://127.0.0.1:" + port + "/x: ConnectException");
  }

  @Test
  void logsAndErrorsShowNoUserInfoQueryOrHeaderValue() {
    String host = base.substring("http://".length());
    Run run =
        run(
            Map.of(
                "url",
                base + "/status/500?token=t0k3n#part",
                "headers",
                Map.of("X-Token", "s3cret")));
    Run refused = run(Map.of("url", base + "/ok", "headers", Map.of("X-Token", "s3cret\nX: y")));
    Run withUser = run(Map.of("url", "http://bot:pa55@" + host + "/ok"));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.log()).contains("GET " + base + "/status/500 -> 500");
    assertThat(refused.state()).isEqualTo(RunState.FAILED);
    assertThat(refused.error())
        .endsWith(
            "headers.X-Token: must hold only tabs and printable Latin-1 characters (no CR, LF, NUL"
                + " or DEL)");
    assertThat(withUser.state()).isEqualTo(RunState.FAILED);
    assertThat(withUser.error()).contains("url: must not carry user:password@");
    for (Run each : List.of(run, refused, withUser)) {
      assertThat(each.log() + " " + each.error())
          .doesNotContain("pa55")
          .doesNotContain("t0k3n")
          .doesNotContain("part")
          .doesNotContain("s3cret");
    }
  }

  @Test
  void validatesEachField() {
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "https://example.org/a"))).isEmpty();
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of())).containsExactly("url: is required");
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "file:///etc/passwd")))
        .containsExactly("url: must be an http or https URL, was 'file:///etc/passwd'");
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "http:///nohost")))
        .containsExactly("url: has no host: 'http:///nohost'");
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "http://a b")))
        .singleElement()
        .asString()
        .startsWith("url: is not a URL: Illegal character");
    assertThat(
            JobKinds.validate(
                JobKinds.HTTP,
                Map.of(
                    "url", "http://127.0.0.1/",
                    "method", "GET /",
                    "headers", Map.of("Host", "x", "bad header", "y"),
                    "expect_status", List.of(200, 99, "ok"),
                    "timeout", "soon")))
        .containsExactlyInAnyOrder(
            "method: must be an HTTP method like GET or POST, was 'GET /'",
            "headers.Host: is set by the HTTP client and cannot be given",
            "headers.bad header: is not a valid header name",
            "expect_status[1]: must be 100-599, was 99",
            "expect_status[2]: must be a whole number, was 'ok'",
            "timeout: 'soon' is not a duration: use 500ms, 30s, 15m, 2h, 7d or ISO-8601 like PT15M");
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "http://h/", "expect_status", 200)))
        .containsExactly("expect_status: must be a non-empty list of statuses like [200, 204]");
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "http://h/", "timeout", "PT0S")))
        .containsExactly("timeout: must be positive, was PT0S");
    assertThat(
            JobKinds.validate(JobKinds.HTTP, Map.of("url", "http://h/", "timeout", "PT3000000H")))
        .containsExactly("timeout: must be at most PT876000H (100 years), was PT3000000H");
    java.util.Map<String, Object> nullUrl = new java.util.HashMap<>();
    nullUrl.put("url", null);
    assertThat(JobKinds.validate(JobKinds.HTTP, nullUrl)).containsExactly("url: is required");
    assertThat(
            JobKinds.validate(
                JobKinds.HTTP,
                Map.of("url", "http://h/", "headers", Map.of("X-A", "a\r\nHost: evil"))))
        .containsExactly(
            "headers.X-A: must hold only tabs and printable Latin-1 characters (no CR, LF, NUL or DEL)");
    assertThat(
            JobKinds.validate(
                JobKinds.HTTP,
                Map.of("url", "http://h/", "headers", Map.of("X-A", "tab\tok \u00e9"))))
        .isEmpty();
    for (String refused : new String[] {"del\u007f", "wide \u0100"}) {
      assertThat(
              JobKinds.validate(
                  JobKinds.HTTP, Map.of("url", "http://h/", "headers", Map.of("X-A", refused))))
          .as(refused)
          .hasSize(1);
    }
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "http://h/", "method", "connect")))
        .containsExactly(
            "method: CONNECT opens a tunnel, not a request; the HTTP client does not send it");
    assertThat(JobKinds.validate(JobKinds.HTTP, Map.of("url", "http://user:pw@h/x")))
        .containsExactly(
            "url: must not carry user:password@; send credentials in headers.Authorization");
  }

  @Test
  void badStoredParamsFailTheRun() {
    Run run = run(Map.of("url", "ftp://127.0.0.1/"));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .endsWith("invalid http params: url: must be an http or https URL, was 'ftp://127.0.0.1/'");
  }
}
