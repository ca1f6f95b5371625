package dev.chime.server;

import dev.chime.server.metrics.ServerMetrics;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one route table: every path, its method, the role it needs (null: open to anyone, for probes
 * and the API document) and its handler. {@code openapi.json} documents exactly these (checked by a
 * test both ways).
 */
final class Routes {
  /** One route. */
  record Route(HandlerType method, String path, Role role, Set<String> query, Action action) {
    /**
     * Refuses a query that is not percent-encoded correctly (the server would drop it silently) and
     * query parameters the route does not take (400, naming the first).
     */
    void checkQuery(Context ctx) {
      String raw = ctx.queryString();
      for (String part : raw == null ? new String[0] : raw.split("&")) {
        try {
          URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
          throw ApiException.malformed(
              name, "query parameter '" + part + "' is not correctly percent-encoded");
        }
      }
      for (String name : ctx.queryParamMap().keySet()) {
        if (!query.contains(name)) {
          throw ApiException.malformed(
              name,
              "unknown query parameter '"
                  + name
                  + "'"
                  + (query.isEmpty()
                      ? "; this path takes none"
                      : "; this path takes " + new TreeSet<>(query)));
        }
      }
    }
  }

  /** A handler told the caller's role. */
  @FunctionalInterface
  interface Action {
    void handle(Context ctx, Role caller) throws Exception;
  }

  private Routes() {}

  static List<Route> table(
      JobsApi jobs, RunsApi runs, SystemApi system, EventStream stream, ServerMetrics metrics) {
    String api = "/api/v1";
    return List.of(
        new Route(
            HandlerType.GET,
            api + "/jobs",
            Role.VIEWER,
            Set.of("state", "label", "q", "limit", "cursor"),
            jobs::list),
        new Route(HandlerType.POST, api + "/jobs", Role.ADMIN, Set.of("owner"), jobs::create),
        new Route(HandlerType.GET, api + "/jobs/{id}", Role.VIEWER, Set.of(), jobs::get),
        new Route(HandlerType.PUT, api + "/jobs/{id}", Role.ADMIN, Set.of("owner"), jobs::replace),
        route(HandlerType.DELETE, api + "/jobs/{id}", Role.ADMIN, Set.of(), jobs::delete),
        route(HandlerType.POST, api + "/jobs/{id}/run", Role.OPERATOR, Set.of("force"), jobs::run),
        new Route(HandlerType.POST, api + "/jobs/{id}/pause", Role.OPERATOR, Set.of(), jobs::pause),
        new Route(
            HandlerType.POST, api + "/jobs/{id}/resume", Role.OPERATOR, Set.of(), jobs::resume),
        route(HandlerType.GET, api + "/jobs/{id}/next", Role.VIEWER, Set.of("count"), jobs::next),
        route(
            HandlerType.GET,
            api + "/jobs/{id}/runs",
            Role.VIEWER,
            Set.of("state", "limit", "cursor"),
            jobs::runs),
        route(HandlerType.GET, api + "/runs/{runId}", Role.VIEWER, Set.of(), runs::get),
        route(
            HandlerType.POST, api + "/runs/{runId}/cancel", Role.OPERATOR, Set.of(), runs::cancel),
        route(HandlerType.POST, api + "/events/{name}", Role.OPERATOR, Set.of(), system::publish),
        route(HandlerType.GET, api + "/nodes", Role.VIEWER, Set.of(), system::nodes),
        new Route(
            HandlerType.GET,
            api + "/stream",
            Role.VIEWER,
            Set.of(),
            (ctx, caller) -> stream(ctx, caller, stream)),
        route(HandlerType.GET, api + "/openapi.json", null, Set.of(), system::openApi),
        route(HandlerType.GET, "/health/live", null, Set.of(), system::live),
        route(HandlerType.GET, "/health/ready", null, Set.of(), system::ready),
        route(
            HandlerType.GET,
            "/metrics",
            Role.VIEWER,
            Set.of(),
            ctx ->
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape())));
  }

  /** What HEAD does on a GET route: the same, except that the stream only says it would stream. */
  static Action head(Route get) {
    if (!get.path().endsWith("/stream")) {
      return get.action();
    }
    return (ctx, caller) -> {
      acceptsEvents(ctx);
      ctx.contentType(EVENT_STREAM);
    };
  }

  private static final String EVENT_STREAM = "text/event-stream";

  /**
   * Refuses a client whose Accept leaves server-sent events out (406); one that sends none, or
   * accepts {@code text/*} or anything ({@code *}{@code /*}, curl's default), gets the stream. The
   * most specific range that covers {@code text/event-stream} decides, and a {@code q=0} one
   * refuses it (RFC 9110, 12.5.1).
   */
  private static void acceptsEvents(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || accept.isBlank() || eventsQuality(accept) > 0) {
      return;
    }
    throw new ApiException(
        406,
        "Accept",
        "the stream is server-sent events: send Accept: text/event-stream (or none)",
        List.of());
  }

  /** The quality the Accept header gives {@code text/event-stream} (0: not acceptable). */
  static double eventsQuality(String accept) {
    int best = -1; // how specific the best range so far: */* 0, text/* 1, text/event-stream 2
    double quality = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      int specific =
          switch (type) {
            case EVENT_STREAM -> 2;
            case "text/*" -> 1;
            case "*/*" -> 0;
            default -> -1;
          };
      if (specific > best) {
        best = specific;
        quality = quality(parts);
      }
    }
    return quality;
  }

  /** The {@code q} parameter of a media range, 1 when it has none (or one that is no number). */
  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].split("=", 2);
      if (param.length == 2 && param[0].strip().equalsIgnoreCase("q")) {
        try {
          return Double.parseDouble(param[1].strip());
        } catch (NumberFormatException e) {
          return 1;
        }
      }
    }
    return 1;
  }

  /**
   * Streams to the client. Not through Javalin's {@code SseHandler}: it starts a stream only for an
   * Accept that names {@code text/event-stream} and answers any other (none, {@code *}{@code /*},
   * {@code text/*}) with an empty 200. These are its steps, for every Accept that takes events.
   */
  private static void stream(Context ctx, Role caller, EventStream stream) throws Exception {
    acceptsEvents(ctx);
    boolean secrets = Views.seesSecrets(caller);
    HttpServletResponse response = ctx.res();
    response.setStatus(200);
    response.setCharacterEncoding("UTF-8");
    response.setContentType(EVENT_STREAM);
    response.addHeader("Connection", "close");
    response.addHeader("Cache-Control", "no-cache");
    response.addHeader("X-Accel-Buffering", "no"); // a proxy (nginx) must not buffer the events
    response.flushBuffer();
    ctx.async(config -> config.timeout = 0, () -> stream.subscribe(new SseClient(ctx), secrets));
  }

  private static Route route(
      HandlerType method, String path, Role role, Set<String> query, io.javalin.http.Handler h) {
    return new Route(method, path, role, query, (ctx, caller) -> h.handle(ctx));
  }
}
