package dev.chime.cron;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the cron unit tests: fire-time lists printed the way the CLI prints them. */
final class CronTestSupport {
  static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private CronTestSupport() {}

  /** The next {@code count} fire times after a local date-time in a zone, as ISO strings. */
  static List<String> next(CronExpression cron, String zone, String fromLocal, int count) {
    ZonedDateTime at = LocalDateTime.parse(fromLocal).atZone(ZoneId.of(zone));
    return cron.upcoming(at, count).stream().map(ISO::format).toList();
  }

  /** The previous {@code count} fire times before a local date-time, newest first. */
  static List<String> previous(CronExpression cron, String zone, String beforeLocal, int count) {
    ZonedDateTime at = LocalDateTime.parse(beforeLocal).atZone(ZoneId.of(zone));
    List<String> times = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      at = cron.previous(at).orElseThrow();
      times.add(ISO.format(at));
    }
    return times;
  }
}
