package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.JobId;
import dev.chime.server.kinds.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server started with a plugins directory runs the plugin's job kinds through the REST API. */
class PluginServerTest {
  @TempDir Path temp;

  @Test
  void aPluginHandlerRunsThroughTheApi() throws Exception {
    Path plugins = Files.createDirectories(temp.resolve("plugins"));
    PluginJars.build(temp, plugins, "greeter.jar", "Greeter", "greet");
    try (ChimeServer server = ChimeServer.start(withPlugins(plugins, "data"))) {
      Http http = new Http(server);
      Http.Response created =
          http.post(
              "/api/v1/jobs",
              """
              {"id": "hello", "trigger": "0 3 * * *", "handler": "greet"}""");
      assertThat(created.status()).as(created.toString()).isEqualTo(201);

      Http.Response run = http.post("/api/v1/jobs/hello/run", null);
      assertThat(run.status()).as(run.toString()).isEqualTo(202);
      String runId = run.json().get("id").asText();
      ApiContractTest.await(
          () -> "succeeded".equals(http.get("/api/v1/runs/" + runId).json().get("state").asText()));
      assertThat(http.get("/api/v1/runs/" + runId).body()).contains("greet says hi");

      Http.Response unknown =
          http.post(
              "/api/v1/jobs",
              """
              {"id": "nobody", "trigger": "0 3 * * *", "handler": "wave"}""");
      assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
      assertThat(unknown.body()).contains("wave");
    }
  }

  /**
   * A job can name its plugin's exception type in {@code retry_on}: the API accepts it, and the
   * store reads it back when the job is claimed, so the run is retried.
   */
  @Test
  void aJobRetriesOnItsPluginsExceptionType() throws Exception {
    Path plugins = Files.createDirectories(temp.resolve("flaky-plugins"));
    PluginJars.buildFlaky(temp, plugins);
    try (ChimeServer server = ChimeServer.start(withPlugins(plugins, "flaky-data"))) {
      Http http = new Http(server);
      Http.Response created =
          http.post(
              "/api/v1/jobs",
              """
              {"id": "wobbly", "trigger": "0 3 * * *", "handler": "flaky",
               "retry": {"attempts": 2, "retry_on": ["test.plugin.Hiccup"]}}""");
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      assertThat(http.get("/api/v1/jobs/wobbly").body()).contains("test.plugin.Hiccup");
      // Read on this thread, which the server did not start: the store still knows the type.
      assertThat(server.scheduler().get(JobId.of("wobbly")).orElseThrow().job().retry().retryOn())
          .extracting(Class::getName)
          .containsExactly(PluginJars.HICCUP);

      assertThat(http.post("/api/v1/jobs/wobbly/run", null).status()).isEqualTo(202);
      ApiContractTest.await(
          () ->
              http.get("/api/v1/jobs/wobbly/runs?state=succeeded").json().get("items").size() == 1);
      JsonNode done = http.get("/api/v1/jobs/wobbly/runs?state=succeeded").json().get("items");
      assertThat(done.get(0).get("attempt").asInt()).isEqualTo(2);
      assertThat(http.get("/api/v1/runs/" + done.get(0).get("id").asText()).body())
          .contains("attempt 2 worked");
      JsonNode failed = http.get("/api/v1/jobs/wobbly/runs?state=failed").json().get("items");
      assertThat(failed).hasSize(1);
      assertThat(failed.get(0).get("error").asText()).contains("Hiccup");
    }
    // Without the plugin the type is unknown: the same job is refused, naming it.
    ServerSettings bare =
        ServerSettings.builder().dataDir(temp.resolve("bare-data")).port(0).build();
    try (ChimeServer server = ChimeServer.start(bare)) {
      Http.Response refused =
          new Http(server)
              .post(
                  "/api/v1/jobs",
                  """
                  {"id": "wobbly", "trigger": "0 3 * * *", "handler": "command",
                   "params": {"argv": ["true"]},
                   "retry": {"attempts": 2, "retry_on": ["test.plugin.Hiccup"]}}""");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(refused.body()).contains("test.plugin.Hiccup");
    }
  }

  private ServerSettings withPlugins(Path plugins, String data) {
    return ServerSettings.builder()
        .dataDir(temp.resolve(data))
        .pluginsDir(plugins)
        .port(0)
        .shutdownGrace(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void aBadPluginJarStopsTheStartWithItsName() throws Exception {
    Path plugins = Files.createDirectories(temp.resolve("bad"));
    Path jar = PluginJars.build(temp, plugins, "clash.jar", "Clash", "cleanup");
    ServerSettings settings =
        ServerSettings.builder().dataDir(temp.resolve("data2")).pluginsDir(plugins).port(0).build();

    assertThatThrownBy(() -> ChimeServer.start(settings))
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("cleanup");
  }
}
