package dev.chime.cron;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Comparator;
import java.util.List;

/**
 * A slow, obviously-right reference for minute-level expressions: it scans minutes with java.time
 * and applies the DST policy from its definition, sharing nothing with the engine's search but the
 * field test {@link CronExpression#matches}.
 */
final class BruteForce {
  private static final int LIMIT_MINUTES = 60 * 24 * 40;

  private BruteForce() {}

  /** INSTANT: the first real instant after {@code after} whose local time matches. */
  static Instant nextInstant(CronExpression cron, Instant after, ZoneId zone) {
    Instant t = after.plusSeconds(60 - Math.floorMod(after.getEpochSecond(), 60));
    for (int i = 0; i < LIMIT_MINUTES; i++, t = t.plusSeconds(60)) {
      if (cron.matches(t.atZone(zone))) {
        return t;
      }
    }
    throw new AssertionError("no fire within the scan limit");
  }

  /**
   * WALL_CLOCK: local times L that match, in order, each fired at the first instant at which the
   * local clock shows L or later; the first such fire after {@code after}.
   */
  static Instant nextWallClock(CronExpression cron, Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    LocalDateTime local =
        LocalDateTime.ofInstant(after, zone).minusHours(4).withSecond(0).withNano(0);
    for (int i = 0; i < LIMIT_MINUTES; i++, local = local.plusMinutes(1)) {
      if (!cron.matches(local.atZone(ZoneOffset.UTC))) {
        continue;
      }
      Instant fire = firstAtOrAfter(rules, local);
      if (fire.isAfter(after)) {
        return fire;
      }
    }
    throw new AssertionError("no fire within the scan limit");
  }

  /** The earliest instant at which the local clock shows {@code local} or later. */
  static Instant firstAtOrAfter(ZoneRules rules, LocalDateTime local) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      return rules.getTransition(local).getInstant();
    }
    // In an overlap the earlier instant belongs to the larger (pre-transition) offset.
    ZoneOffset earliest =
        offsets.stream().max(Comparator.comparingInt(ZoneOffset::getTotalSeconds)).orElseThrow();
    return local.toInstant(earliest);
  }
}
