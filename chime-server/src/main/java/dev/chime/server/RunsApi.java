package dev.chime.server;

import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.Scheduler;
import io.javalin.http.Context;
import java.util.List;

/** The handlers of {@code /api/v1/runs/{runId}...}. */
final class RunsApi {
  private final Scheduler scheduler;

  RunsApi(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void get(Context ctx) {
    ctx.json(Views.run(found(id(ctx))));
  }

  void cancel(Context ctx) {
    RunId id = id(ctx);
    Run before = found(id);
    Params.noBody(ctx, "a cancel");
    if (before.state().isFinal() || !scheduler.cancel(id)) {
      Run now = found(id);
      throw new ApiException(
          409,
          null,
          "run " + id + " has already ended (" + Views.lower(now.state()) + ")",
          List.of());
    }
    ctx.status(202).json(Views.run(found(id)));
  }

  private Run found(RunId id) {
    return scheduler
        .run(id)
        .orElseThrow(() -> ApiException.notFound("no run with id '" + id + "'"));
  }

  private static RunId id(Context ctx) {
    String text = ctx.pathParam("runId");
    try {
      return RunId.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no run with id '" + text + "' (" + e.getMessage() + ")");
    }
  }
}
