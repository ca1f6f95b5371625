package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.Job;
import dev.chime.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSE stream read with a real HTTP client: job and run changes arrive as events, and a client
 * that reconnects with {@code Last-Event-ID} gets what it missed, or a reset.
 */
class EventStreamTest {
  @TempDir Path dir;
  ChimeServer server;
  Http http;

  @BeforeEach
  void start() {
    server = ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build());
    server.scheduler().register("noop", ctx -> {});
    http = new Http(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String job(String id) {
    return "{\"id\": \"" + id + "\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\"}";
  }

  private static String jobId(Sse.Event event) throws Exception {
    return Json.MAPPER.readTree(event.data()).get("job").get("id").asText();
  }

  /** The N of an event id {@code EPOCH-N}. */
  private static long seq(String id) {
    return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
  }

  /** The EPOCH of an event id {@code EPOCH-N}. */
  private static String epoch(String id) {
    return id.substring(0, id.lastIndexOf('-'));
  }

  /** The next job event about the job, skipping others. */
  private static Sse.Event nextAbout(Sse stream, String job) throws Exception {
    Sse.Event event;
    do {
      event = stream.next("job");
    } while (!jobId(event).equals(job));
    return event;
  }

  @Test
  void streamsJobAndRunChanges() throws Exception {
    try (Sse stream = new Sse(server.baseUrl(), null, null)) {
      assertThat(http.post("/api/v1/jobs", job("sse-1")).status()).isEqualTo(201);
      Sse.Event jobEvent = stream.next("job");
      assertThat(jobEvent.data()).contains("\"change\":\"added\"").contains("sse-1");
      assertThat(jobEvent.id()).matches("[0-9a-z]{8}-[0-9]+");
      assertThat(seq(jobEvent.id())).isPositive();

      assertThat(http.post("/api/v1/jobs/sse-1/run", null).status()).isEqualTo(202);
      List<String> runEvents = new ArrayList<>();
      while (!String.join("\n", runEvents).contains("\"state\":\"succeeded\"")) {
        runEvents.add(stream.next("run").data());
      }
      assertThat(String.join("\n", runEvents)).contains("\"jobId\":\"sse-1\"");
    }
    Http.Response json = http.get("/api/v1/stream", "application/json");
    assertThat(json.status()).isEqualTo(406);
    assertThat(json.json().get("detail").asText()).contains("Accept: text/event-stream");
    // curl's default, a text range, or no Accept at all: the stream (asked here with HEAD)
    for (String accept : new String[] {"*/*", "text/*;q=0.8", null}) {
      Http.Response head = http.head("/api/v1/stream", accept);
      assertThat(head.status()).as(String.valueOf(accept)).isEqualTo(200);
      assertThat(head.header("Content-Type")).startsWith("text/event-stream");
    }
  }

  /** A GET (not only a HEAD) streams for every Accept that takes events, and only for those. */
  @Test
  void everyAcceptThatTakesEventsGetsTheStreamAndOthersA406() throws Exception {
    String[] taking = {null, "*/*", "text/*", "text/event-stream", "application/json, */*;q=0.1"};
    for (int i = 0; i < taking.length; i++) {
      try (Sse stream = new Sse(server.baseUrl(), null, null, taking[i])) {
        assertThat(http.post("/api/v1/jobs", job("accept-" + i)).status()).isEqualTo(201);
        assertThat(jobId(stream.next("job"))).as(taking[i]).isEqualTo("accept-" + i);
      }
    }
    for (String refusing :
        new String[] {
          "application/json", "text/html", "text/event-stream;q=0", "*/*, text/event-stream;q=0"
        }) {
      Http.Response refused = http.get("/api/v1/stream", refusing);
      assertThat(refused.status()).as(refusing).isEqualTo(406);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.json().get("field").asText()).isEqualTo("Accept");
    }
  }

  @Test
  void aRunAnEventStartedCarriesTheEventInTheStream() throws Exception {
    String body = "{\"id\": \"sse-ev\", \"trigger\": {\"event\": \"ship\"}, \"handler\": \"noop\"}";
    assertThat(http.post("/api/v1/jobs", body).status()).isEqualTo(201);
    try (Sse stream = new Sse(server.baseUrl(), null, null)) {
      assertThat(http.post("/api/v1/events/ship", "{\"build\": 7}").status()).isEqualTo(202);
      com.fasterxml.jackson.databind.JsonNode run = Json.MAPPER.readTree(stream.next("run").data());
      assertThat(run.get("event").get("name").asText()).isEqualTo("ship");
      assertThat(run.get("event").get("payload").get("build").asInt()).isEqualTo(7);
    }
  }

