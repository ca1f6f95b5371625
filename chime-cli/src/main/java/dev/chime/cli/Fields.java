package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the client shows the server's JSON values to people. */
final class Fields {
  /** The handler fields of the job-file form, in the order a job shows its kind. */
  static final List<String> KINDS = List.of("command", "http", "cleanup");

  private Fields() {}

  /** A text field, or null when it is missing or null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  /** An instant field as an ISO-8601 offset date-time with seconds in the zone, or null. */
  static String time(JsonNode node, String field, ZoneId zone) {
    String text = text(node, field);
    return text == null ? null : time(text, zone);
  }

  /**
   * An instant ({@code ...Z}) as an ISO-8601 offset date-time with seconds in the zone; a time with
   * its own offset (the trigger's zone, as the server shows fire times) and other text as is.
   */
  static String time(String text, ZoneId zone) {
    return time(text, zone, CronNextCommand.ISO);
  }

  /** A fire time as {@link #time} shows an instant, but with its fraction of a second if any. */
  static String fireTime(String text, ZoneId zone) {
    return time(text, zone, CronNextCommand.FIRE);
  }

  private static String time(String text, ZoneId zone, java.time.format.DateTimeFormatter format) {
    if (text == null || !text.endsWith("Z")) {
      return text;
    }
    try {
      return format.format(Instant.parse(text).atZone(zone));
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  /**
   * How long a run took (or has taken so far, to {@code now}), like {@code 1.25s} or {@code 3m4s}.
   */
  static String duration(JsonNode run, Instant now) {
    Instant started = instant(run, "startedAt");
    if (started == null) {
      return null;
    }
    Instant finished = instant(run, "finishedAt");
    return duration(Duration.between(started, finished == null ? now : finished));
  }

  static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    return seconds < 3600
        ? seconds / 60 + "m" + seconds % 60 + "s"
        : seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
  }

  private static Instant instant(JsonNode node, String field) {
    String text = text(node, field);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The trigger as written in a job file: a cron string as is, a map as "key value ...". */
  static String trigger(JsonNode job) {
    JsonNode trigger = job.path("trigger");
    String text = trigger.isObject() ? compact(trigger) : trigger.asText("");
    String zone = text(job, "zone");
    return zone == null ? text : text + " (" + zoneName(zone) + ")";
  }

  /**
   * A zone's id for people: UTC for {@code Z}, the id {@code ZoneOffset.UTC} has, which a job
   * without a zone gets (and the API writes as it is).
   */
  static String zoneName(String id) {
    return id.equals("Z") ? "UTC" : id;
  }

  /**
   * The zone a job's fire times are shown in: its trigger's ({@code zone}, for cron and calendar
   * triggers), else {@code fallback} (the system zone).
   */
  static ZoneId zone(JsonNode job, ZoneId fallback) {
    String zone = text(job, "zone");
    if (zone == null) {
      return fallback;
    }
    try {
      return ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      return fallback; // a zone this JDK does not know: the instant, in the system zone
    }
  }

  /** The job's kind: command, http or cleanup, or its handler's name. */
  static String kind(JsonNode job) {
    for (String kind : KINDS) {
      if (job.has(kind)) {
        return kind;
      }
    }
    return text(job, "handler");
  }

  /** A value without JSON's quotes and braces: {@code every 15m, start 2026-...}. */
  static String compact(JsonNode value) {
    if (value.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        parts.add(entry.getKey() + " " + compact(entry.getKey(), entry.getValue()));
      }
      return String.join(", ", parts);
    }
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      value.forEach(item -> parts.add(compact(item)));
      return "[" + String.join(", ", parts) + "]";
    }
    return value.asText();
  }

  /**
   * A field's value as {@link #compact(JsonNode)} shows it, a {@code zone} by {@link #zoneName}.
   */
  static String compact(String field, JsonNode value) {
    return field.equals("zone") && value.isTextual() ? zoneName(value.asText()) : compact(value);
  }

  /** The run's state in lower case ({@code succeeded}, {@code timed_out}, ...). */
  static String state(JsonNode run) {
    String state = text(run, "state");
    return state == null ? "unknown" : state.toLowerCase(Locale.ROOT);
  }
}
