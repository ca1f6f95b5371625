package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSE stream read with a real HTTP client: job and run changes arrive as events. */
class EventStreamTest {
  @TempDir Path dir;

  @Test
  void streamsJobAndRunChanges() throws Exception {
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build())) {
      server.scheduler().register("noop", ctx -> {});
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<Void>> stream =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/stream"))
                  .header("Accept", "text/event-stream")
                  .build(),
              responseInfo ->
                  HttpResponse.BodySubscribers.fromLineSubscriber(new LineCollector(lines)));
      awaitLine(lines, line -> line.startsWith(": connected") || line.startsWith(":connected"));

      Http http = new Http(server);
      String job = "{\"id\": \"sse-1\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\"}";
      assertThat(http.post("/api/v1/jobs", job).status()).isEqualTo(201);
      List<String> jobEvent = awaitEvent(lines, "job");
      assertThat(String.join("\n", jobEvent)).contains("\"change\":\"added\"").contains("sse-1");

      assertThat(http.post("/api/v1/jobs/sse-1/run", null).status()).isEqualTo(202);
      List<String> runEvents = new ArrayList<>();
      while (!String.join("\n", runEvents).contains("\"state\":\"succeeded\"")) {
        runEvents.addAll(awaitEvent(lines, "run"));
      }
      assertThat(String.join("\n", runEvents)).contains("\"jobId\":\"sse-1\"");
      stream.cancel(true);
      Http.Response plain = http.get("/api/v1/stream");
      assertThat(plain.status()).isEqualTo(406);
      assertThat(plain.json().get("detail").asText()).contains("Accept: text/event-stream");
    }
  }

  private static List<String> awaitEvent(BlockingQueue<String> lines, String name)
      throws InterruptedException {
    awaitLine(lines, line -> line.equals("event: " + name));
    List<String> event = new ArrayList<>();
    String line;
    while (!(line = take(lines)).isEmpty()) {
      event.add(line);
    }
    return event;
  }

  private static String awaitLine(BlockingQueue<String> lines, Predicate<String> wanted)
      throws InterruptedException {
    String line;
    do {
      line = take(lines);
    } while (!wanted.test(line));
    return line;
  }

  private static String take(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no event line within 20 s");
    }
    return line;
  }

  /** Hands each line of the stream to the queue. */
  private record LineCollector(BlockingQueue<String> lines)
      implements java.util.concurrent.Flow.Subscriber<String> {
    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String item) {
      lines.add(item);
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
