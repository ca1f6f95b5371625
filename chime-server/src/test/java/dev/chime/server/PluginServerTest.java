package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    ServerSettings settings =
        ServerSettings.builder()
            .dataDir(temp.resolve("data"))
            .pluginsDir(plugins)
            .port(0)
            .shutdownGrace(Duration.ofSeconds(5))
            .build();
    try (ChimeServer server = ChimeServer.start(settings)) {
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
