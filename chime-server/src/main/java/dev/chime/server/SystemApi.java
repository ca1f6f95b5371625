package dev.chime.server;

import dev.chime.NodeInfo;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Health, nodes, events and the OpenAPI document. */
final class SystemApi {
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
  // Health bodies are constants: probes must not need (or load) the JSON mapper.
  private static final String UP = "{\"status\":\"up\"}";
  private static final String READY = "{\"status\":\"ready\"}";

  private final Supplier<List<NodeInfo>> nodes;
  private final BooleanSupplier ready;
  private final String openApi;

  SystemApi(Supplier<List<NodeInfo>> nodes, BooleanSupplier ready) {
    this.nodes = nodes;
    this.ready = ready;
    this.openApi = resource("openapi.json");
  }

  void live(Context ctx) {
    ctx.contentType(ContentType.APPLICATION_JSON).result(UP);
  }

  void ready(Context ctx) {
    if (!ready.getAsBoolean()) {
      Problems.write(ctx, 503, null, "the store or the scheduler is not running", List.of());
      return;
    }
    ctx.contentType(ContentType.APPLICATION_JSON).result(READY);
  }

  /** Every node sharing the store, with its heartbeat. */
  void nodes(Context ctx) {
    List<Map<String, Object>> items =
        nodes.get().stream()
            .map(
                node -> {
                  Map<String, Object> view = new LinkedHashMap<>();
                  view.put("id", node.id());
                  view.put("startedAt", node.startedAt().toString());
                  view.put("lastHeartbeat", node.lastHeartbeat().toString());
                  view.put("leader", node.leader());
                  return view;
                })
            .toList();
    ctx.json(JobsApi.page(items, null));
  }

  /** Checks the event and its payload, then says plainly that nothing can receive it yet. */
  void publish(Context ctx) {
    String name = ctx.pathParam("name");
    if (!EVENT_NAME.matcher(name).matches()) {
      throw ApiException.invalid(
          "name", "event name must be 1-200 letters, digits or . _ : - , was '" + name + "'");
    }
    if (!ctx.body().isBlank()) {
      Json.read(ctx.body());
    }
    Problems.write(
        ctx,
        501,
        null,
        "event triggers are not supported yet: no job can listen to event '"
            + name
            + "', so it was not published",
        List.of());
  }

  void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }

  static String resource(String name) {
    try (InputStream in = SystemApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
