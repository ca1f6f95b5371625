package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.JobId;
import dev.chime.RunState;
import dev.chime.SchedulerEvent;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on a real server on a free loopback port, over a real store; one subclass per store.
 * Each test uses its own job ids, so they share one server per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiContractTest {
  ChimeServer server;
  Http http;

  /** The settings of the store under test. */
  abstract ServerSettings.Builder settings();

  /** Drops what the store left behind. */
  void cleanUp() {}

  @BeforeAll
  void startServer() {
    server = ChimeServer.start(settings().port(0).shutdownGrace(Duration.ofSeconds(5)).build());
    server.scheduler().register("noop", ctx -> {});
    http = new Http(server);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  static String job(String id) {
    return """
        {"id": "%s", "trigger": "0 3 * * *", "zone": "Europe/Berlin",
         "handler": "noop", "labels": ["nightly"]}"""
        .formatted(id);
  }

  @Test
  void healthAnswers() {
    assertThat(http.get("/health/live").status()).isEqualTo(200);
    Http.Response ready = http.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    Http.Response metrics = http.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    assertThat(metrics.body()).contains("# TYPE");
  }

  @Test
  void createsAJobWithLocationAndReadsItBack() {
    Http.Response created = http.post("/api/v1/jobs", job("create-1"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/jobs/create-1");
    JsonNode job = http.get("/api/v1/jobs/create-1").json();
    assertThat(job.get("id").asText()).isEqualTo("create-1");
    assertThat(job.get("owner").asText()).isEqualTo("api");
    assertThat(job.get("status").get("state").asText()).isEqualTo("active");
    assertThat(Instant.parse(job.get("status").get("nextFireAt").asText())).isAfter(Instant.EPOCH);
  }

  @Test
  void aTakenIdIsAConflict() {
    assertThat(http.post("/api/v1/jobs", job("conflict-1")).status()).isEqualTo(201);
    Http.Response again = http.post("/api/v1/jobs", job("conflict-1"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    assertThat(again.json().get("detail").asText()).contains("conflict-1");
  }

  @Test
  void unknownIdsAreNotFound() {
    for (String path :
        List.of(
            "/api/v1/jobs/nope",
            "/api/v1/jobs/nope/next",
            "/api/v1/jobs/nope/runs",
            "/api/v1/jobs/nope/runs?cursor=" + Params.cursor("run", "5"),
            "/api/v1/runs/999999",
            "/api/v1/runs/abc",
            "/api/v1/nothing-here")) {
      Http.Response response = http.get(path);
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.header("Content-Type")).as(path).startsWith("application/problem+json");
    }
    assertThat(http.delete("/api/v1/jobs/nope").status()).isEqualTo(404);
    assertThat(http.post("/api/v1/jobs/nope/run", null).status()).isEqualTo(404);
  }

  @Test
  void malformedIs400AndInvalidIs422WithTheField() {
    Http.Response malformed = http.post("/api/v1/jobs", "{\"id\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("field").asText()).isEqualTo("body");
    byte[] latin1 =
        "{\"id\": \"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Http.Response notUtf8 = http.postBytes("/api/v1/jobs", latin1);
    assertThat(notUtf8.status()).as("bytes that are not UTF-8 cannot be read").isEqualTo(400);
    assertThat(notUtf8.json().get("detail").asText()).isEqualTo("the body is not UTF-8 text");
    Http.Response huge = http.post("/api/v1/jobs", "{\"id\": \"" + "x".repeat(2 << 20) + "\"}");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.json().get("field").asText()).isEqualTo("body");
    Http.Response badCron =
        http.post(
            "/api/v1/jobs",
            "{\"id\": \"bad-cron\", \"trigger\": \"61 * * * *\", \"handler\": \"noop\"}");
    assertThat(badCron.status()).isEqualTo(422);
    assertThat(badCron.json().get("detail").asText()).contains("61");
    Http.Response badLimit = http.get("/api/v1/jobs?limit=0");
    assertThat(badLimit.status()).isEqualTo(422);
    assertThat(badLimit.json().get("field").asText()).isEqualTo("limit");
    assertThat(http.get("/api/v1/jobs?limit=ten").status()).isEqualTo(400);
    assertThat(http.get("/api/v1/jobs?state=sleeping").json().get("field").asText())
        .isEqualTo("state");
    Http.Response cycle =
        http.post(
            "/api/v1/jobs",
            "{\"id\": \"self\", \"trigger\": {\"after\": [\"self\"]}, \"handler\": \"noop\"}");
    assertThat(cycle.status()).isEqualTo(422);
    assertThat(cycle.json().get("detail").asText()).isEqualTo("dependency cycle: self -> self");
  }

  @Test
  void valuesBeyondWhatStoresHoldAndRefusalsByTheSchedulerNameTheirField() {
    Map<String, String> bodies =
        Map.of(
            "trigger.every",
            "{\"id\": \"far-1\", \"trigger\": {\"every\": \"99999999999d\"}, \"command\": [\"true\"]}",
            "trigger.at",
            "{\"id\": \"far-2\", \"trigger\": {\"at\": \"+300000-01-01T00:00:00Z\"}, \"command\": [\"true\"]}",
            "timeout",
            "{\"id\": \"far-3\", \"trigger\": \"0 3 * * *\", \"timeout\": \"36501d\", \"command\": [\"true\"]}",
            "handler",
            "{\"id\": \"far-4\", \"trigger\": \"0 3 * * *\", \"handler\": \"nosuch\"}",
            "trigger.after",
            "{\"id\": \"far-5\", \"trigger\": {\"after\": [\"nope\"]}, \"handler\": \"noop\"}",
            "overlap.max_concurrent",
            "{\"id\": \"far-6\", \"trigger\": \"0 3 * * *\", \"command\": [\"true\"],"
                + " \"overlap\": {\"mode\": \"allow\", \"max_concurrent\": 3}}");
    bodies.forEach(
        (field, body) -> {
          Http.Response created = http.post("/api/v1/jobs", body);
          assertThat(created.status()).as(body).isEqualTo(422);
          assertThat(created.json().get("field").asText()).as(body).isEqualTo(field);
          String id = body.substring(body.indexOf("far-"), body.indexOf("far-") + 5);
          Http.Response put = http.put("/api/v1/jobs/" + id, body);
          assertThat(put.status()).as("PUT " + body).isEqualTo(422);
        });
    assertThat(http.get("/api/v1/jobs/far-1").status()).isEqualTo(404);
  }

  @Test
  void deepNestingIsRefusedAsAProblemAndProblemsAreUtf8() {
    String deep = "[".repeat(200) + "]".repeat(200);
    Http.Response job =
        http.post(
            "/api/v1/jobs",
            "{\"id\": \"deep-1\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\","
                + " \"params\": {\"a\": "
                + deep
                + "}}");
    assertThat(job.status()).as(job.body()).isEqualTo(400);
    assertThat(job.header("Content-Type")).startsWith("application/problem+json");
    assertThat(job.json().get("detail").asText()).contains("nest more than 32 levels");
    Http.Response event = http.post("/api/v1/events/deep", "{\"a\": " + deep + "}");
    assertThat(event.status()).as(event.body()).isEqualTo(400);
    String fine = "[".repeat(25) + "]".repeat(25);
    assertThat(
            http.post(
                    "/api/v1/jobs",
                    "{\"id\": \"deep-2\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\","
                        + " \"params\": {\"a\": "
                        + fine
                        + "}}")
                .status())
        .isEqualTo(201);
    Http.Response unicode = http.get("/api/v1/jobs/caf%C3%A9-%E2%98%95");
    assertThat(unicode.status()).isEqualTo(404);
    assertThat(unicode.json().get("detail").asText()).contains("caf\u00e9-\u2615");
  }

  @Test
  void replaceIsIdempotentAndDeleteRemoves() {
    Http.Response first = http.put("/api/v1/jobs/replace-1", job("replace-1"));
    assertThat(first.status()).isEqualTo(201);
    Http.Response second = http.put("/api/v1/jobs/replace-1", job("replace-1"));
    assertThat(second.status()).isEqualTo(200);
    Http.Response mismatch = http.put("/api/v1/jobs/replace-1", job("other"));
    assertThat(mismatch.status()).isEqualTo(422);
    assertThat(mismatch.json().get("field").asText()).isEqualTo("id");
    assertThat(http.delete("/api/v1/jobs/replace-1").status()).isEqualTo(204);
    assertThat(http.get("/api/v1/jobs/replace-1").status()).isEqualTo(404);
  }

  @Test
  void aPutOfTheJobAsItIsChangesNothing() {
    List<SchedulerEvent.Change> changes = new CopyOnWriteArrayList<>();
    server
        .scheduler()
        .addListener(
            event -> {
              if (event instanceof SchedulerEvent.JobChanged changed
                  && changed.job().id().value().startsWith("same-")) {
                changes.add(changed.change());
              }
            });
    String hashed = job("same-2").replace("0 3 * * *", "H H * * *");
    for (String body : List.of(job("same-1"), hashed)) {
      String id = Json.read(body).get("id").asText();
      Http.Response created = http.put("/api/v1/jobs/" + id, body);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String asGot = http.get("/api/v1/jobs/" + id).body();
      for (String same : List.of(body, asGot, body.replace("\"id\": \"" + id + "\", ", ""))) {
        Http.Response again = http.put("/api/v1/jobs/" + id, same);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json()).as("the job as it was, version and all").isEqualTo(created.json());
      }
    }
    Http.Response changed = http.put("/api/v1/jobs/same-1", job("same-1").replace("nightly", "x"));
    assertThat(changed.json().get("status").get("version").asLong()).isEqualTo(2);
    await(() -> changes.contains(SchedulerEvent.Change.UPDATED));
    assertThat(changes)
        .as("the one change is the one update")
        .containsExactly(
            SchedulerEvent.Change.ADDED,
            SchedulerEvent.Change.ADDED,
            SchedulerEvent.Change.UPDATED);
  }

  /** The scheduler checks the job as it is too: a PUT that changes nothing is no way around it. */
  @Test
  void aPutOfTheJobAsItIsIsCheckedAsAnyUpdate(@TempDir Path dir) throws Exception {
    Path watched = Files.createDirectory(dir.resolve("inbox"));
    String body =
        "{\"id\": \"same-file-1\", \"trigger\": {\"file\": {\"path\": "
            + Json.write(watched.toString())
            + "}}, \"handler\": \"noop\"}";
    assertThat(http.put("/api/v1/jobs/same-file-1", body).status()).isEqualTo(201);
    assertThat(http.put("/api/v1/jobs/same-file-1", body).status()).isEqualTo(200);
    Files.delete(watched);
    Http.Response refused = http.put("/api/v1/jobs/same-file-1", body);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().get("field").asText()).isEqualTo("trigger.file.path");
    assertThat(refused.json().get("detail").asText()).contains("does not exist");
    assertThat(http.delete("/api/v1/jobs/same-file-1").status()).isEqualTo(204);
  }

  @Test
  void concurrentPutsOfANewIdAllSucceedAndTheLastWins() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Http.Response>> puts = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String body = job("race-1").replace("\"nightly\"", "\"writer-" + i + "\"");
        puts.add(
            pool.submit(
                () -> {
                  go.await();
                  return http.put("/api/v1/jobs/race-1", body);
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Http.Response> put : puts) {
        Http.Response response = put.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        statuses.add(response.status());
      }
      assertThat(statuses).as("one PUT created it, the others replaced it").containsOnlyOnce(201);
      String label = http.get("/api/v1/jobs/race-1").json().get("labels").get(0).asText();
      assertThat(label).matches("writer-[0-7]");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPutWithoutTheOwnerDoesNotChangeAJobFilesJob() {
    String owner = "file:/etc/chime/jobs.yaml";
    assertThat(http.post("/api/v1/jobs?owner=" + owner, job("filed-1")).status()).isEqualTo(201);
    for (String query : new String[] {"", "?owner=api", "?owner=file:/etc/other.yaml"}) {
      Http.Response refused = http.put("/api/v1/jobs/filed-1" + query, job("filed-1"));
      assertThat(refused.status()).as(query + " " + refused).isEqualTo(409);
      assertThat(refused.header("Content-Type")).startsWith(Problems.CONTENT_TYPE);
      assertThat(refused.json().get("field").asText()).isEqualTo("owner");
      assertThat(refused.json().get("detail").asText())
          .contains("job filed-1 is owned by " + owner)
          .contains("the job file /etc/chime/jobs.yaml");
    }
    assertThat(http.get("/api/v1/jobs/filed-1").json().get("owner").asText()).isEqualTo(owner);
    Http.Response matching = http.put("/api/v1/jobs/filed-1?owner=" + owner, job("filed-1"));
    assertThat(matching.status()).as(matching.toString()).isEqualTo(200);
    assertThat(matching.json().get("owner").asText()).isEqualTo(owner);

    assertThat(http.post("/api/v1/jobs", job("by-api-1")).status()).isEqualTo(201);
    Http.Response takeover = http.put("/api/v1/jobs/by-api-1?owner=" + owner, job("by-api-1"));
    assertThat(takeover.status()).isEqualTo(409);
    assertThat(takeover.json().get("detail").asText()).contains("is owned by api");
  }

  @Test
  void aPutsErrorsNameTheLineOfTheBody() {
    String withoutId =
        "{\n  \"trigger\": \"0 3 * * *\",\n  \"handler\": \"noop\",\n  \"timeout\": \"soon\"\n}";
    Http.Response response = http.put("/api/v1/jobs/lines-1", withoutId);
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.json().get("field").asText()).isEqualTo("timeout");
    assertThat(response.json().get("line").asInt()).isEqualTo(4);
    String withId =
        "{\n\"id\": \"lines-1\",\n\n\"trigger\": \"61 * * * *\", \"handler\": \"noop\"}";
    assertThat(http.put("/api/v1/jobs/lines-1", withId).json().get("line").asInt()).isEqualTo(4);
    assertThat(http.post("/api/v1/jobs", withId).json().get("line").asInt()).isEqualTo(4);
    assertThat(http.put("/api/v1/jobs/lines-1", "{}").json().get("field").asText())
        .isEqualTo("trigger");
    assertThat(http.put("/api/v1/jobs/lines-1", "[1]").status()).isEqualTo(422);
    assertThat(http.put("/api/v1/jobs/lines-1", "{\"id\": 7}").json().get("field").asText())
        .isEqualTo("id");
    assertThat(server.scheduler().get(JobId.of("lines-1"))).isEmpty();
  }

  @Test
  void idsWithSlashesArePathEncoded() {
    assertThat(http.post("/api/v1/jobs", job("team/backup")).status()).isEqualTo(201);
    Http.Response read = http.get("/api/v1/jobs/team%2Fbackup");
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(read.json().get("id").asText()).isEqualTo("team/backup");
  }

  @Test
  void listsPageWithACursor() {
    for (int i = 0; i < 5; i++) {
      assertThat(http.post("/api/v1/jobs", job("page-" + i)).status()).isEqualTo(201);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/api/v1/jobs?q=page-&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = http.get(path).json();
      page.get("items").forEach(item -> seen.add(item.get("id").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(seen).containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
    assertThat(pages).isEqualTo(3);
    assertThat(http.get("/api/v1/jobs?cursor=!!!").status()).isEqualTo(400);
    // a cursor of the right kind whose key is no job id (made by hand) is refused the same way
    Http.Response forged = http.get("/api/v1/jobs?cursor=" + Params.cursor("job", "not an id"));
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.header("Content-Type")).startsWith("application/problem+json");
  }

  /** A run cursor is refused as the job list's is: 400 naming it, whatever its key was made of. */
  @Test
  void aForgedRunCursorIs400NamingTheCursor() {
    assertThat(http.post("/api/v1/jobs", job("cursor-runs")).status()).isEqualTo(201);
    String runs = "/api/v1/jobs/cursor-runs/runs?cursor=";
    assertThat(http.get(runs + Params.cursor("run", "7")).status()).isEqualTo(200);
    for (String key : List.of("0", "-5", "abc", "99999999999999999999")) {
      Http.Response forged = http.get(runs + Params.cursor("run", key));
      assertThat(forged.status()).as(key).isEqualTo(400);
      assertThat(forged.header("Content-Type")).startsWith("application/problem+json");
      assertThat(forged.json().get("field").asText()).isEqualTo("cursor");
      assertThat(forged.json().get("detail").asText())
          .isEqualTo(
              http.get("/api/v1/jobs?cursor=" + Params.cursor("job", "not an id"))
                  .json()
                  .get("detail")
                  .asText());
    }
    assertThat(http.get(runs + Params.cursor("job", "cursor-runs")).status()).isEqualTo(400);
  }

  @Test
  void pauseResumeAndRunNow() {
    assertThat(http.post("/api/v1/jobs", job("ops-1")).status()).isEqualTo(201);
    Http.Response paused = http.post("/api/v1/jobs/ops-1/pause", "{\"note\": \"quarter close\"}");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.json().get("status").get("state").asText()).isEqualTo("paused");
    assertThat(paused.json().get("status").get("note").asText()).isEqualTo("quarter close");
    assertThat(http.post("/api/v1/jobs/ops-1/pause", "{\"why\": 1}").status()).isEqualTo(422);
    Http.Response resumed = http.post("/api/v1/jobs/ops-1/resume", null);
    assertThat(resumed.json().get("status").get("state").asText()).isEqualTo("active");

    Http.Response run = http.post("/api/v1/jobs/ops-1/run", null);
    assertThat(run.status()).as(run.toString()).isEqualTo(202);
    String runId = run.json().get("id").asText();
    assertThat(run.header("Location")).isEqualTo("/api/v1/runs/" + runId);
    await(() -> "succeeded".equals(http.get("/api/v1/runs/" + runId).json().get("state").asText()));
    JsonNode record = http.get("/api/v1/runs/" + runId).json();
    for (String field :
        List.of(
            "id",
            "jobId",
            "scheduledFor",
            "attempt",
            "state",
            "startedAt",
            "finishedAt",
            "node",
            "error")) {
      assertThat(record.has(field)).as(field).isTrue();
    }
    assertThat(record.get("attempt").asInt()).isEqualTo(1);
    assertThat(record.get("node").asText()).isEqualTo(server.scheduler().nodes().get(0).id());
    JsonNode runs = http.get("/api/v1/jobs/ops-1/runs?state=succeeded").json();
    assertThat(runs.get("items").get(0).get("id").asText()).isEqualTo(runId);
    assertThat(http.post("/api/v1/runs/" + runId + "/cancel", null).status()).isEqualTo(409);
    assertThat(http.get("/api/v1/jobs/ops-1/runs?state=bogus").status()).isEqualTo(422);
  }

  /** A paused job paused again with a new note shows the new one. */
  @Test
  void pausingAPausedJobAgainReplacesItsNote() {
    assertThat(http.post("/api/v1/jobs", job("repause-1")).status()).isEqualTo(201);
    assertThat(http.post("/api/v1/jobs/repause-1/pause", "{\"note\": \"first\"}").status())
        .isEqualTo(200);
    Http.Response again = http.post("/api/v1/jobs/repause-1/pause", "{\"note\": \"second\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().at("/status/note").asText()).isEqualTo("second");
    JsonNode status = http.get("/api/v1/jobs/repause-1").json().get("status");
    assertThat(status.get("state").asText()).isEqualTo("paused");
    assertThat(status.get("note").asText()).isEqualTo("second");
  }

  /** Run, resume and cancel take no body: one with keys is refused, not ignored. */
  @Test
  void actionsWithoutABodyRefuseOne() {
    assertThat(http.post("/api/v1/jobs", job("no-body-1")).status()).isEqualTo(201);
    String run = http.post("/api/v1/jobs/no-body-1/run", null).json().get("id").asText();
    for (String path :
        List.of(
            "/api/v1/jobs/no-body-1/resume",
            "/api/v1/jobs/no-body-1/run",
            "/api/v1/runs/" + run + "/cancel")) {
      Http.Response withKeys = http.post(path, "{\"note\": \"why\"}");
      assertThat(withKeys.status()).as(path).isEqualTo(422);
      assertThat(withKeys.json().get("field").asText()).isEqualTo("note");
      assertThat(withKeys.json().get("detail").asText()).endsWith("takes no body");
      assertThat(http.post(path, "{oops").status()).as(path).isEqualTo(400);
    }
    assertThat(http.post("/api/v1/jobs/no-body-1/resume", " { } ").status()).isEqualTo(200);
  }

  /** A finished job cannot be paused or resumed: 409 says so, rather than 200 and no change. */
  @Test
  void pausingOrResumingAFinishedJobIsAConflict() {
    String once =
        "{\"id\": \"done-1\", \"trigger\": {\"at\": \"2020-01-01T00:00:00Z\"}, \"handler\":"
            + " \"noop\"}";
    assertThat(http.post("/api/v1/jobs", once).status()).isEqualTo(201);
    await(
        () ->
            "finished"
                .equals(
                    http.get("/api/v1/jobs/done-1").json().get("status").get("state").asText()));
    for (String action : List.of("pause", "resume")) {
      Http.Response refused = http.post("/api/v1/jobs/done-1/" + action, null);
      assertThat(refused.status()).as(action).isEqualTo(409);
      assertThat(refused.json().get("detail").asText())
          .isEqualTo("job done-1 is finished: there is nothing to " + action);
    }
  }

  @Test
  void aRunningRunIsListedAsRunning() throws Exception {
    var started = new java.util.concurrent.CountDownLatch(1);
    var release = new java.util.concurrent.CountDownLatch(1);
    server
        .scheduler()
        .register(
            "hold",
            ctx -> {
              started.countDown();
              release.await();
            });
    String body = "{\"id\": \"running-1\", \"trigger\": \"0 3 * * *\", \"handler\": \"hold\"}";
    assertThat(http.post("/api/v1/jobs", body).status()).isEqualTo(201);
    String runId = http.post("/api/v1/jobs/running-1/run", null).json().get("id").asText();
    try {
      assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      JsonNode all = http.get("/api/v1/jobs/running-1/runs").json().get("items");
      assertThat(all.get(0).get("id").asText()).isEqualTo(runId);
      assertThat(all.get(0).get("state").asText()).isEqualTo("running");
      JsonNode running = http.get("/api/v1/jobs/running-1/runs?state=running").json().get("items");
      assertThat(running).hasSize(1);
      assertThat(running.get(0).get("id").asText()).isEqualTo(runId);
      assertThat(http.get("/api/v1/jobs/running-1/runs?state=claimed").json().get("items"))
          .isEmpty();
    } finally {
      release.countDown();
    }
    await(() -> "succeeded".equals(http.get("/api/v1/runs/" + runId).json().get("state").asText()));
    assertThat(http.get("/api/v1/jobs/running-1/runs?state=running").json().get("items")).isEmpty();
  }

  @Test
  void cancelsARunningRun() throws Exception {
    var started = new java.util.concurrent.CountDownLatch(1);
    server
        .scheduler()
        .register(
            "block",
            ctx -> {
              started.countDown();
              Thread.sleep(Duration.ofMinutes(5));
            });
    String body = "{\"id\": \"cancel-1\", \"trigger\": \"0 3 * * *\", \"handler\": \"block\"}";
    assertThat(http.post("/api/v1/jobs", body).status()).isEqualTo(201);
    String runId = http.post("/api/v1/jobs/cancel-1/run", null).json().get("id").asText();
    assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Http.Response cancelled = http.post("/api/v1/runs/" + runId + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
    await(
        () ->
            server
                .scheduler()
                .run(dev.chime.RunId.parse(runId))
                .map(r -> r.state() == RunState.CANCELLED)
                .orElse(false));
  }

  @Test
  void aLongRunDoesNotHoldUpOtherJobs() throws Exception {
    var both = new java.util.concurrent.CountDownLatch(2);
    server
        .scheduler()
        .register(
            "meet",
            ctx -> {
              both.countDown();
              both.await();
            });
    for (String id : List.of("meet-1", "meet-2")) {
      String body = "{\"id\": \"" + id + "\", \"trigger\": \"0 3 * * *\", \"handler\": \"meet\"}";
      assertThat(http.post("/api/v1/jobs", body).status()).isEqualTo(201);
    }
    assertThat(http.post("/api/v1/jobs/meet-1/run", null).status()).isEqualTo(202);
    await(() -> both.getCount() == 1);
    assertThat(http.post("/api/v1/jobs/meet-2/run", null).status()).isEqualTo(202);
    assertThat(both.await(10, java.util.concurrent.TimeUnit.SECONDS))
        .as("the second job started while the first still ran")
        .isTrue();
  }

  @Test
  void nextMarksDaylightSavingGaps() {
    String body =
        "{\"id\": \"dst-1\", \"trigger\": \"30 2 * * *\", \"zone\": \"America/New_York\","
            + " \"handler\": \"noop\"}";
    assertThat(http.post("/api/v1/jobs", body).status()).isEqualTo(201);
    JsonNode next = http.get("/api/v1/jobs/dst-1/next?count=400").json().get("items");
    assertThat(next).hasSize(400);
    List<String> gaps = new ArrayList<>();
    next.forEach(
        item -> {
          if (item.has("dst")) {
            gaps.add(item.get("at").asText() + " " + item.get("dst").asText());
          }
        });
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0)).endsWith("T03:00:00-04:00 gap");
    assertThat(http.get("/api/v1/jobs/dst-1/next?count=0").status()).isEqualTo(422);
  }

  @Test
  void nodesListTheLocalNode() {
    JsonNode nodes = http.get("/api/v1/nodes").json();
    assertThat(nodes.get("items")).hasSize(1);
    JsonNode node = nodes.get("items").get(0);
    assertThat(node.get("id").asText()).isEqualTo(server.scheduler().nodes().get(0).id());
    assertThat(node.get("leader").asBoolean()).isTrue();
    assertThat(Instant.parse(node.get("lastHeartbeat").asText())).isAfter(Instant.EPOCH);
  }

  @Test
  void aPublishStartsEveryListeningJobAndAnswersWithItsRuns() {
    String body =
        "{\"id\": \"ev-1\", \"trigger\": {\"event\": \"deploy\"}, \"command\": [\"env\"]}";
    Http.Response created = http.post("/api/v1/jobs", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(http.get("/api/v1/jobs/ev-1").json().get("trigger").get("event").asText())
        .isEqualTo("deploy");
    assertThat(http.get("/api/v1/jobs/ev-1").json().get("status").get("nextFireAt").isNull())
        .isTrue();

    Http.Response published = http.post("/api/v1/events/deploy", "{\"version\": 3}");
    assertThat(published.status()).as(published.toString()).isEqualTo(202);
    assertThat(published.json().get("event").asText()).isEqualTo("deploy");
    JsonNode runs = published.json().get("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("jobId").asText()).isEqualTo("ev-1");
    String runId = runs.get(0).get("id").asText();
    await(() -> "succeeded".equals(http.get("/api/v1/runs/" + runId).json().get("state").asText()));
    assertThat(http.get("/api/v1/runs/" + runId).json().get("log").asText())
        .contains("CHIME_EVENT=deploy")
        .contains("CHIME_EVENT_DATA={\"version\":3}");
    JsonNode event = http.get("/api/v1/runs/" + runId).json().get("event");
    assertThat(event.get("name").asText()).isEqualTo("deploy");
    assertThat(event.get("payload").get("version").asInt()).isEqualTo(3);
    assertThat(http.get("/api/v1/jobs/ev-1/runs").json().get("items").get(0).get("event"))
        .isEqualTo(event);

    Http.Response none = http.post("/api/v1/events/nobody.listens", null);
    assertThat(none.status()).isEqualTo(202);
    assertThat(none.json().get("runs")).isEmpty();
  }

  @Test
  void aBadEventNameOrBodyIsAProblem() {
    Http.Response malformed = http.post("/api/v1/events/deploy", "{");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
    Http.Response array = http.post("/api/v1/events/deploy", "[1, 2]");
    assertThat(array.status()).isEqualTo(422);
    assertThat(array.json().get("field").asText()).isEqualTo("body");
    Http.Response name = http.post("/api/v1/events/.hidden", "{}");
    assertThat(name.status()).isEqualTo(422);
    assertThat(name.json().get("field").asText()).isEqualTo("name");
    assertThat(name.json().get("detail").asText())
        .isEqualTo(
            "event name '.hidden' must start with a letter or digit and use only letters, digits"
                + " and . _ - :");
    Http.Response anyOfEvent =
        http.post(
            "/api/v1/jobs",
            "{\"id\": \"ev-any\", \"handler\": \"noop\", \"trigger\": {\"any\": [{\"event\": \"e\"},"
                + " \"0 3 * * *\"]}}");
    assertThat(anyOfEvent.status()).isEqualTo(422);
    assertThat(anyOfEvent.json().get("detail").asText())
        .contains("an event trigger cannot be part of any/all");
  }

  @Test
  void aFileTriggerRunsItsCommandWithTheChanges(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    String body =
        """
        {"id": "inbox-%s", "command": ["env"],
         "trigger": {"file": {"path": "%s", "glob": "*.csv", "on": ["create"], "debounce": "100ms"}}}"""
            .formatted(getClass().getSimpleName(), dir);
    Http.Response created = http.post("/api/v1/jobs", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = "inbox-" + getClass().getSimpleName();
    assertThat(
            http.get("/api/v1/jobs/" + id).json().get("trigger").get("file").get("glob").asText())
        .isEqualTo("*.csv");
    Files.writeString(dir.resolve("orders.csv"), "1,2\n");
    await(() -> http.get("/api/v1/jobs/" + id + "/runs").json().get("items").size() == 1);
    String runId =
        http.get("/api/v1/jobs/" + id + "/runs").json().get("items").get(0).get("id").asText();
    await(() -> "succeeded".equals(http.get("/api/v1/runs/" + runId).json().get("state").asText()));
    assertThat(http.get("/api/v1/runs/" + runId).json().get("log").asText())
        .contains("CHIME_EVENT=file")
        .contains(
            "CHIME_EVENT_DATA={\"path\":\""
                + dir
                + "\",\"changes\":[{\"path\":\"orders.csv\",\"kind\":\"create\"}]}");

    Http.Response missing =
        http.post(
            "/api/v1/jobs",
            "{\"id\": \"inbox-gone\", \"handler\": \"noop\", \"trigger\": {\"file\": {\"path\": \""
                + dir.resolve("gone")
                + "\"}}}");
    assertThat(missing.status()).as(missing.toString()).isEqualTo(422);
    assertThat(missing.json().get("detail").asText())
        .endsWith(dir.resolve("gone") + " does not exist");
  }

  @Test
  void commandJobsRun() {
    String body =
        "{\"id\": \"cmd-1\", \"trigger\": \"0 3 * * *\", \"command\": [\"echo\", \"hello\"]}";
    Http.Response created = http.post("/api/v1/jobs", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String runId = http.post("/api/v1/jobs/cmd-1/run", null).json().get("id").asText();
    await(() -> "succeeded".equals(http.get("/api/v1/runs/" + runId).json().get("state").asText()));
    assertThat(http.get("/api/v1/runs/" + runId).json().get("log").asText()).contains("hello");
  }

  /**
   * A command's output lines are in its run's log as the process writes them, while it runs: here
   * {@code cat} of a FIFO the test writes into, one line, then (once the run shows it) the next.
   */
  @Test
  void aCommandsOutputIsInItsRunWhileItRuns(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("lines.fifo");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (java.io.IOException e) {
      made = false; // no mkfifo on this system
    }
    // A FIFO needs mkfifo (POSIX): skipped where there is none, but never in CI, which has it.
    if ("true".equals(System.getenv("CI"))) {
      assertThat(made).as("mkfifo made a FIFO on the CI machine").isTrue();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(made, "no mkfifo on this system");
    String body =
        "{\"id\": \"cmd-live\", \"trigger\": \"0 3 * * *\", \"command\": [\"cat\", "
            + Json.write(fifo.toString())
            + "]}";
    assertThat(http.post("/api/v1/jobs", body).status()).isEqualTo(201);
    // Opening a FIFO to write waits for its reader: on a thread of its own, which cannot hang the
    // test run if cat never starts.
    FutureTask<OutputStream> writer = new FutureTask<>(() -> Files.newOutputStream(fifo));
    Thread.ofVirtual().start(writer);
    String runId = http.post("/api/v1/jobs/cmd-live/run", null).json().get("id").asText();
    String path = "/api/v1/runs/" + runId;
    try (OutputStream lines = writer.get(20, TimeUnit.SECONDS)) {
      lines.write("first line\n".getBytes(StandardCharsets.UTF_8));
      lines.flush();
      await(() -> http.get(path).json().get("log").asText().endsWith("\nfirst line\n"));
      assertThat(http.get(path).json().get("state").asText())
          .as("cat is still reading the FIFO")
          .isEqualTo("running");
      lines.write("second line\n".getBytes(StandardCharsets.UTF_8));
    }
    await(() -> "succeeded".equals(http.get(path).json().get("state").asText()));
    assertThat(http.get(path).json().get("log").asText())
        .startsWith("started pid ")
        .endsWith("\nfirst line\nsecond line\n");
  }

  @Test
  void badCommandParamsNameTheField() {
    String body = "{\"id\": \"cmd-bad\", \"trigger\": \"0 3 * * *\", \"command\": {\"shell\": 3}}";
    Http.Response response = http.post("/api/v1/jobs", body);
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.json().get("field").asText()).startsWith("command.");
    assertThat(server.scheduler().get(JobId.of("cmd-bad"))).isEmpty();
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
