package dev.chime.server;

import dev.chime.JobInfo;
import dev.chime.server.spec.FireTimes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A job's upcoming fire times (see {@link FireTimes}) as {@code GET /api/v1/jobs/{id}/next} writes
 * them: {@code at} (a cron trigger's time in its zone, with its offset; other triggers' as an
 * instant), and for one a daylight-saving change affects {@code dst} ({@code gap} or {@code
 * overlap}) and {@code note}.
 */
final class NextFireTimes {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private NextFireTimes() {}

  static List<Map<String, Object>> of(JobInfo info, Instant after, int count) {
    return FireTimes.of(info.job(), after, count).stream().map(NextFireTimes::entry).toList();
  }

  private static Map<String, Object> entry(FireTimes.FireTime time) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put(
        "at",
        time.zone() == null ? time.at().toString() : ISO.format(time.at().atZone(time.zone())));
    if (time.dst() != null) {
      entry.put("dst", time.dst().name().toLowerCase(Locale.ROOT));
      entry.put("note", time.note());
    }
    return entry;
  }
}
