package dev.chime.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.chime.SchedulerException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper: every refusal becomes an RFC 9457 {@code application/problem+json} body
 * with {@code type}, {@code title}, {@code status}, {@code detail} and {@code instance}, plus
 * {@code field} (the body field or parameter at fault), {@code errors} (every error, for a job
 * file) and {@code line} (the body's line of the first error of a job body) when there are any.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  /** Registers the mappers. */
  static void install(RoutesConfig routes) {
    routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e));
    routes.exception(SchedulerException.class, (e, ctx) -> scheduler(ctx, e));
    routes.exception(IllegalArgumentException.class, (e, ctx) -> write(ctx, 422, null, e));
    routes.exception(DateTimeException.class, (e, ctx) -> write(ctx, 422, null, e));
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          if (e.getStatus() == 405) {
            methodNotAllowed(ctx, e);
          } else if (e.getStatus() == 413) {
            write(ctx, 413, "body", e.getMessage(), List.of());
          } else {
            write(ctx, e.getStatus(), null, e.getMessage(), List.of());
          }
        });
    routes.exception(Exception.class, Problems::unexpected);
  }

  private static void scheduler(Context ctx, SchedulerException e) {
    int status =
        switch (e.kind()) {
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case INVALID -> 422;
          case CLOSED, UNAVAILABLE -> 503;
        };
    write(ctx, status, e.field(), e);
  }

  /** 405 with the {@code Allow} header (RFC 9110) and a detail that names the path's methods. */
  private static void methodNotAllowed(Context ctx, HttpResponseException e) {
    java.util.TreeSet<String> allowed = new java.util.TreeSet<>();
    for (String methods : e.getDetails().values()) {
      for (String method : methods.split(",")) {
        if (!method.isBlank()) {
          allowed.add(method.strip().toUpperCase(java.util.Locale.ROOT));
        }
      }
    }
    String allow = String.join(", ", allowed);
    ctx.header("Allow", allow);
    write(
        ctx,
        405,
        null,
        ctx.method() + " is not allowed on " + ctx.path() + "; it takes " + allow,
        List.of());
  }

  private static void unexpected(Exception e, Context ctx) {
    if (e instanceof JsonProcessingException json) {
      write(ctx, 400, null, "the body is not valid JSON: " + json.getOriginalMessage(), List.of());
      return;
    }
    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    write(ctx, 500, null, "the server failed; its log has the details", List.of());
  }

  private static void write(Context ctx, int status, ApiException e) {
    Map<String, Object> problem = problem(ctx, status, e.field(), e.getMessage(), e.errors());
    if (e.line() > 0) {
      problem.put("line", e.line());
    }
    send(ctx, status, problem);
  }

  private static void write(Context ctx, int status, String field, RuntimeException e) {
    write(ctx, status, field, e.getMessage(), List.of());
  }

  static void write(Context ctx, int status, String field, String detail, List<String> errors) {
    Map<String, Object> problem = problem(ctx, status, field, detail, errors);
    send(ctx, status, problem);
  }

  /**
   * As UTF-8 bytes: a String result is encoded by the content type's charset, and {@code
   * application/problem+json} has none, so Jetty fell back to ISO-8859-1 (JSON is UTF-8).
   */
  private static void send(Context ctx, int status, Map<String, Object> problem) {
    ctx.status(status).contentType(CONTENT_TYPE).result(utf8(problem));
  }

  /** The problem's JSON as UTF-8 bytes. */
  static byte[] utf8(Map<String, Object> problem) {
    return Json.write(problem).getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> problem(
      Context ctx, int status, String field, String detail, List<String> errors) {
    return problem(status, field, detail, errors, ctx.path());
  }

  /** The problem, its {@code instance} the path (left out when null: the path was unreadable). */
  static Map<String, Object> problem(
      int status, String field, String detail, List<String> errors, String instance) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title(status));
    problem.put("status", status);
    problem.put("detail", detail == null ? title(status) : detail);
    if (instance != null) {
      problem.put("instance", instance);
    }
    if (field != null) {
      problem.put("field", field);
    }
    if (!errors.isEmpty()) {
      problem.put("errors", errors);
    }
    return problem;
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Malformed request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 406 -> "Not acceptable";
      case 409 -> "Conflict";
      case 413 -> "Content too large";
      case 414 -> "URI too long";
      case 415 -> "Unsupported media type";
      case 422 -> "Invalid request";
      case 431 -> "Request headers too large";
      case 501 -> "Not implemented";
      case 503 -> "Unavailable";
      default -> status >= 500 ? "Server error" : "Request refused";
    };
  }
}