  @Test
  void aReconnectingClientGetsWhatItMissedThenTheLiveEvents() throws Exception {
    String seen;
    try (Sse first = new Sse(server.baseUrl(), null, null)) {
      assertThat(http.post("/api/v1/jobs", job("missed-0")).status()).isEqualTo(201);
      seen = first.next("job").id();
    }
    for (int i = 1; i <= 3; i++) {
      assertThat(http.post("/api/v1/jobs", job("missed-" + i)).status()).isEqualTo(201);
    }
    try (Sse again = new Sse(server.baseUrl(), null, seen)) {
      List<String> ids = new ArrayList<>();
      List<String> jobs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Sse.Event event = again.next("job");
        ids.add(event.id());
        jobs.add(jobId(event));
      }
      assertThat(jobs).containsExactly("missed-1", "missed-2", "missed-3");
      String epoch = epoch(seen);
      long last = seq(seen);
      assertThat(ids)
          .containsExactly(
              epoch + "-" + (last + 1), epoch + "-" + (last + 2), epoch + "-" + (last + 3));

      assertThat(http.post("/api/v1/jobs", job("live-4")).status()).isEqualTo(201);
      Sse.Event live = again.next("job");
      assertThat(jobId(live)).isEqualTo("live-4");
      assertThat(live.id()).isEqualTo(epoch + "-" + (last + 4));
    }
  }

  @Test
  void anIdTheBufferNoLongerHoldsGetsAReset() throws Exception {
    List<Job> many =
        IntStream.rangeClosed(0, EventStream.REPLAY + 1)
            .mapToObj(
                i ->
                    Job.builder("bulk-" + i)
                        .handler("noop")
                        .trigger(Trigger.cron("0 3 * * *", java.time.ZoneOffset.UTC))
                        .build())
            .toList();
    String first;
    try (Sse watching = new Sse(server.baseUrl(), null, null)) {
      server.scheduler().scheduleAll(many);
      first = nextAbout(watching, "bulk-0").id();
      // listeners hear of changes on their own thread: wait until the stream has them all
      nextAbout(watching, "bulk-" + (EventStream.REPLAY + 1));
    }
    String epoch = epoch(first);
    try (Sse stale = new Sse(server.baseUrl(), null, first)) {
      Sse.Event reset = stale.next();
      assertThat(reset.name()).isEqualTo("reset");
      JsonNode data = Json.MAPPER.readTree(reset.data());
      assertThat(data.get("lastEventId").asText()).isEqualTo(first);
      String newest = data.get("newest").asText();
      assertThat(epoch(newest)).isEqualTo(epoch);
      assertThat(seq(newest)).isGreaterThan(EventStream.REPLAY);
      assertThat(data.get("oldest").asText())
          .isEqualTo(epoch + "-" + (seq(newest) - EventStream.REPLAY + 1));
      assertThat(reset.id()).isEqualTo(newest);

      assertThat(http.post("/api/v1/jobs", job("after-reset")).status()).isEqualTo(201);
      Sse.Event live = stale.next("job");
      assertThat(live.id()).isEqualTo(epoch + "-" + (seq(newest) + 1));
    }
  }

  /**
   * Ids from the process before a restart are foreign to the new one, though the new one has events
   * with the same numbers: a reset, not a replay of the new process's events after the old number.
   */
  @Test
  void anIdFromTheProcessBeforeARestartGetsAReset() throws Exception {
    String before;
    try (Sse first = new Sse(server.baseUrl(), null, null)) {
      assertThat(http.post("/api/v1/jobs", job("before-restart")).status()).isEqualTo(201);
      before = nextAbout(first, "before-restart").id();
    }
    server.close();
    start();
    String newest = null;
    try (Sse watching = new Sse(server.baseUrl(), null, null)) {
      for (int i = 0; i < 3; i++) {
        assertThat(http.post("/api/v1/jobs", job("after-restart-" + i)).status()).isEqualTo(201);
        newest = nextAbout(watching, "after-restart-" + i).id();
      }
    }
    assertThat(newest).isNotEqualTo(before);
    try (Sse again = new Sse(server.baseUrl(), null, before)) {
      Sse.Event reset = again.next();
      assertThat(reset.name()).as("the first event after reconnecting").isEqualTo("reset");
      JsonNode data = Json.MAPPER.readTree(reset.data());
      assertThat(data.get("lastEventId").asText()).isEqualTo(before);
      assertThat(data.get("newest").asText()).isEqualTo(newest);
      assertThat(reset.id()).isEqualTo(newest);
    }
  }

  @Test
  void anIdFromBeforeARestartOrNotAnIdGetsAReset() throws Exception {
    assertThat(http.post("/api/v1/jobs", job("one")).status()).isEqualTo(201);
    for (String id : new String[] {"5000", "junk"}) {
      try (Sse stale = new Sse(server.baseUrl(), null, id)) {
        Sse.Event reset = stale.next();
        assertThat(reset.name()).isEqualTo("reset");
        JsonNode data = Json.MAPPER.readTree(reset.data());
        assertThat(data.get("lastEventId").asText()).isEqualTo(id);
        assertThat(data.get("newest").asText()).isEqualTo(reset.id());
      }
    }
  }

  @Test
  void theNewestIdReplaysNothing() throws Exception {
    String newest;
    try (Sse first = new Sse(server.baseUrl(), null, null)) {
      assertThat(http.post("/api/v1/jobs", job("seen")).status()).isEqualTo(201);
      newest = first.next("job").id();
    }
    try (Sse again = new Sse(server.baseUrl(), null, newest)) {
      assertThat(http.post("/api/v1/jobs", job("next")).status()).isEqualTo(201);
      Sse.Event event = again.next();
      assertThat(event.name()).isEqualTo("job");
      assertThat(jobId(event)).isEqualTo("next");
    }
  }
}
