package dev.chime.server;

import dev.chime.NodeInfo;
import dev.chime.Run;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Health, nodes, events and the OpenAPI document. */
final class SystemApi {
  // Health bodies are constants: probes must not need (or load) the JSON mapper.
  private static final String UP = "{\"status\":\"up\"}";
  private static final String READY = "{\"status\":\"ready\"}";

  private final Supplier<List<NodeInfo>> nodes;
  private final BooleanSupplier ready;
  private final BiFunction<String, Map<String, Object>, List<Run>> publisher;
  private final String openApi;

  SystemApi(
      Supplier<List<NodeInfo>> nodes,
      BooleanSupplier ready,
      BiFunction<String, Map<String, Object>, List<Run>> publisher) {
    this.nodes = nodes;
    this.ready = ready;
    this.publisher = publisher;
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

  /**
   * Publishes the event (the body, a JSON object, is its payload; no body, none): 202 with the runs
   * it started, one per listening job (none is still 202), or 422 naming the bad name or body.
   */
  void publish(Context ctx) {
    String name = ctx.pathParam("name");
    Map<String, Object> payload = ctx.body().isBlank() ? null : Json.readObject(ctx.body());
    List<Run> runs;
    try {
      runs = publisher.apply(name, payload);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("name", e.getMessage());
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("event", name);
    answer.put("runs", runs.stream().map(Views::run).toList());
    ctx.status(202).json(answer);
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
