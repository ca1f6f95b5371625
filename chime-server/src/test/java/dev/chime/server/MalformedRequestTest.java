package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
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
 * Requests Jetty refuses before any route sees them (a path that is not UTF-8 or holds a NUL, a bad
 * Host, a target or headers too large) get problem+json like every other refusal, over a raw socket
 * to a real server (the JDK client will not send such requests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {
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

  /** A response read off the socket: its status line, headers and body. */
  record Raw(String head, String body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }

    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }
  }

  /** Sends the bytes as they are and reads the whole response (the request asks to close). */
  private Raw send(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      assertThat(end).as(response).isPositive();
      return new Raw(response.substring(0, end), response.substring(end + 4));
    }
  }

  private Raw get(String target, String headers) throws IOException {
    return request("GET", target.getBytes(StandardCharsets.ISO_8859_1), headers);
  }

  private Raw get(byte[] target, String headers) throws IOException {
    return request("GET", target, headers);
  }

  private Raw request(String method, byte[] target, String headers) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(target);
    request.writeBytes(
        (" HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    return send(request.toByteArray());
  }

  private static final String HOST = "Host: 127.0.0.1\r\n";

  /** The response is problem+json with the status, in the body too; returns its detail. */
  private static String problem(Raw response, int status) throws IOException {
    assertThat(response.status()).as(response.head()).isEqualTo(status);
    assertThat(response.header("Content-Type"))
        .as(response.body())
        .startsWith(Problems.CONTENT_TYPE);
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isEqualTo(Problems.title(status));
    assertThat(problem.get("detail").asText()).isNotBlank();
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    return problem.get("detail").asText();
  }

  @Test
  void aPathThatIsNotUtf8() throws IOException {
    assertThat(problem(get("/api/v1/jobs/caf%E9", HOST), 400)).contains("UTF-8");
    byte[] target = "/api/v1/jobs/caf%E9".getBytes(StandardCharsets.US_ASCII);
    for (String method : new String[] {"PUT", "DELETE"}) {
      // Jetty's own page was only for GET, POST and HEAD: other methods got no body at all
      assertThat(problem(request(method, target, HOST + "Content-Length: 0\r\n"), 400))
          .contains("UTF-8");
    }
  }

  @Test
  void aPathWithRawBytesThatAreNotUtf8() throws IOException {
    byte[] target = {'/', 'a', 'p', 'i', '/', (byte) 0xff, (byte) 0xfe};
    problem(get(target, HOST), 400);
  }

  @Test
  void aPathWithANul() throws IOException {
    assertThat(problem(get("/api/v1/jobs/a%00b", HOST), 400)).contains("in path");
  }

  @Test
  void aBadHostHeader() throws IOException {
    assertThat(problem(get("/api/v1/jobs", "Host: [::1\r\n"), 400)).contains("Host");
  }

  @Test
  void aTargetTooLong() throws IOException {
    assertThat(problem(get("/api/v1/jobs/" + "x".repeat(20_000), HOST), 414)).contains("too long");
  }

  @Test
  void headersTooLarge() throws IOException {
    assertThat(problem(get("/api/v1/jobs", HOST + "X-Big: " + "y".repeat(20_000) + "\r\n"), 431))
        .contains("headers");
  }
}
