package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's upcoming fire times from {@code GET /api/v1/jobs/{id}/next}, DST-affected ones marked.
 */
final class NextTimes {
  private NextTimes() {}

  static List<String> of(ApiClient api, String id, int count, ZoneId zone) {
    JsonNode json = api.get(ClientCommand.job(id, "/next?count=" + count)).json();
    JsonNode items = json.isArray() ? json : first(json, "items", "times", "next");
    List<String> times = new ArrayList<>();
    for (JsonNode item : items) {
      times.add(item.isTextual() ? Fields.time(item.asText(), zone) : describe(item, zone));
    }
    return times;
  }

  private static String describe(JsonNode item, ZoneId zone) {
    JsonNode at = first(item, "at", "time", "fireAt");
    String time = at.isTextual() ? Fields.time(at.asText(), zone) : item.toString();
    JsonNode dst = first(item, "dst", "note", "dstNote");
    if (dst.isBoolean()) {
      return dst.asBoolean() ? time + "  (DST)" : time;
    }
    return dst.isTextual() ? time + "  (" + dst.asText() + ")" : time;
  }

  private static JsonNode first(JsonNode node, String... fields) {
    for (String field : fields) {
      if (node.has(field)) {
        return node.get(field);
      }
    }
    return node.path(fields[0]);
  }
}
