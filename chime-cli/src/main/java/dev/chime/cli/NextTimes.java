package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.spec.FireTimes;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's upcoming fire times from {@code GET /api/v1/jobs/{id}/next}, DST-affected ones marked.
 */
final class NextTimes {
  private NextTimes() {}

  static List<String> of(ApiClient api, String id, int count, ZoneId zone) {
    JsonNode items = api.get(ClientCommand.job(id, "/next?count=" + count)).json().path("items");
    List<String> times = new ArrayList<>();
    for (JsonNode item : items) {
      times.add(item.isTextual() ? Fields.fireTime(item.asText(), zone) : describe(item, zone));
    }
    return times;
  }

  /**
   * A fire time computed here, as {@link #of} shows the server's: a cron trigger's in its zone,
   * another's in {@code zone} (the system zone), DST-affected ones marked.
   */
  static String describe(FireTimes.FireTime time, ZoneId zone) {
    String at =
        CronNextCommand.FIRE.format(time.at().atZone(time.zone() == null ? zone : time.zone()));
    return time.dst() == null
        ? at
        : marked(at, time.dst().name().toLowerCase(java.util.Locale.ROOT), time.note());
  }

  private static String describe(JsonNode item, ZoneId zone) {
    JsonNode at = item.path("at");
    String time = at.isTextual() ? Fields.fireTime(at.asText(), zone) : item.toString();
    String dst = Fields.text(item, "dst");
    String note = Fields.text(item, "note");
    return dst == null ? time : marked(time, dst, note);
  }

  private static String marked(String time, String dst, String note) {
    return time + "  (DST " + dst + (note == null ? "" : ": " + note) + ")";
  }
}
