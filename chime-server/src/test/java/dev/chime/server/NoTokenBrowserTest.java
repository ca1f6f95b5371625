package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without tokens every loopback caller is admin, so a web page in the user's browser must not be
 * one: a cross-site request (an Origin of another host) and a DNS-rebound one (a Host that is not a
 * loopback name) are refused, on a real server over a raw socket (the JDK client will not set
 * Host).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoTokenBrowserTest {
  private static final String JOB =
      "{\"id\": \"csrf-1\", \"trigger\": \"0 3 * * *\", \"command\": [\"touch\", \"/tmp/x\"]}";

  @TempDir static Path dir;
  ChimeServer server;

  @BeforeAll
  void start() {
    server = ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void aCrossSitePostIsRefused() throws IOException {
    String response =
        raw("POST", "127.0.0.1:" + server.port(), "Origin: https://evil.example\r\n", JOB);
    assertThat(response).startsWith("HTTP/1.1 403").contains("another site");
    assertThat(server.scheduler().get(dev.chime.JobId.of("csrf-1"))).isEmpty();
  }

  @Test
  void aRequestForAnotherHostIsRefused() throws IOException {
    assertThat(raw("GET", "evil.example:" + server.port(), "", null))
        .startsWith("HTTP/1.1 403")
        .contains("loopback host");
  }

  @Test
  void loopbackNamesAndOriginsAreServed() throws IOException {
    int port = server.port();
    assertThat(raw("GET", "127.0.0.1:" + port, "", null)).startsWith("HTTP/1.1 200");
    assertThat(raw("GET", "localhost:" + port, "Origin: http://localhost:3000\r\n", null))
        .startsWith("HTTP/1.1 200");
    assertThat(raw("GET", "[::1]:" + port, "Origin: http://127.0.0.1:" + port + "\r\n", null))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void namesAreNeverResolved() {
    assertThat(Auth.isLoopbackName("localhost")).isTrue();
    assertThat(Auth.isLoopbackName("127.0.0.2")).isTrue();
    assertThat(Auth.isLoopbackName("::1")).isTrue();
    assertThat(Auth.isLoopbackName("localtest.me")).isFalse();
    assertThat(Auth.isLoopbackName("10.0.0.1")).isFalse();
    assertThat(Auth.isLoopbackName("127.0.0.1.nip.io")).as("a name, not resolved").isFalse();
    assertThat(Auth.isLoopbackName(Auth.originHost("null"))).isFalse();
    assertThat(Auth.hostOf("[::1]:8080")).isEqualTo("::1");
    assertThat(Auth.originHost("http://[::1]:8080")).isEqualTo("::1");
  }

  @Test
  void aBadlyEscapedQueryIs400NamingTheParameter() throws IOException {
    String host = "127.0.0.1:" + server.port();
    assertThat(raw("GET", host, "/api/v1/jobs?cursor=%%%", "", null))
        .startsWith("HTTP/1.1 400")
        .contains("\"field\":\"cursor\"");
    assertThat(raw("GET", host, "/api/v1/jobs?limit=5&state=%zz", "", null))
        .startsWith("HTTP/1.1 400")
        .contains("\"field\":\"state\"");
    assertThat(raw("GET", host, "/api/v1/jobs?q=a%20b", "", null)).startsWith("HTTP/1.1 200");
  }

  private String raw(String method, String host, String headers, String body) throws IOException {
    return raw(method, host, "/api/v1/jobs", headers, body);
  }

  private String raw(String method, String host, String target, String headers, String body)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + target
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\n"
                  + headers
                  + "Content-Type: text/plain\r\nContent-Length: "
                  + content.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
