package dev.chime.bench;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.chime.cron.CronExpression;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code next} fire time after an instant, in Europe/Berlin, for Chime and its peers. Each call
 * starts from the next of 1,024 random instants in 2026-2030, so no call repeats the last one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CronBenchmarks {
  static final int RING = 1024;
  static final ZoneId ZONE = ZoneId.of(Basket.ZONE);

  /** Start instants shared by every system, as epoch seconds. */
  static long[] starts() {
    Random random = new Random(42);
    long from = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    long span = Instant.parse("2031-01-01T00:00:00Z").getEpochSecond() - from;
    long[] starts = new long[RING];
    for (int i = 0; i < RING; i++) {
      starts[i] = from + (long) (random.nextDouble() * span);
    }
    return starts;
  }

  static ZonedDateTime[] zoned() {
    long[] starts = starts();
    ZonedDateTime[] zoned = new ZonedDateTime[RING];
    for (int i = 0; i < RING; i++) {
      zoned[i] = Instant.ofEpochSecond(starts[i]).atZone(ZONE);
    }
    return zoned;
  }

  /** Chime through {@code next(ZonedDateTime)}: what an application calls. */
  @State(Scope.Thread)
  public static class ChimeZoned {
    @Param({
      "every5min",
      "hourly",
      "weekdays0930",
      "weekdays9and17",
      "days1and15",
      "lastDay",
      "thirdFriday",
      "leapMonday",
      "day31",
      "leapDay",
      "lastDayMinus30"
    })
    public String expr;

    CronExpression cron;
    ZonedDateTime[] starts;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      Basket basket = Basket.byId(expr);
      cron = CronExpression.parse(basket.chime(), basket.chimeDialect());
      starts = zoned();
    }
  }

  @Benchmark
  public Object chime(ChimeZoned state) {
    return state.cron.next(state.starts[state.next++ & (RING - 1)]);
  }

  /** Chime through the allocation-free epoch-second path the engine uses. */
  @State(Scope.Thread)
  public static class ChimeEpoch {
    @Param({
      "every5min",
      "hourly",
      "weekdays0930",
      "weekdays9and17",
      "days1and15",
      "lastDay",
      "thirdFriday",
      "leapMonday",
      "day31",
      "leapDay",
      "lastDayMinus30"
    })
    public String expr;

    CronExpression cron;
    long[] starts;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      Basket basket = Basket.byId(expr);
      cron = CronExpression.parse(basket.chime(), basket.chimeDialect());
      starts = starts();
    }
  }

  @Benchmark
  public long chimeEpoch(ChimeEpoch state) {
    return state.cron.nextEpochSecond(state.starts[state.next++ & (RING - 1)], ZONE);
  }

  /** Spring's CronExpression. */
  @State(Scope.Thread)
  public static class Spring {
    @Param({
      "every5min",
      "hourly",
      "weekdays0930",
      "weekdays9and17",
      "days1and15",
      "lastDay",
      "thirdFriday",
      "leapMonday",
      "day31",
      "leapDay"
    })
    public String expr;

    org.springframework.scheduling.support.CronExpression cron;
    ZonedDateTime[] starts;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      cron =
          org.springframework.scheduling.support.CronExpression.parse(Basket.byId(expr).spring());
      starts = zoned();
    }
  }

  @Benchmark
  public Object spring(Spring state) {
    return state.cron.next(state.starts[state.next++ & (RING - 1)]);
  }

  /** Quartz's CronExpression (no day-field AND, so no leapMonday). */
  @State(Scope.Thread)
  public static class Quartz {
    @Param({
      "every5min",
      "hourly",
      "weekdays0930",
      "weekdays9and17",
      "days1and15",
      "lastDay",
      "thirdFriday",
      "day31",
      "leapDay",
      "lastDayMinus30"
    })
    public String expr;

    org.quartz.CronExpression cron;
    Date[] starts;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws ParseException {
      cron = new org.quartz.CronExpression(Basket.byId(expr).quartz());
      cron.setTimeZone(TimeZone.getTimeZone(ZONE));
      long[] epochs = starts();
      starts = new Date[RING];
      for (int i = 0; i < RING; i++) {
        starts[i] = Date.from(Instant.ofEpochSecond(epochs[i]));
      }
    }
  }

  @Benchmark
  public Object quartz(Quartz state) {
    return state.cron.getTimeAfter(state.starts[state.next++ & (RING - 1)]);
  }

  /** cron-utils' ExecutionTime (UNIX definition; QUARTZ or SPRING53 for the specials). */
  @State(Scope.Thread)
  public static class CronUtils {
    @Param({
      "every5min",
      "hourly",
      "weekdays0930",
      "weekdays9and17",
      "days1and15",
      "lastDay",
      "thirdFriday",
      "leapMonday",
      "day31",
      "leapDay"
    })
    public String expr;

    ExecutionTime cron;
    ZonedDateTime[] starts;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      Basket basket = Basket.byId(expr);
      CronParser parser =
          new CronParser(
              CronDefinitionBuilder.instanceDefinitionFor(
                  CronType.valueOf(basket.cronUtilsType())));
      cron = ExecutionTime.forCron(parser.parse(basket.cronUtils()));
      starts = zoned();
    }
  }

  @Benchmark
  public Object cronUtils(CronUtils state) {
    return state.cron.nextExecution(state.starts[state.next++ & (RING - 1)]);
  }
}
