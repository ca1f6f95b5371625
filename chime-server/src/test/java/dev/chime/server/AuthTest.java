package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Tokens with roles on a real server: 401 without or with a wrong token, 403 without the role. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest {
  @TempDir static Path dir;
  ChimeServer server;
  Http anonymous;

  @BeforeAll
  void start() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        "# role:sha256hex\nadmin:%s\noperator:%s\n\nviewer:%s\n"
            .formatted(
                Tokens.sha256("a-secret"), Tokens.sha256("o-secret"), Tokens.sha256("v-secret")));
    server =
        ChimeServer.start(
            ServerSettings.builder()
                .dataDir(dir.resolve("data"))
                .port(0)
                .tokens(Tokens.read(tokens))
                .build());
    server.scheduler().register("noop", ctx -> {});
    anonymous = new Http(server);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void aMissingOrWrongTokenIs401() {
    Http.Response missing = anonymous.get("/api/v1/jobs");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    assertThat(anonymous.withToken("guess").get("/api/v1/jobs").status()).isEqualTo(401);
  }

  /** HEAD is GET without the body: the same role, the same status and headers. */
  @Test
  void headAsksWhatGetWouldAnswer() {
    Http.Response anonymousHead = anonymous.send("HEAD", "/api/v1/jobs", null);
    assertThat(anonymousHead.status()).isEqualTo(401);
    assertThat(anonymousHead.header("WWW-Authenticate")).startsWith("Bearer");
    Http viewer = anonymous.withToken("v-secret");
    Http.Response head = viewer.send("HEAD", "/api/v1/jobs", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Type"))
        .isEqualTo(viewer.get("/api/v1/jobs").header("Content-Type"));
    assertThat(head.body()).isEmpty();
    assertThat(viewer.send("HEAD", "/api/v1/jobs/no-such-job", null).status()).isEqualTo(404);
    assertThat(viewer.send("HEAD", "/api/v1/jobs?nonsense=1", null).status()).isEqualTo(400);
    assertThat(anonymous.send("HEAD", "/health/ready", null).status()).isEqualTo(200);
    assertThat(anonymous.send("HEAD", "/api/v1/stream", null).status()).isEqualTo(401);
    assertThat(viewer.head("/api/v1/stream", "application/json").status())
        .as("an Accept without text/event-stream")
        .isEqualTo(406);
  }

  /** A method a path does not take is 405 naming the ones it does (404 is for unknown paths). */
  @Test
  void aMethodThePathDoesNotTakeIs405WithAllow() {
    Http admin = anonymous.withToken("a-secret");
    Http.Response wrong = admin.send("DELETE", "/api/v1/jobs", null);
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.header("Allow")).isEqualTo("GET, HEAD, POST");
    assertThat(wrong.header("Content-Type")).startsWith("application/problem+json");
    assertThat(wrong.json().get("detail").asText())
        .isEqualTo("DELETE is not allowed on /api/v1/jobs; it takes GET, HEAD, POST");
    Http.Response patch = anonymous.send("PATCH", "/api/v1/jobs/some-job", null);
    assertThat(patch.status()).isEqualTo(405);
    assertThat(patch.header("Allow")).isEqualTo("DELETE, GET, HEAD, PUT");
    assertThat(admin.get("/api/v1/no-such-path").status()).isEqualTo(404);
  }

  @Test
  void probesAndTheDocumentAreOpen() {
    assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
    assertThat(anonymous.get("/health/ready").status()).isEqualTo(200);
    assertThat(anonymous.get("/api/v1/openapi.json").status()).isEqualTo(200);
  }

  @Test
  void eachRoleDoesWhatItMayAndNoMore() {
    Http admin = anonymous.withToken("a-secret");
    Http operator = anonymous.withToken("o-secret");
    Http viewer = anonymous.withToken("v-secret");
    String job = "{\"id\": \"auth-1\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\"}";

    assertThat(viewer.post("/api/v1/jobs", job).status()).isEqualTo(403);
    assertThat(operator.post("/api/v1/jobs", job).status()).isEqualTo(403);
    assertThat(admin.post("/api/v1/jobs", job).status()).isEqualTo(201);

    assertThat(viewer.get("/api/v1/jobs/auth-1").status()).isEqualTo(200);
    Http.Response denied = viewer.post("/api/v1/jobs/auth-1/pause", null);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().get("detail").asText()).contains("viewer").contains("operator");
    assertThat(operator.post("/api/v1/jobs/auth-1/pause", null).status()).isEqualTo(200);
    assertThat(operator.post("/api/v1/jobs/auth-1/resume", null).status()).isEqualTo(200);
    assertThat(operator.delete("/api/v1/jobs/auth-1").status()).isEqualTo(403);
    assertThat(admin.delete("/api/v1/jobs/auth-1").status()).isEqualTo(204);

    assertThat(viewer.post("/api/v1/events/auth-event", "{}").status()).isEqualTo(403);
    assertThat(anonymous.post("/api/v1/events/auth-event", "{}").status()).isEqualTo(401);
    assertThat(operator.post("/api/v1/events/auth-event", "{}").status()).isEqualTo(202);
    assertThat(admin.post("/api/v1/events/auth-event", null).status()).isEqualTo(202);
  }

  private static final String[] SECRETS = {"hunter2", "s3cr3t", "t0k3n"};

  @Test
  void viewersSeeNoSecretsOperatorsAndAdminsDo() throws Exception {
    Http admin = anonymous.withToken("a-secret");
    Http operator = anonymous.withToken("o-secret");
    Http viewer = anonymous.withToken("v-secret");
    try (Sse viewing = new Sse(server.baseUrl(), "v-secret", null);
        Sse operating = new Sse(server.baseUrl(), "o-secret", null)) {
      String command =
          """
          {"id": "secret-cmd", "trigger": "0 3 * * *",
           "command": {"argv": ["true"], "env": {"DB_PASSWORD": "hunter2", "MODE": "x"}}}""";
      String hook =
          """
          {"id": "secret-http", "trigger": "0 3 * * *",
           "http": {"url": "https://hooks.example.com/in?token=t0k3n",
                    "headers": {"Authorization": "Bearer s3cr3t"}}}""";
      assertThat(admin.post("/api/v1/jobs", command).status()).isEqualTo(201);
      assertThat(admin.post("/api/v1/jobs", hook).status()).isEqualTo(201);

      JsonNode cmd = viewer.get("/api/v1/jobs/secret-cmd").json();
      assertThat(cmd.at("/command/env/DB_PASSWORD").asText()).isEqualTo(Views.REDACTED);
      assertThat(cmd.at("/command/env/MODE").asText()).isEqualTo(Views.REDACTED);
      assertThat(cmd.at("/command/argv/0").asText()).isEqualTo("true");
      JsonNode http = viewer.get("/api/v1/jobs/secret-http").json().get("http");
      assertThat(http.at("/headers/Authorization").asText()).isEqualTo(Views.REDACTED);
      assertThat(http.get("url").asText()).isEqualTo("https://hooks.example.com/in?<redacted>");
      // user info is refused in new jobs; one stored before that is still never shown
      assertThat(Views.redactedUrl("https://bot:pa55@hooks.example.com/in"))
          .isEqualTo("https://<redacted>@hooks.example.com/in");
      assertNoSecret(viewer.get("/api/v1/jobs").body());
      assertNoSecret(viewing.next("job").data() + viewing.next("job").data());

      for (Http seer : List.of(operator, admin)) {
        assertThat(
                seer.get("/api/v1/jobs/secret-cmd").json().at("/command/env/DB_PASSWORD").asText())
            .isEqualTo("hunter2");
        assertThat(seer.get("/api/v1/jobs").body()).contains(SECRETS);
      }
      assertThat(operating.next("job").data() + operating.next("job").data()).contains(SECRETS);
      assertThat(operator.post("/api/v1/jobs/secret-http/pause", null).body()).contains("s3cr3t");
      assertThat(server.scheduler().get(dev.chime.JobId.of("secret-cmd")).orElseThrow().job())
          .as("the view changes no job")
          .satisfies(job -> assertThat(job.params().toString()).contains("hunter2"));
    }
  }

  /**
   * A fragment can hold a token too (OAuth's implicit flow puts one there): viewers never see it.
   */
  @Test
  void viewersSeeNoUrlFragment() throws Exception {
    Http admin = anonymous.withToken("a-secret");
    Http viewer = anonymous.withToken("v-secret");
    String bare = "https://hooks.example.com/in";
    Map<String, String> shown =
        Map.of(
            bare + "#access_token=fr4gment", bare,
            bare + "?token=t0k3n#fr4gment", bare + "?" + Views.REDACTED,
            bare + "#", bare);
    try (Sse viewing = new Sse(server.baseUrl(), "v-secret", null)) {
      int n = 0;
      for (Map.Entry<String, String> url : shown.entrySet()) {
        String id = "fragment-" + n++;
        String hook =
            "{\"id\": \""
                + id
                + "\", \"trigger\": \"0 3 * * *\", \"http\": {\"url\": \""
                + url.getKey()
                + "\"}}";
        Http.Response created = admin.post("/api/v1/jobs", hook);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(viewer.get("/api/v1/jobs/" + id).json().at("/http/url").asText())
            .as(url.getKey())
            .isEqualTo(url.getValue());
        assertThat(admin.get("/api/v1/jobs/" + id).json().at("/http/url").asText())
            .isEqualTo(url.getKey());
        Sse.Event event;
        do {
          event = viewing.next("job");
          assertThat(event.data()).doesNotContain("fr4gment");
        } while (!event.data().contains("\"id\":\"" + id + "\""));
      }
      assertThat(viewer.get("/api/v1/jobs").body()).doesNotContain("fr4gment");
    }
    assertThat(Views.redactedUrl("https://bot:pa55@hooks.example.com/in#fr4gment"))
        .isEqualTo("https://<redacted>@hooks.example.com/in");
  }

  private static void assertNoSecret(String text) {
    for (String secret : SECRETS) {
      assertThat(text).doesNotContain(secret);
    }
    assertThat(text).contains(Views.REDACTED);
  }

  @Test
  void onlyAnAdminSetsTheOwner() {
    Http admin = anonymous.withToken("a-secret");
    String job = "{\"id\": \"owned-1\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\"}";
    Http.Response created = admin.post("/api/v1/jobs?owner=file:/etc/chime.yaml", job);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("owner").asText()).isEqualTo("file:/etc/chime.yaml");
    assertThat(admin.put("/api/v1/jobs/owned-1?owner=root", job).status()).isEqualTo(422);
    for (String path : new String[] {"jobs.yaml", "/etc/../etc/chime.yaml", "/etc//chime.yaml"}) {
      // a file owner is the absolute, normalised path `chime apply` and --config send
      Http.Response relative = admin.put("/api/v1/jobs/owned-1?owner=file:" + path, job);
      assertThat(relative.status()).as(path).isEqualTo(422);
      assertThat(relative.json().get("detail").asText())
          .isEqualTo(
              "owner must be api or file: and an absolute, normalised path, was 'file:"
                  + path
                  + "'");
    }
  }

  @Test
  void refusesToStartOffLoopbackWithoutTokens() {
    assertThatThrownBy(
            () ->
                ChimeServer.start(
                    ServerSettings.builder().dataDir(dir).bind("0.0.0.0").port(0).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without tokens");
  }

  /** A token written where its hash goes (a common slip) is never echoed: the line is named. */
  @Test
  void aBadTokensEntryIsNamedButNeverShown() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("raw-tokens"),
            "# made by hand\nadmin:s3cret-admin-token\ns3cret-swapped:viewer\ns3cret-alone\n");
    assertThatThrownBy(() -> Tokens.read(file))
        .hasMessageContaining(file + ":2: a token hash must be 64 lower-case hex digits")
        .hasMessageContaining(file + ":3: the role must be admin, operator or viewer")
        .hasMessageContaining(file + ":4: expected role:sha256hex")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(
            () -> ServerSettings.builder().tokens(Map.of("s3cret-in-settings", Role.OPERATOR)))
        .hasMessageContaining("the operator token's hash")
        .hasMessageContaining("64 lower-case hex digits")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void tokensFilesAndSettingsAreChecked() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "# nothing\n");
    assertThatThrownBy(() -> Tokens.read(empty)).hasMessageContaining("lists no token");
    assertThatThrownBy(() -> Tokens.read(dir.resolve("missing")))
        .hasMessageContaining("cannot read tokens file");
    assertThatThrownBy(() -> ServerSettings.builder().tokens(Map.of("abc", Role.ADMIN)))
        .hasMessageContaining("64 lower-case hex digits");
    assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("admin, operator or viewer");
    String hash = Tokens.sha256("twice");
    Path twice =
        Files.writeString(dir.resolve("twice"), "admin:" + hash + "\nviewer:" + hash + "\n");
    assertThatThrownBy(() -> Tokens.read(twice))
        .hasMessageContaining(twice + ":2: ")
        .hasMessageContaining("listed again (as admin before, now as viewer)");
  }
}
