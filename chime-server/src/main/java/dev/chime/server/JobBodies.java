package dev.chime.server;

import dev.chime.Job;
import dev.chime.Trigger;
import dev.chime.server.kinds.JobKinds;
import dev.chime.server.spec.Values;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Job bodies of the API in the job-file form. PROVISIONAL: reads only id, trigger (a cron string,
 * {@code {every: D}}, {@code {at: T}}), zone, handler + params or one of command/http/cleanup, and
 * labels, until {@code JobSpecs} (the job-file reader) is merged; then it delegates to it.
 */
final class JobBodies {
  private static final Set<String> KNOWN =
      Set.of("id", "trigger", "zone", "handler", "params", "command", "http", "cleanup", "labels");

  private JobBodies() {}

  /** The job the JSON body describes, owned by {@code owner}. */
  static Job read(String body, String owner) {
    return read(Json.readObject(body), owner);
  }

  /** The job the fields describe (a parsed body or one entry of a job file). */
  static Job read(Map<String, Object> fields, String owner) {
    fields = new LinkedHashMap<>(fields);
    fields.remove("status");
    fields.remove("owner");
    for (String key : fields.keySet()) {
      if (!KNOWN.contains(key)) {
        throw ApiException.invalid(key, "unknown key '" + key + "'");
      }
    }
    Object id = fields.get("id");
    if (!(id instanceof String text)) {
      throw ApiException.invalid("id", "id is required and must be a string");
    }
    Job.Builder job = Job.builder(text).owner(owner).trigger(trigger(fields));
    kind(job, fields);
    if (fields.get("labels") instanceof List<?> labels) {
      job.labels(labels.stream().map(String::valueOf).toArray(String[]::new));
    }
    Job built = job.build();
    List<String> errors = JobKinds.validate(built.handler(), built.params());
    if (!errors.isEmpty()) {
      String first = errors.get(0);
      String field = built.handler() + "." + first.substring(0, Math.max(0, first.indexOf(':')));
      throw new ApiException(422, field, String.join("; ", errors), errors);
    }
    return built;
  }

  private static Trigger trigger(Map<String, Object> fields) {
    ZoneId zone = fields.get("zone") instanceof String z ? ZoneId.of(z) : ZoneOffset.UTC;
    Object trigger = fields.get("trigger");
    if (trigger instanceof String cron) {
      return Trigger.cron(cron, zone);
    }
    if (trigger instanceof Map<?, ?> map && map.get("every") instanceof String every) {
      return Trigger.every(Values.duration(every));
    }
    if (trigger instanceof Map<?, ?> map && map.get("at") instanceof String at) {
      return Trigger.once(Instant.parse(at));
    }
    throw ApiException.invalid("trigger", "trigger must be a cron string, {every: D} or {at: T}");
  }

  @SuppressWarnings("unchecked")
  private static void kind(Job.Builder job, Map<String, Object> fields) {
    for (String kind : List.of("command", "http", "cleanup")) {
      Object value = fields.get(kind);
      if (value instanceof List<?> argv) {
        job.handler(kind).params(Map.of("argv", argv));
        return;
      }
      if (value instanceof Map<?, ?> params) {
        job.handler(kind).params(normalised((Map<String, Object>) params));
        return;
      }
    }
    if (!(fields.get("handler") instanceof String handler)) {
      throw ApiException.invalid("handler", "one of command, http, cleanup or handler is required");
    }
    job.handler(handler);
    if (fields.get("params") instanceof Map<?, ?> params) {
      job.params((Map<String, ?>) params);
    }
  }

  private static final Set<String> DURATIONS = Set.of("timeout", "older_than");
  private static final Set<String> SIZES = Set.of("max_total", "output_limit");

  /** Kind params with human durations as ISO-8601 and sizes as byte counts, as kinds expect. */
  private static Map<String, Object> normalised(Map<String, Object> params) {
    Map<String, Object> out = new LinkedHashMap<>(params);
    params.forEach(
        (key, value) -> {
          if (value instanceof String text && DURATIONS.contains(key)) {
            out.put(key, Params.parsed(key, text, Values::duration).toString());
          } else if (value instanceof String text && SIZES.contains(key)) {
            out.put(key, Params.parsed(key, text, Values::size));
          }
        });
    return out;
  }

  /** The job in the job-file form, with id and owner. */
  static Map<String, Object> toSpec(Job job) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("id", job.id().value());
    spec.put("owner", job.owner());
    spec.put("trigger", trigger(job.trigger()));
    if (job.trigger() instanceof Trigger.Cron cron) {
      spec.put("zone", cron.zone().getId());
    }
    spec.put("handler", job.handler());
    spec.put("params", job.params());
    spec.put("labels", List.copyOf(job.labels()));
    return spec;
  }

  private static Object trigger(Trigger trigger) {
    return switch (trigger) {
      case Trigger.Cron cron -> cron.expression().text();
      case Trigger.Interval every -> Map.of("every", every.period().toString());
      case Trigger.Once once -> Map.of("at", once.at().toString());
      default -> trigger.toString();
    };
  }
}
