package dev.chime.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real SSE client of {@code /api/v1/stream}, for tests: reads events line by line. */
final class Sse implements AutoCloseable {
  /** Put after the last line when the response ends: no SSE line holds a NUL. */
  private static final String ENDED = "\0ended";

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse<Void>> stream;

  /** One event: its name, id and data. */
  record Event(String name, String id, String data) {}

  /** Connects with the token (or none) and the Last-Event-ID (or none); waits for the greeting. */
  Sse(String baseUrl, String token, String lastEventId) throws InterruptedException {
    this(baseUrl, token, lastEventId, "text/event-stream");
  }

  /** As above, with the {@code Accept} header given (null: none). */
  Sse(String baseUrl, String token, String lastEventId, String accept) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/stream"));
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    stream =
        HttpClient.newHttpClient()
            .sendAsync(
                request.build(),
                info -> HttpResponse.BodySubscribers.fromLineSubscriber(new LineCollector(lines)));
    awaitLine(line -> line.startsWith(": connected") || line.startsWith(":connected"));
  }

  /** The next event (of any name): its lines up to the blank line that ends it. */
  Event next() throws InterruptedException {
    String name = null;
    String id = null;
    List<String> data = new ArrayList<>();
    String line = awaitLine(l -> !l.isEmpty() && !l.startsWith(":"));
    for (; !line.isEmpty(); line = take()) {
      if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return new Event(name, id, String.join("\n", data));
  }

  /** The next event with the name, skipping others. */
  Event next(String name) throws InterruptedException {
    Event event;
    do {
      event = next();
    } while (!event.name().equals(name));
    return event;
  }

  private String awaitLine(Predicate<String> wanted) throws InterruptedException {
    String line;
    do {
      line = take();
    } while (!wanted.test(line));
    return line;
  }

  private String take() throws InterruptedException {
    String line = lines.poll(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no event line within 20 s");
    }
    if (line.equals(ENDED)) {
      throw new AssertionError("the stream's response ended");
    }
    return line;
  }

  @Override
  public void close() {
    stream.cancel(true);
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
    public void onComplete() {
      lines.add(ENDED);
    }
  }
}
