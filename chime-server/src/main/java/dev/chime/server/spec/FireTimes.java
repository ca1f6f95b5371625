package dev.chime.server.spec;

import dev.chime.Job;
import dev.chime.Trigger;
import dev.chime.cron.CronExpression;
import dev.chime.cron.DstPolicy;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's upcoming fire times, as {@code GET /api/v1/jobs/{id}/next} shows them and {@code chime
 * plan} computes them for a file's jobs (the same times, without a request per job). A cron
 * trigger's times are in its zone, and those a daylight-saving change affects carry {@link Dst#GAP}
 * (the local time does not exist that day: it runs at the end of the gap) or {@link Dst#OVERLAP}
 * (the local time happens twice: a fixed-time expression runs on the first pass only, an interval
 * expression on both). Other triggers' times are instants, with no zone of their own.
 */
public final class FireTimes {
  private FireTimes() {}

  /** How a daylight-saving change affects a cron fire time. */
  public enum Dst {
    /** The local time does not exist that day. */
    GAP,
    /** The local time happens twice that day. */
    OVERLAP
  }

  /**
   * One fire time.
   *
   * @param at the instant
   * @param zone the cron trigger's zone, or null for a trigger without one
   * @param dst how daylight saving affects it, or null when it does not
   * @param note what that means for the run, or null
   */
  public record FireTime(Instant at, ZoneId zone, Dst dst, String note) {}

  /** The job's next {@code count} fire times strictly after {@code after}, keyed by its id. */
  public static List<FireTime> of(Job job, Instant after, int count) {
    Trigger trigger = job.trigger().withHashKey(job.id().value());
    if (trigger instanceof Trigger.Cron cron) {
      return cron(cron, after, count);
    }
    List<FireTime> times = new ArrayList<>();
    Optional<Instant> next = trigger.nextAfter(after);
    while (next.isPresent() && times.size() < count) {
      times.add(new FireTime(next.get(), null, null, null));
      next = trigger.nextAfter(next.get());
    }
    return times;
  }

  private static List<FireTime> cron(Trigger.Cron cron, Instant after, int count) {
    CronExpression expression = cron.expression();
    ZoneId zone = cron.zone();
    List<FireTime> times = new ArrayList<>();
    Optional<Instant> next = expression.next(after, zone);
    while (next.isPresent() && times.size() < count) {
      times.add(mark(expression, next.get().atZone(zone)));
      next = expression.next(next.get(), zone);
    }
    return times;
  }

  private static FireTime mark(CronExpression expression, ZonedDateTime local) {
    Instant at = local.toInstant();
    boolean wallClock = expression.effectiveDstPolicy() == DstPolicy.WALL_CLOCK;
    if (wallClock && !expression.matches(local)) {
      return new FireTime(
          at,
          local.getZone(),
          Dst.GAP,
          "the local time does not exist that day (clocks jump); runs at the gap's end");
    }
    if (local.getZone().getRules().getValidOffsets(local.toLocalDateTime()).size() > 1) {
      return new FireTime(
          at,
          local.getZone(),
          Dst.OVERLAP,
          wallClock
              ? "the local time happens twice (clocks fall back); runs on the first pass only"
              : "the local time happens twice (clocks fall back); runs at each real instant");
    }
    return new FireTime(at, local.getZone(), null, null);
  }
}
