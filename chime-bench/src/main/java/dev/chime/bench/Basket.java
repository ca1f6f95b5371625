package dev.chime.bench;

import dev.chime.cron.CronDialect;
import java.util.List;

/**
 * The expressions of the cron benchmark, each written in every library's dialect with the same
 * meaning; null where a library cannot say it. {@code worstOnly} entries are pathological but
 * satisfiable: they count for {@code worst_ns_per_op}, not for the median.
 */
record Basket(
    String id,
    String chime,
    CronDialect chimeDialect,
    String spring,
    String quartz,
    String cronUtils,
    String cronUtilsType,
    boolean worstOnly) {

  static final String ZONE = "Europe/Berlin";

  static final List<Basket> ALL =
      List.of(
          common("every5min", "*/5 * * * *", "0 */5 * * * *", "0 0/5 * * * ?", "*/5 * * * *"),
          common("hourly", "0 * * * *", "0 0 * * * *", "0 0 * * * ?", "0 * * * *"),
          common(
              "weekdays0930",
              "30 9 * * 1-5",
              "0 30 9 * * MON-FRI",
              "0 30 9 ? * MON-FRI",
              "30 9 * * 1-5"),
          common(
              "weekdays9and17",
              "0 9,17 * * 1-5",
              "0 0 9,17 * * MON-FRI",
              "0 0 9,17 ? * MON-FRI",
              "0 9,17 * * 1-5"),
          common("days1and15", "0 6 1,15 * *", "0 0 6 1,15 * *", "0 0 6 1,15 * ?", "0 6 1,15 * *"),
          new Basket(
              "lastDay",
              "0 0 L * *",
              CronDialect.UNIX,
              "0 0 0 L * *",
              "0 0 0 L * ?",
              "0 0 0 L * ? *",
              "QUARTZ",
              false),
          new Basket(
              "thirdFriday",
              "0 10 * * 5#3",
              CronDialect.UNIX,
              "0 0 10 * * FRI#3",
              "0 0 10 ? * 6#3",
              "0 0 10 ? * 6#3 *",
              "QUARTZ",
              false),
          new Basket(
              "leapMonday",
              "0 0 0 29 2 MON",
              CronDialect.SPRING,
              "0 0 0 29 2 MON",
              null,
              "0 0 0 29 2 MON",
              "SPRING53",
              false),
          new Basket(
              "day31",
              "0 0 31 * *",
              CronDialect.UNIX,
              "0 0 0 31 * *",
              "0 0 0 31 * ?",
              "0 0 31 * *",
              "UNIX",
              true),
          new Basket(
              "leapDay",
              "0 0 29 2 *",
              CronDialect.UNIX,
              "0 0 0 29 2 *",
              "0 0 0 29 2 ?",
              "0 0 29 2 *",
              "UNIX",
              true),
          new Basket(
              "lastDayMinus30",
              "0 0 L-30 * *",
              CronDialect.UNIX,
              null,
              "0 0 0 L-30 * ?",
              null,
              null,
              true));

  private static Basket common(String id, String unix, String spring, String quartz, String cu) {
    return new Basket(id, unix, CronDialect.UNIX, spring, quartz, cu, "UNIX", false);
  }

  static Basket byId(String id) {
    return ALL.stream()
        .filter(b -> b.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no basket entry " + id));
  }
}
