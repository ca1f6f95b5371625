package dev.chime.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.Scheduler;
import dev.chime.SchedulerException;
import dev.chime.spi.RunPage;
import dev.chime.spi.RunQuery;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The handlers of {@code /api/v1/jobs...}. */
final class JobsApi {
  /** The owner of jobs made through the API. */
  static final String OWNER_API = "api";

  /** Tries of a PUT that keeps racing other writers of the id. */
  static final int PUT_ATTEMPTS = 5;

  private final Scheduler scheduler;
  private final Clock clock;

  JobsApi(Scheduler scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  void list(Context ctx, Role role) {
    JobQuery query =
        new JobQuery(
            Params.parsed(ctx, "state", JobsApi::jobState),
            Params.query(ctx, "label"),
            Params.query(ctx, "q"));
    int limit = Params.limit(ctx);
    String after = Params.cursorKey(ctx, "job");
    JobId from;
    try {
      from = after == null ? null : JobId.of(after);
    } catch (IllegalArgumentException e) {
      throw ApiException.malformed("cursor", NOT_A_CURSOR);
    }
    List<JobInfo> matching = scheduler.list(query, from, limit + 1);
    List<JobInfo> page = matching.subList(0, Math.min(limit, matching.size()));
    String next =
        matching.size() > limit
            ? Params.cursor("job", page.get(page.size() - 1).id().value())
            : null;
    boolean secrets = Views.seesSecrets(role);
    ctx.json(page(page.stream().map(job -> Views.job(job, secrets)).toList(), next));
  }

  void create(Context ctx, Role role) {
    Job job = JobBodies.read(ctx.body(), owner(ctx, role));
    JobInfo created = scheduler.scheduleAndGet(job);
    ctx.status(201).header("Location", location(job.id()));
    ctx.json(Views.job(created, Views.seesSecrets(role)));
  }

  void get(Context ctx, Role role) {
    ctx.json(Views.job(found(id(ctx)), Views.seesSecrets(role)));
  }

  /**
   * Creates or replaces the job, atomically as far as the caller can tell: a create that loses a
   * race to another create becomes a replace, a replace of a job deleted meanwhile a create (up to
   * {@value #PUT_ATTEMPTS} tries), so concurrent PUTs of one id all succeed and the last one wins.
   * A job owned by another owner (a job file, say) is not changed: 409 naming the owner. The job as
   * it is changes nothing (the scheduler's update checks it as any update, then leaves it): 200,
   * the same version, no event.
   */
  void replace(Context ctx, Role role) {
    JobId id = id(ctx);
    Job job = JobBodies.read(withId(ctx.body(), id), owner(ctx, role));
    if (put(job)) {
      ctx.status(201).header("Location", location(id));
    } else {
      ctx.status(200);
    }
    ctx.json(Views.job(found(id), Views.seesSecrets(role)));
  }

  /** Schedules or updates the job; true when it was created. */
  private boolean put(Job job) {
    for (int attempt = 1; ; attempt++) {
      Optional<JobInfo> existing = scheduler.get(job.id());
      try {
        if (existing.isEmpty()) {
          scheduler.schedule(job);
          return true;
        }
        sameOwner(existing.get(), job.owner());
        scheduler.update(job); // the job as it is is not written again: no new version, no event
        return false;
      } catch (SchedulerException e) {
        boolean raced =
            e.kind() == SchedulerException.Kind.CONFLICT
                || e.kind() == SchedulerException.Kind.NOT_FOUND;
        if (!raced || attempt == PUT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** 409 unless the job is the owner's: the API does not take a job file's job over. */
  private static void sameOwner(JobInfo existing, String owner) {
    String holder = existing.job().owner();
    if (holder.equals(owner)) {
      return;
    }
    String how =
        holder.startsWith("file:")
            ? "change it in the job file "
                + holder.substring(5)
                + " (chime apply), or PUT with"
                + " ?owner="
                + holder
            : "delete it first, or PUT with ?owner=" + holder;
    throw new ApiException(
        409,
        "owner",
        "job " + existing.id() + " is owned by " + holder + ", not " + owner + ": " + how);
  }

  /**
   * The body with the path's id: as sent when it names the same id (so errors point at the lines
   * sent), with {@code "id"} put first on the line of the opening brace when it names none.
   */
  private static String withId(String body, JobId id) {
    JsonNode tree = Json.read(body);
    if (!tree.isObject()) {
      throw ApiException.invalid(
          "body", "the body must be a JSON object, was " + tree.getNodeType());
    }
    JsonNode given = tree.get("id");
    if (given == null) {
      int brace = body.indexOf('{') + 1;
      String field = "\"id\":" + Json.write(id.value()) + (tree.isEmpty() ? "" : ",");
      return body.substring(0, brace) + field + body.substring(brace);
    }
    if (!given.isTextual() || !given.asText().equals(id.value())) {
      throw ApiException.invalid(
          "id", "the body's id " + given + " differs from the path's '" + id + "'");
    }
    return body;
  }

  void delete(Context ctx) {
    JobId id = id(ctx);
    if (!scheduler.delete(id)) {
      throw notFound(id);
    }
    ctx.status(204);
  }

  void run(Context ctx) {
    JobId id = id(ctx);
    found(id);
    Params.noBody(ctx, "a run now");
    RunId run = scheduler.runNow(id, Params.flag(ctx, "force"));
    ctx.status(202).header("Location", "/api/v1/runs/" + run);
    ctx.json(scheduler.run(run).map(Views::run).orElseGet(() -> Map.of("id", run.toString())));
  }

  void pause(Context ctx, Role role) {
    JobId id = id(ctx);
    found(id);
    String note = null;
    if (!ctx.body().isBlank()) {
      Map<String, Object> body = Json.readObject(ctx.body());
      for (String key : body.keySet()) {
        if (!key.equals("note")) {
          throw ApiException.invalid(key, "unknown key '" + key + "'; a pause takes only note");
        }
      }
      Object value = body.get("note");
      if (value != null && !(value instanceof String)) {
        throw ApiException.invalid("note", "note must be a string");
      }
      note = (String) value;
      if (note != null && note.length() > 1000) {
        throw ApiException.invalid("note", "note must be at most 1000 characters");
      }
    }
    ctx.json(
        Views.job(unlessFinished(scheduler.pause(id, note), "pause"), Views.seesSecrets(role)));
  }

  void resume(Context ctx, Role role) {
    JobId id = id(ctx);
    found(id);
    Params.noBody(ctx, "a resume");
    ctx.json(Views.job(unlessFinished(scheduler.resume(id), "resume"), Views.seesSecrets(role)));
  }

  /** A pause or resume leaves a finished job as it is: 409 says so rather than 200. */
  private static JobInfo unlessFinished(JobInfo job, String action) {
    if (job.state() == dev.chime.JobState.FINISHED) {
      throw new ApiException(
          409, null, "job " + job.id() + " is finished: there is nothing to " + action, List.of());
    }
    return job;
  }

  void next(Context ctx) {
    JobInfo job = found(id(ctx));
    int count = Params.integer(ctx, "count", 5, 1, 1000);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jobId", job.id().value());
    body.put("items", NextFireTimes.of(job, clock.instant(), count));
    ctx.json(body);
  }

  void runs(Context ctx) {
    JobId id = id(ctx);
    Set<RunState> states = Params.parsed(ctx, "state", JobsApi::runStates);
    int limit = Params.limit(ctx);
    String cursor = Params.cursorKey(ctx, "run");
    Long before = cursor == null ? null : runCursor(cursor);
    RunPage page =
        scheduler.runs(new RunQuery(id, states == null ? Set.of() : states, limit, before));
    if (page.items().isEmpty() && scheduler.get(id).isEmpty()) {
      throw notFound(id);
    }
    List<Map<String, Object>> items = page.items().stream().map(JobsApi::summary).toList();
    ctx.json(
        page(
            items,
            page.nextCursor() == null ? null : Params.cursor("run", page.nextCursor().toString())));
  }

  private static Map<String, Object> summary(Run run) {
    Map<String, Object> view = Views.run(run);
    view.remove("log");
    return view;
  }

  /**
   * The run id a run cursor holds; 400 naming {@code cursor} (as for the job list) for a key that
   * is no run id: one that is not a positive number reached the store's query, whose refusal was a
   * 422 naming nothing.
   */
  private static Long runCursor(String key) {
    try {
      long before = Long.parseLong(key);
      if (before > 0) {
        return before;
      }
    } catch (NumberFormatException e) {
      // not a number: refused below
    }
    throw ApiException.malformed("cursor", NOT_A_CURSOR);
  }

  private static final String NOT_A_CURSOR = "cursor is not a cursor this server handed out";

  static Map<String, Object> page(List<?> items, String nextCursor) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", items);
    page.put("nextCursor", nextCursor);
    return page;
  }

  private String owner(Context ctx, Role role) {
    String owner = Params.query(ctx, "owner");
    if (owner == null || owner.equals(OWNER_API)) {
      return OWNER_API;
    }
    if (role != Role.ADMIN) {
      throw new ApiException(403, "owner", "only an admin may set the owner", List.of());
    }
    if (!owner.startsWith("file:") || !absoluteAndNormal(owner.substring("file:".length()))) {
      throw ApiException.invalid(
          "owner",
          "owner must be api or file: and an absolute, normalised path, was '" + owner + "'");
    }
    return owner;
  }

  /** As `chime apply` and --config name a file: absolute and normalised (one path, one owner). */
  private static boolean absoluteAndNormal(String path) {
    try {
      java.nio.file.Path parsed = java.nio.file.Path.of(path);
      return parsed.isAbsolute() && parsed.normalize().toString().equals(path);
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  private JobInfo found(JobId id) {
    return scheduler.get(id).orElseThrow(() -> notFound(id));
  }

  static ApiException notFound(JobId id) {
    return ApiException.notFound("no job with id '" + id + "'");
  }

  /** The job id in the path; an id that cannot exist is simply not found. */
  static JobId id(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return JobId.of(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no job with id '" + text + "' (" + e.getMessage() + ")");
    }
  }

  static String location(JobId id) {
    return "/api/v1/jobs/" + URLEncoder.encode(id.value(), StandardCharsets.UTF_8);
  }

  private static JobState jobState(String text) {
    try {
      return JobState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "must be active, paused or finished, was '" + text + "'", e);
    }
  }

  private static Set<RunState> runStates(String text) {
    return Arrays.stream(text.split(","))
        .map(
            name -> {
              try {
                return RunState.valueOf(name.trim().toUpperCase(Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "'"
                        + name
                        + "' is not a run state; use "
                        + Arrays.stream(RunState.values())
                            .map(Views::lower)
                            .collect(Collectors.joining(", ")),
                    e);
              }
            })
        .collect(Collectors.toSet());
  }
}
