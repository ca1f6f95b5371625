package dev.chime.bench;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.chime.cron.CronExpression;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.function.LongUnaryOperator;

/**
 * Before anything is timed: every system must give the same next fire time as Chime for every start
 * instant of the ring and every expression of the basket, or the comparison would be between
 * different questions. Returns one entry per disagreeing (system, expression) (empty when all
 * agree).
 */
final class Agreement {
  private Agreement() {}

  /** A system that answers differently from Chime for an expression of the basket. */
  record Disagreement(String system, String expression, String message) {}

  static List<Disagreement> check() {
    List<Disagreement> problems = new ArrayList<>();
    long[] starts = CronBenchmarks.starts();
    for (Basket basket : Basket.ALL) {
      CronExpression chime = CronExpression.parse(basket.chime(), basket.chimeDialect());
      compare(
          problems,
          basket,
          "chime",
          starts,
          chime,
          after ->
              chime
                  .next(Instant.ofEpochSecond(after).atZone(CronBenchmarks.ZONE))
                  .map(ZonedDateTime::toEpochSecond)
                  .orElse(CronExpression.NONE));
      if (basket.spring() != null) {
        var spring = org.springframework.scheduling.support.CronExpression.parse(basket.spring());
        compare(
            problems,
            basket,
            "spring",
            starts,
            chime,
            after -> {
              ZonedDateTime next =
                  spring.next(Instant.ofEpochSecond(after).atZone(CronBenchmarks.ZONE));
              return next == null ? CronExpression.NONE : next.toEpochSecond();
            });
      }
      if (basket.quartz() != null) {
        org.quartz.CronExpression quartz;
        try {
          quartz = new org.quartz.CronExpression(basket.quartz());
        } catch (ParseException e) {
          problems.add(
              new Disagreement(
                  "quartz", basket.id(), "rejects '" + basket.quartz() + "': " + e.getMessage()));
          continue;
        }
        quartz.setTimeZone(TimeZone.getTimeZone(CronBenchmarks.ZONE));
        compare(
            problems,
            basket,
            "quartz",
            starts,
            chime,
            after -> {
              Date next = quartz.getTimeAfter(Date.from(Instant.ofEpochSecond(after)));
              return next == null ? CronExpression.NONE : next.getTime() / 1000;
            });
      }
      if (basket.cronUtils() != null) {
        ExecutionTime cronUtils =
            ExecutionTime.forCron(
                new CronParser(
                        CronDefinitionBuilder.instanceDefinitionFor(
                            CronType.valueOf(basket.cronUtilsType())))
                    .parse(basket.cronUtils()));
        compare(
            problems,
            basket,
            "cron-utils",
            starts,
            chime,
            after -> {
              Optional<ZonedDateTime> next =
                  cronUtils.nextExecution(Instant.ofEpochSecond(after).atZone(CronBenchmarks.ZONE));
              return next.map(ZonedDateTime::toEpochSecond).orElse(CronExpression.NONE);
            });
      }
    }
    return problems;
  }

  private static void compare(
      List<Disagreement> problems,
      Basket basket,
      String system,
      long[] starts,
      CronExpression chime,
      LongUnaryOperator next) {
    int wrong = 0;
    String first = null;
    for (long start : starts) {
      long expected = chime.nextEpochSecond(start, CronBenchmarks.ZONE);
      long actual = next.applyAsLong(start);
      if (actual != expected) {
        wrong++;
        if (first == null) {
          first =
              "after "
                  + Instant.ofEpochSecond(start).atZone(CronBenchmarks.ZONE)
                  + ": chime "
                  + show(expected)
                  + ", "
                  + system
                  + " "
                  + show(actual);
        }
      }
    }
    if (wrong > 0) {
      problems.add(
          new Disagreement(
              system,
              basket.id(),
              "differs from chime's nextEpochSecond on "
                  + wrong
                  + "/"
                  + starts.length
                  + " starts, e.g. "
                  + first));
    }
  }

  private static String show(long epochSecond) {
    return epochSecond == CronExpression.NONE
        ? "none"
        : Instant.ofEpochSecond(epochSecond).atZone(CronBenchmarks.ZONE).toString();
  }
}
