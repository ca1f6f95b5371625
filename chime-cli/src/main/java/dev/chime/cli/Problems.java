package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Turns an RFC 9457 problem (or any error answer) into one readable line. */
final class Problems {
  private static final int MAX_TEXT = 200;

  private Problems() {}

  /** "title: detail (field: F)", and every listed error as "field: message". */
  static String describe(ApiClient.Reply reply) {
    JsonNode problem = parse(reply.body());
    if (problem == null || !problem.isObject()) {
      return plain(reply.body());
    }
    List<String> parts = new ArrayList<>();
    add(parts, problem.path("title"));
    add(parts, problem.path("detail"));
    String line = String.join(": ", parts);
    if (problem.path("field").isTextual()) {
      line += " (field: " + problem.path("field").asText() + ")";
    }
    List<String> errors = errors(problem.path("errors"));
    if (!errors.isEmpty()) {
      line += (line.isEmpty() ? "" : ": ") + String.join("; ", errors);
    }
    return line.isEmpty() ? plain(reply.body()) : line;
  }

  private static List<String> errors(JsonNode errors) {
    List<String> lines = new ArrayList<>();
    for (JsonNode error : errors) {
      if (error.isTextual()) {
        lines.add(error.asText());
        continue;
      }
      StringBuilder line = new StringBuilder();
      if (error.path("source").isTextual() && error.path("line").canConvertToInt()) {
        line.append(error.path("source").asText()).append(':').append(error.path("line").asInt());
        line.append(": ");
      }
      if (error.path("field").isTextual()) {
        line.append(error.path("field").asText()).append(": ");
      }
      line.append(error.path("message").asText(error.toString()));
      lines.add(line.toString());
    }
    return lines;
  }

  private static void add(List<String> parts, JsonNode value) {
    if (value.isTextual() && !value.asText().isBlank()) {
      parts.add(value.asText().strip());
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body.isBlank() ? null : ApiClient.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String plain(String body) {
    String text = body.strip().replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return "(no details from the server)";
    }
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
  }
}
