package dev.chime.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A zone's UTC offsets as windows of constant offset: window {@code i} runs from {@link #start}
 * (epoch seconds) to {@link #end}, at {@link #offset} seconds. Tabulated once per zone from its
 * rules, every transition up to about {@link #TO_YEAR} (about 1,100 windows for a zone with DST, 13
 * KB), and cached, so the cron search finds an offset with one array read and a short scan, and no
 * allocation. The index starts at {@link #FROM_YEAR}: the few zones that changed offset before
 * (London in 1847, Manila in 1844) have those windows too, found by a scan from the first.
 *
 * <p>After the table's end, a zone whose rules change the offset every year (its DST rules) keeps
 * doing so: the windows of the table's last 400 years repeat, each time 400 years later. That is
 * exact, not an estimate: the Gregorian calendar repeats every 400 years (146,097 days, a whole
 * number of weeks), so each yearly rule ("the second Sunday of March at 02:00") falls on the same
 * local date and time 400 years later, at the same offsets, which is how {@link ZoneRules} computes
 * them too. The table ends late enough that its last 400 years come from those yearly rules alone
 * (a zone's rules may list transitions one by one until late: Asia/Gaza's until 2087). A zone
 * without yearly rules keeps its last offset.
 */
final class ZoneTable {
  static final int FROM_YEAR = 1850;
  static final int TO_YEAR = 2400;

  /** 400 years of the Gregorian calendar, in seconds. */
  static final long CYCLE = 146_097L * Civil.SECONDS_PER_DAY;

  private static final ConcurrentHashMap<ZoneId, ZoneTable> CACHE = new ConcurrentHashMap<>();

  /**
   * Buckets of 2^22 s (48.5 days) from {@link #FROM_YEAR}: a direct index, then a short scan. An
   * instant before is scanned for from the first window.
   */
  private static final int BUCKET_SHIFT = 22;

  private static final long BASE = Civil.localSecond(FROM_YEAR, 1, 1, 0, 0, 0);

  final ZoneId zone;
  private final long[] starts;
  private final int[] offsets;
  private final int[] buckets;

  /** Where the table ends; with {@link #perCycle} windows, the last 400 years repeat from there. */
  private final long until;

  /** The first window that starts in the last 400 years of a table that repeats. */
  private final int cycleFrom;

  /** The windows in 400 years of a table that repeats; 0 for one whose last offset holds. */
  private final int perCycle;

  private ZoneTable(ZoneId zone, long[] starts, int[] offsets, long until, boolean repeats) {
    this.zone = zone;
    this.starts = starts;
    this.offsets = offsets;
    this.until = until;
    int from = starts.length;
    while (repeats && from > 1 && starts[from - 1] >= until - CYCLE) {
      from--;
    }
    this.cycleFrom = from;
    this.perCycle = starts.length - from;
    // A fixed offset has one window and needs no index.
    this.buckets = new int[starts.length == 1 ? 0 : (int) ((until - BASE) >>> BUCKET_SHIFT) + 1];
    for (int b = 0, i = 0; b < buckets.length; b++) {
      long bucketStart = BASE + ((long) b << BUCKET_SHIFT);
      while (i + 1 < starts.length && starts[i + 1] <= bucketStart) {
        i++;
      }
      buckets[b] = i;
    }
  }

  static ZoneTable of(ZoneId zone) {
    ZoneTable table = CACHE.get(zone);
    return table != null ? table : CACHE.computeIfAbsent(zone, ZoneTable::build);
  }

  private static ZoneTable build(ZoneId zone) {
    ZoneRules rules = zone.getRules();
    long until = until(rules);
    long[] starts = new long[64];
    int[] offsets = new int[64];
    starts[0] = Long.MIN_VALUE;
    offsets[0] = rules.getOffset(Instant.MIN).getTotalSeconds();
    int count = 1;
    ZoneOffsetTransition transition =
        rules.isFixedOffset() ? null : rules.nextTransition(Instant.MIN);
    while (transition != null && transition.toEpochSecond() < until) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        offsets = Arrays.copyOf(offsets, count * 2);
      }
      starts[count] = transition.toEpochSecond();
      offsets[count] = transition.getOffsetAfter().getTotalSeconds();
      count++;
      transition = rules.nextTransition(transition.getInstant());
    }
    boolean repeats = !rules.getTransitionRules().isEmpty();
    return new ZoneTable(
        zone, Arrays.copyOf(starts, count), Arrays.copyOf(offsets, count), until, repeats);
  }

  /**
   * Where the table ends: {@link #TO_YEAR}, or later for a zone that lists transitions one by one
   * so late that 400 years of its yearly rules alone do not fit before. The year after the last
   * listed transition still has rule-made ones only; a year more keeps off the days that differ
   * between local time and UTC.
   */
  private static long until(ZoneRules rules) {
    List<ZoneOffsetTransition> listed = rules.getTransitions();
    int last = listed.isEmpty() ? 0 : listed.getLast().getDateTimeAfter().getYear();
    int cycleYear = Math.max(TO_YEAR - 400, last + 2);
    return Civil.localSecond(cycleYear + 400, 1, 1, 0, 0, 0);
  }

  /** The window that contains the instant. */
  int index(long epochSecond) {
    if (epochSecond < until || perCycle == 0) {
      return tabulated(epochSecond);
    }
    long cycles = Math.floorDiv(epochSecond - (until - CYCLE), CYCLE);
    return tabulated(epochSecond - cycles * CYCLE) + (int) cycles * perCycle;
  }

  private int tabulated(long epochSecond) {
    long bucket = (epochSecond - BASE) >> BUCKET_SHIFT;
    int i;
    if (bucket < 0 || buckets.length == 0) {
      i = 0;
    } else {
      i = buckets[(int) Math.min(bucket, buckets.length - 1)];
    }
    while (i + 1 < starts.length && starts[i + 1] <= epochSecond) {
      i++;
    }
    return i;
  }

  /** The first instant of the window; Long.MIN_VALUE for the first. */
  long start(int index) {
    if (index < starts.length) {
      return starts[index];
    }
    int past = index - cycleFrom;
    return starts[cycleFrom + past % perCycle] + past / perCycle * CYCLE;
  }

  /** The window's offset from UTC, in seconds. */
  int offset(int index) {
    return index < starts.length
        ? offsets[index]
        : offsets[cycleFrom + (index - cycleFrom) % perCycle];
  }

  /** The first instant of the window after {@code index}, or Long.MAX_VALUE for the last. */
  long end(int index) {
    return index + 1 < starts.length || perCycle > 0 ? start(index + 1) : Long.MAX_VALUE;
  }

  /** The earliest instant at which the local clock shows {@code local} or later. */
  long firstAtOrAfter(long local, int hint) {
    long guess = local - offset(hint);
    int i = guess >= start(hint) && guess < end(hint) ? hint : index(guess);
    while (i > 0 && local - offset(i - 1) < start(i)) {
      i--;
    }
    while (local - offset(i) >= end(i)) {
      i++;
    }
    return Math.max(start(i), local - offset(i));
  }

  /**
   * The latest local time the clock has shown up to and including the instant: the instant's own
   * local time, or, during the second pass of a fall-back overlap, the end of the first pass.
   */
  long highWater(long epochSecond, int index) {
    long local = epochSecond + offset(index);
    if (index > 0 && offset(index - 1) > offset(index)) {
      local = Math.max(local, start(index) - 1 + offset(index - 1));
    }
    return local;
  }
}
