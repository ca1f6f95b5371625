package dev.chime.server;

import dev.chime.JobInfo;
import dev.chime.Run;
import dev.chime.server.kinds.JobKinds;
import dev.chime.server.spec.JobSpecs;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What the API answers: jobs and runs as JSON-ready ordered maps. */
final class Views {
  private Views() {}

  /** What a viewer sees in place of a secret value. */
  static final String REDACTED = "<redacted>";

  /** Whether a caller with the role sees secret values (operators and admins do, viewers not). */
  static boolean seesSecrets(Role role) {
    return role != null && role.allows(Role.OPERATOR);
  }

  /**
   * The job in the job-file form, with a read-only {@code status} object. Without {@code secrets}
   * (a viewer), the values that tend to hold credentials are replaced by {@value #REDACTED}, their
   * keys kept: {@code command.env} values, {@code http.headers} values, and the user info and query
   * of {@code http.url} (its fragment is left out).
   */
  static Map<String, Object> job(JobInfo info, boolean secrets) {
    Map<String, Object> view = new LinkedHashMap<>(JobSpecs.toSpec(info.job()));
    if (!secrets) {
      redact(view, JobKinds.COMMAND, "env");
      redact(view, JobKinds.HTTP, "headers");
      if (view.get(JobKinds.HTTP) instanceof Map<?, ?> http
          && http.get("url") instanceof String u) {
        kind(view, JobKinds.HTTP).put("url", redactedUrl(u));
      }
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", lower(info.state()));
    status.put("note", info.note());
    status.put("nextFireAt", text(info.nextFireAt()));
    status.put("runCount", info.runCount());
    status.put("version", info.version());
    view.put("status", status);
    return view;
  }

  /** Replaces the values of the map {@code kind.field}, if the job has one. */
  private static void redact(Map<String, Object> view, String kind, String field) {
    if (view.get(kind) instanceof Map<?, ?> params && params.get(field) instanceof Map<?, ?> map) {
      Map<String, Object> hidden = new LinkedHashMap<>();
      map.keySet().forEach(key -> hidden.put(String.valueOf(key), REDACTED));
      kind(view, kind).put(field, hidden);
    }
  }

  /** The kind's params in the view as a copy the view owns (the job's own map is never changed). */
  private static Map<String, Object> kind(Map<String, Object> view, String kind) {
    Map<String, Object> copy = new LinkedHashMap<>();
    ((Map<?, ?>) view.get(kind)).forEach((k, v) -> copy.put(String.valueOf(k), v));
    view.put(kind, copy);
    return copy;
  }

  /**
   * The URL with its user info and query replaced and its fragment left out (a token can be in any
   * of them): {@code https://<redacted>@host/p?<redacted>}.
   */
  static String redactedUrl(String text) {
    try {
      URI url = new URI(text);
      if (url.getRawUserInfo() == null
          && url.getRawQuery() == null
          && url.getRawFragment() == null) {
        return text;
      }
      return url.getScheme()
          + "://"
          + (url.getRawUserInfo() == null ? "" : REDACTED + "@")
          + url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1)
          + (url.getRawPath() == null ? "" : url.getRawPath())
          + (url.getRawQuery() == null ? "" : "?" + REDACTED);
    } catch (URISyntaxException e) {
      return REDACTED; // a stored URL was checked when the job was made; never show junk in full
    }
  }

  /** The run record, with its log tail, result and progress. */
  static Map<String, Object> run(Run run) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", run.id().toString());
    view.put("jobId", run.jobId().value());
    view.put("scheduledFor", text(run.scheduledFor()));
    view.put("attempt", run.attempt());
    view.put("state", lower(run.state()));
    view.put("reason", run.reason());
    view.put("startedAt", text(run.startedAt()));
    view.put("finishedAt", text(run.finishedAt()));
    view.put("node", run.node());
    view.put("error", run.error());
    view.put("progress", run.progress());
    view.put("progressMessage", run.progressMessage());
    view.put("result", run.result());
    view.put("log", run.log());
    if (run.event() == null) {
      view.put("event", null);
    } else {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("name", run.event().name());
      event.put("payload", run.event().payload());
      view.put("event", event);
    }
    return view;
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
