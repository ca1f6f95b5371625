package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document and the route table describe the same API, both ways. */
class OpenApiTest {
  @TempDir Path dir;

  /** The role and the query parameters an operation documents. */
  private static String described(JsonNode op) {
    java.util.Set<String> query = new java.util.TreeSet<>();
    op.get("parameters")
        .forEach(
            p -> {
              if (p.get("in").asText().equals("query")) {
                query.add(p.get("name").asText());
              }
            });
    String role = op.get("x-chime-role").isNull() ? "public" : op.get("x-chime-role").asText();
    return role + " " + query;
  }

  @Test
  void documentsExactlyTheRoutes() {
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build())) {
      Http.Response response = new Http(server).get("/api/v1/openapi.json");
      assertThat(response.status()).isEqualTo(200);
      JsonNode doc = response.json();
      assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

      Map<String, String> documented = new TreeMap<>();
      doc.get("paths")
          .properties()
          .forEach(
              path ->
                  path.getValue()
                      .properties()
                      .forEach(
                          op ->
                              documented.put(
                                  op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                                  described(op.getValue()))));
      Map<String, String> routed = new TreeMap<>();
      for (Routes.Route route : server.routes()) {
        routed.put(
            route.method().name() + " " + route.path(),
            (route.role() == null ? "public" : route.role().toString())
                + " "
                + new java.util.TreeSet<>(route.query()));
      }
      assertThat(documented).isEqualTo(routed);
    }
  }
}
