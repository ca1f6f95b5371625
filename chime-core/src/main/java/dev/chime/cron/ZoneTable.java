package dev.chime.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A zone's UTC offsets as windows of constant offset: {@code starts[i]} (epoch seconds) to {@code
 * starts[i + 1]}, at {@code offsets[i]} seconds. Built once per zone from its rules between {@link
 * #FROM_YEAR} and {@link #TO_YEAR} (about 1,100 windows for a zone with DST, 13 KB) and cached, so
 * the cron search finds an offset with one array read and a short scan, and no allocation. Outside
 * that span the first and last offsets hold; no real schedule reaches that far.
 */
final class ZoneTable {
  static final int FROM_YEAR = 1850;
  static final int TO_YEAR = 2400;
  private static final ConcurrentHashMap<ZoneId, ZoneTable> CACHE = new ConcurrentHashMap<>();

  /** Buckets of 2^22 s (48.5 days) from {@link #FROM_YEAR}: a direct index, then a short scan. */
  private static final int BUCKET_SHIFT = 22;

  private static final long BASE = Civil.localSecond(FROM_YEAR, 1, 1, 0, 0, 0);

  final ZoneId zone;
  final long[] starts;
  final int[] offsets;
  private final int[] buckets;

  private ZoneTable(ZoneId zone, long[] starts, int[] offsets) {
    this.zone = zone;
    this.starts = starts;
    this.offsets = offsets;
    long until = Civil.localSecond(TO_YEAR, 1, 1, 0, 0, 0);
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
    Instant from = Instant.ofEpochSecond(BASE);
    long until = Civil.localSecond(TO_YEAR, 1, 1, 0, 0, 0);
    long[] starts = new long[64];
    int[] offsets = new int[64];
    starts[0] = Long.MIN_VALUE;
    offsets[0] = rules.getOffset(from).getTotalSeconds();
    int count = 1;
    ZoneOffsetTransition transition = rules.isFixedOffset() ? null : rules.nextTransition(from);
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
    return new ZoneTable(zone, Arrays.copyOf(starts, count), Arrays.copyOf(offsets, count));
  }

  /** The window that contains the instant. */
  int index(long epochSecond) {
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

  /** The first instant of the window after {@code index}, or Long.MAX_VALUE for the last. */
  long end(int index) {
    return index + 1 < starts.length ? starts[index + 1] : Long.MAX_VALUE;
  }

  /** The earliest instant at which the local clock shows {@code local} or later. */
  long firstAtOrAfter(long local, int hint) {
    long guess = local - offsets[hint];
    int i = guess >= starts[hint] && guess < end(hint) ? hint : index(guess);
    while (i > 0 && local - offsets[i - 1] < starts[i]) {
      i--;
    }
    while (local - offsets[i] >= end(i)) {
      i++;
    }
    return Math.max(starts[i], local - offsets[i]);
  }

  /**
   * The latest local time the clock has shown up to and including the instant: the instant's own
   * local time, or, during the second pass of a fall-back overlap, the end of the first pass.
   */
  long highWater(long epochSecond, int index) {
    long local = epochSecond + offsets[index];
    if (index > 0 && offsets[index - 1] > offsets[index]) {
      local = Math.max(local, starts[index] - 1 + offsets[index - 1]);
    }
    return local;
  }
}
