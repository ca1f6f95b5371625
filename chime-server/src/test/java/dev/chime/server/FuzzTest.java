package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed JSON, YAML, cron expressions, durations and ids thrown at every endpoint: always a 4xx
 * problem+json (the one documented exception: a well-formed event is answered 501), never a 500,
 * and the server keeps answering.
 */
class FuzzTest {
  @TempDir Path dir;

  static final List<String> CRONS =
      List.of(
          "61 * * * *",
          "* * *",
          "0 0 30 2 *",
          "@never",
          "H H H H H H H H",
          "*/0 * * * *",
          "0 0 ? * 6L 2020-1999",
          "\u0000",
          "a-b * * * *",
          "0 24 * * *");
  static final List<String> DURATIONS =
      List.of("5x", "-5s", "PT", "P-1D", "99999999999999d", "", "1.5h", "forever");
  static final List<String> IDS =
      List.of("", " ", "..", "-start", "a b", "x".repeat(300), "ü", "a%2F..%2F..", "%00", "null");

  static List<String> bodies(Random random) {
    List<String> bodies = new ArrayList<>();
    bodies.addAll(
        List.of(
            "{",
            "}",
            "[]",
            "null",
            "42",
            "\"text\"",
            "{\"id\":}",
            "{\"id\": 1,}",
            "{'id': 'single'}",
            "{\"id\": \"a\", \"id\": \"b\"}",
            "{} {}",
            "\uFEFF{}",
            "jobs:\n  - id: yaml\n    trigger: '0 3 * * *'",
            "id: x\ntrigger: [",
            "---\n- a\n- b",
            "{\"id\": \"x\", \"trigger\": {}}",
            "{\"id\": \"x\", \"trigger\": [1, 2]}",
            "{\"id\": \"x\", \"trigger\": \"0 3 * * *\", \"command\": \"rm -rf /\"}",
            "{\"id\": \"x\", \"trigger\": \"0 3 * * *\", \"zone\": \"Mars/Olympus\", \"handler\": \"h\"}",
            "{\"id\": \"x\", \"trigger\": {\"at\": \"yesterday\"}, \"handler\": \"h\"}",
            "{\"id\": \"x\", \"trigger\": \"0 3 * * *\", \"unknown\": true}",
            "{\"note\": 5}",
            "{\"note\": \"" + "n".repeat(2000) + "\"}",
            "[".repeat(5000)));
    for (String cron : CRONS) {
      bodies.add("{\"id\": \"fz\", \"trigger\": " + quote(cron) + ", \"handler\": \"noop\"}");
    }
    for (String duration : DURATIONS) {
      bodies.add(
          "{\"id\": \"fz\", \"trigger\": {\"every\": "
              + quote(duration)
              + "}, \"handler\": \"noop\"}");
      bodies.add(
          "{\"id\": \"fz\", \"trigger\": \"0 3 * * *\", \"http\": {\"url\": \"http://127.0.0.1:1/\", \"timeout\": "
              + quote(duration)
              + "}}");
    }
    for (String id : IDS) {
      bodies.add("{\"id\": " + quote(id) + ", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\"}");
    }
    for (int i = 0; i < 40; i++) {
      byte[] noise = new byte[1 + random.nextInt(64)];
      random.nextBytes(noise);
      bodies.add(new String(noise, StandardCharsets.ISO_8859_1));
    }
    return bodies;
  }

  static String quote(String text) {
    return Json.write(text);
  }

  @Test
  void badInputIsAlwaysAClientProblem() {
    Random random = new Random(20261201);
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build())) {
      server.scheduler().register("noop", ctx -> {});
      Http http = new Http(server);
      assertThat(
              http.post(
                      "/api/v1/jobs",
                      "{\"id\": \"real\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\"}")
                  .status())
          .isEqualTo(201);
      List<String> ids = new ArrayList<>(IDS);
      ids.add("real");
      List<String> queries =
          List.of(
              "?limit=-1",
              "?limit=abc",
              "?limit=99999999999",
              "?cursor=%25%25",
              "?cursor=AAAA",
              "?state=nope",
              "?count=0",
              "?count=x",
              "?force=maybe",
              "?limit=1&limit=2",
              "?state=succeeded,nope",
              "?owner=root",
              "?owner=file:");
      List<String> failures = new ArrayList<>();
      int requests = 0;
      for (String body : bodies(random)) {
        String id = URLEncoder.encode(ids.get(random.nextInt(ids.size())), StandardCharsets.UTF_8);
        String query = queries.get(random.nextInt(queries.size()));
        for (String[] call : calls(id, query)) {
          Http.Response response =
              http.send(
                  call[0],
                  call[1],
                  call[0].equals("GET") || call[0].equals("DELETE") ? null : body);
          requests++;
          boolean ok = response.status() >= 400 && response.status() < 500;
          boolean problem =
              String.valueOf(response.header("Content-Type"))
                  .startsWith("application/problem+json");
          if (!(ok && problem) && !acceptedAsValid(call, response)) {
            failures.add(
                call[0]
                    + " "
                    + call[1]
                    + " <- "
                    + abbreviate(body)
                    + ": "
                    + abbreviate(response.toString()));
          }
        }
      }
      assertThat(failures).as("of %d requests", requests).isEmpty();
      assertThat(http.get("/health/live").status()).isEqualTo(200);
      assertThat(http.get("/api/v1/jobs/real").status()).isEqualTo(200);
    }
  }

  /**
   * A request the fuzzing made valid by chance (a GET of the real job, say, or a publish of a
   * well-formed event name with an object or no body) may succeed.
   */
  private static boolean acceptedAsValid(String[] call, Http.Response response) {
    return response.status() < 300
        && (call[1].contains("/real") || call[1].startsWith("/api/v1/events/"));
  }

  private static List<String[]> calls(String id, String query) {
    String jobs = "/api/v1/jobs";
    return List.of(
        new String[] {"GET", jobs + query},
        new String[] {"POST", jobs + query},
        new String[] {"GET", jobs + "/" + id + query},
        new String[] {"PUT", jobs + "/" + id + query},
        new String[] {"POST", jobs + "/" + id + "/pause" + query},
        new String[] {"GET", jobs + "/" + id + "/next" + query},
        new String[] {"GET", jobs + "/" + id + "/runs" + query},
        new String[] {"GET", "/api/v1/runs/" + id},
        new String[] {"POST", "/api/v1/runs/" + id + "/cancel"},
        new String[] {"POST", "/api/v1/events/" + id});
  }

  private static String abbreviate(String text) {
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }
}
