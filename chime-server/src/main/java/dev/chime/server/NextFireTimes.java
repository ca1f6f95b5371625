package dev.chime.server;

import dev.chime.JobInfo;
import dev.chime.Trigger;
import dev.chime.cron.CronExpression;
import dev.chime.cron.DstPolicy;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's upcoming fire times. For a cron trigger each time is shown in the trigger's zone, and
 * those a daylight-saving change affects carry {@code dst}: {@code gap} (the local time does not
 * exist that day: it runs at the end of the gap) or {@code overlap} (the local time happens twice:
 * a fixed-time expression runs on the first pass only, an interval expression on both).
 */
final class NextFireTimes {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private NextFireTimes() {}

  static List<Map<String, Object>> of(JobInfo info, Instant after, int count) {
    Trigger trigger = info.job().trigger().withHashKey(info.id().value());
    if (trigger instanceof Trigger.Cron cron) {
      return cron(cron, after, count);
    }
    List<Map<String, Object>> times = new ArrayList<>();
    Optional<Instant> next = trigger.nextAfter(after);
    while (next.isPresent() && times.size() < count) {
      times.add(entry(next.get().toString(), null, null));
      next = trigger.nextAfter(next.get());
    }
    return times;
  }

  private static List<Map<String, Object>> cron(Trigger.Cron cron, Instant after, int count) {
    CronExpression expression = cron.expression();
    ZoneId zone = cron.zone();
    List<Map<String, Object>> times = new ArrayList<>();
    Optional<Instant> next = expression.next(after, zone);
    while (next.isPresent() && times.size() < count) {
      ZonedDateTime local = next.get().atZone(zone);
      times.add(mark(expression, local));
      next = expression.next(next.get(), zone);
    }
    return times;
  }

  private static Map<String, Object> mark(CronExpression expression, ZonedDateTime local) {
    String at = ISO.format(local);
    boolean wallClock = expression.effectiveDstPolicy() == DstPolicy.WALL_CLOCK;
    if (wallClock && !expression.matches(local)) {
      return entry(
          at, "gap", "the local time does not exist that day (clocks jump); runs at the gap's end");
    }
    if (local.getZone().getRules().getValidOffsets(local.toLocalDateTime()).size() > 1) {
      return entry(
          at,
          "overlap",
          wallClock
              ? "the local time happens twice (clocks fall back); runs on the first pass only"
              : "the local time happens twice (clocks fall back); runs at each real instant");
    }
    return entry(at, null, null);
  }

  private static Map<String, Object> entry(String at, String dst, String note) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("at", at);
    if (dst != null) {
      entry.put("dst", dst);
      entry.put("note", note);
    }
    return entry;
  }
}
