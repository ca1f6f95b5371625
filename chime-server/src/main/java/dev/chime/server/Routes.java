package dev.chime.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * The one route table: every path, its method, the role it needs (null: open to anyone, for probes
 * and the API document) and its handler. {@code openapi.json} documents exactly these (checked by a
 * test both ways).
 */
final class Routes {
  /** One route. */
  record Route(HandlerType method, String path, Role role, Action action) {}

  /** A handler told the caller's role. */
  @FunctionalInterface
  interface Action {
    void handle(Context ctx, Role caller) throws Exception;
  }

  private Routes() {}

  static List<Route> table(JobsApi jobs, RunsApi runs, SystemApi system, EventStream stream) {
    String api = "/api/v1";
    return List.of(
        route(HandlerType.GET, api + "/jobs", Role.VIEWER, jobs::list),
        new Route(HandlerType.POST, api + "/jobs", Role.ADMIN, jobs::create),
        route(HandlerType.GET, api + "/jobs/{id}", Role.VIEWER, jobs::get),
        new Route(HandlerType.PUT, api + "/jobs/{id}", Role.ADMIN, jobs::replace),
        route(HandlerType.DELETE, api + "/jobs/{id}", Role.ADMIN, jobs::delete),
        route(HandlerType.POST, api + "/jobs/{id}/run", Role.OPERATOR, jobs::run),
        route(HandlerType.POST, api + "/jobs/{id}/pause", Role.OPERATOR, jobs::pause),
        route(HandlerType.POST, api + "/jobs/{id}/resume", Role.OPERATOR, jobs::resume),
        route(HandlerType.GET, api + "/jobs/{id}/next", Role.VIEWER, jobs::next),
        route(HandlerType.GET, api + "/jobs/{id}/runs", Role.VIEWER, jobs::runs),
        route(HandlerType.GET, api + "/runs/{runId}", Role.VIEWER, runs::get),
        route(HandlerType.POST, api + "/runs/{runId}/cancel", Role.OPERATOR, runs::cancel),
        route(HandlerType.POST, api + "/events/{name}", Role.OPERATOR, system::publish),
        route(HandlerType.GET, api + "/nodes", Role.VIEWER, system::nodes),
        route(HandlerType.GET, api + "/stream", Role.VIEWER, ctx -> stream(ctx, stream)),
        route(HandlerType.GET, api + "/openapi.json", null, system::openApi),
        route(HandlerType.GET, "/health/live", null, system::live),
        route(HandlerType.GET, "/health/ready", null, system::ready));
  }

  private static void stream(Context ctx, EventStream stream) throws Exception {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new ApiException(
          406,
          "Accept",
          "the stream is server-sent events: send Accept: text/event-stream",
          List.of());
    }
    new io.javalin.http.sse.SseHandler(stream::subscribe).handle(ctx);
  }

  private static Route route(
      HandlerType method, String path, Role role, io.javalin.http.Handler h) {
    return new Route(method, path, role, (ctx, caller) -> h.handle(ctx));
  }
}
