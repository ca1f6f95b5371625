package dev.chime.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server bench's client against real servers on a loopback port. */
class KeepAliveClientTest {
  private static final byte[] BODY = "{\"id\": \"x\"}".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    threads.shutdownNow();
  }

  /** The JDK's HTTP server: fixed-length and chunked bodies, one closing the connection. */
  private int jdkServer(List<String> seen) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] got = exchange.getRequestBody().readAllBytes();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(got, StandardCharsets.UTF_8));
          byte[] answer = "{\"ok\": true, \"padding\": \"0123456789\"}".getBytes();
          switch (exchange.getRequestURI().getPath()) {
            case "/fixed" -> exchange.sendResponseHeaders(201, answer.length);
            case "/chunked" -> exchange.sendResponseHeaders(201, 0);
            case "/close" -> {
              exchange.getResponseHeaders().add("Connection", "close");
              exchange.sendResponseHeaders(409, answer.length);
            }
            default -> {
              exchange.sendResponseHeaders(404, -1);
              exchange.close();
              return;
            }
          }
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.setExecutor(threads);
    server.start();
    return server.getAddress().getPort();
  }

  @Test
  void readsFixedAndChunkedBodiesOnOneConnectionAndReturnsTheStatus() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    int port = jdkServer(seen);
    try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port, 5_000)) {
      assertThat(client.postJson("/fixed", BODY)).isEqualTo(201);
      assertThat(client.postJson("/chunked", BODY)).isEqualTo(201);
      assertThat(client.postJson("/missing", BODY)).isEqualTo(404);
      assertThat(client.postJson("/close", BODY)).isEqualTo(409);
      assertThat(client.postJson("/fixed", BODY)).isEqualTo(201); // on a new connection
    }
    assertThat(seen)
        .containsExactly(
            "POST /fixed application/json {\"id\": \"x\"}",
            "POST /chunked application/json {\"id\": \"x\"}",
            "POST /missing application/json {\"id\": \"x\"}",
            "POST /close application/json {\"id\": \"x\"}",
            "POST /fixed application/json {\"id\": \"x\"}");
  }

  /**
   * A server that answers one request per connection and then closes it without saying so (as one
   * closing an idle keep-alive connection does): the client sends again on a new connection.
   */
  @Test
  void sendsAgainOnANewConnectionWhenAKeptConnectionWasClosed() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Future<?> serving =
          threads.submit(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket socket = listener.accept()) {
                    accepted.incrementAndGet();
                    readRequest(socket.getInputStream());
                    socket
                        .getOutputStream()
                        .write(
                            "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                  }
                }
                return null;
              });
      try (KeepAliveClient client =
          new KeepAliveClient("127.0.0.1", listener.getLocalPort(), 5_000)) {
        for (int i = 0; i < 3; i++) {
          assertThat(client.postJson("/api/v1/jobs", BODY)).isEqualTo(201);
        }
      }
      assertThat(accepted).hasValue(3);
      serving.cancel(true);
    }
  }

  @Test
  void aServerThatIsNotHttpIsAnError() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      threads.submit(
          () -> {
            try (Socket socket = listener.accept()) {
              readRequest(socket.getInputStream());
              socket.getOutputStream().write("SSH-2.0-OpenSSH\r\n".getBytes());
            }
            return null;
          });
      try (KeepAliveClient client =
          new KeepAliveClient("127.0.0.1", listener.getLocalPort(), 5_000)) {
        assertThatThrownBy(() -> client.postJson("/api/v1/jobs", BODY))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("not an HTTP/1.1 status line: SSH-2.0-OpenSSH");
      }
    }
  }

  /** Reads the head and the Content-Length body of one request. */
  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed inside a request head");
      }
      head.append((char) c);
    }
    String lengthHeader = "Content-Length: ";
    int at = head.indexOf(lengthHeader);
    int length =
        Integer.parseInt(
            head.substring(at + lengthHeader.length(), head.indexOf("\r\n", at)).trim());
    in.readNBytes(length);
  }
}
