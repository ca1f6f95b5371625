package dev.chime.internal.store;

import java.util.Arrays;

/**
 * The in-memory store's unclaimed jobs by (deadline, add order): a wheel of time buckets for the
 * next few seconds in front of a heap for the rest. The package notes give the reason and the
 * figures.
 *
 * <p>Three parts, each entry in exactly one: the <b>wheel</b>, {@value #BUCKETS} buckets of {@code
 * 2^}{@value #SHIFT} ns (about 1 ms) after the cursor, each an append-only array; the <b>front</b>,
 * a small binary heap, at most {@value #FRONT_LIMIT} entries, of the buckets loaded so far (the
 * cursor is the last one) and of those added for these buckets or earlier; the <b>far</b> heap
 * ({@link SlotHeap}) for the rest (beyond the wheel when added, before the cursor with the front
 * full, or the part of a loaded bucket the front had no room for). Every entry in a wheel bucket is
 * later than every front entry, so the earliest entry is the lesser of the front's and the far
 * heap's first, once the front is filled from the next non-empty bucket when it runs dry. That
 * bucket is loaded only when it is not after the last claim's now ({@link #now}) or when its
 * earliest entry is taken; asked for the next deadline before, the queue scans the bucket for its
 * earliest and keeps the scan. (Loading it early put the cursor ahead of now, and every job then
 * added for sooner went to the front and, once that was full, to the far heap, until the bucket was
 * due.) Adding to the wheel is an append and taking from it a pop from a heap of about a bucket's
 * jobs, both in the cache; the far heap is the indexed heap the store used for all of them before.
 *
 * <p>Removal from the front or the wheel is lazy: the slot's queue mark ({@link JobTable#in})
 * becomes {@link JobTable#IN_NONE} and its entry is skipped when met. An entry is current while its
 * slot is marked {@link JobTable#IN_NEAR} and the slot's position holds the low half of the entry's
 * add order, so an entry of a job removed and added again, or of a slot freed and reused, is stale
 * without a lookup. Once the stale entries outnumber the current ones (and a thousand), both parts
 * are swept, so a stale entry lives far fewer than the 2^32 adds after which its order's low half
 * could come round again.
 */
final class DueQueue {
  /** Bucket width: 2^20 ns, about a millisecond. */
  static final int SHIFT = 20;

  /** Buckets in the wheel (a power of two): about 8.6 s. */
  static final int BUCKETS = 1 << 13;

  /**
   * When the wheel is empty, the cursor is put this many buckets before the next entry's (or at the
   * last claim's now, if that is earlier).
   */
  private static final int LEAD = BUCKETS / 4;

  /** Entries the front holds at most, from adds and from a loaded bucket alike: 96 KiB. */
  static final int FRONT_LIMIT = 4096;

  private static final int STRIDE = 3; // deadline, order, slot
  private static final int SWEEP_FLOOR = 1024;
  private static final long NO_BUCKET = Long.MIN_VALUE;

  private final JobTable jobs;
  private final SlotHeap far;
  private final long[][] buckets = new long[BUCKETS][];
  private final int[] counts = new int[BUCKETS];
  private final long[] occupied = new long[BUCKETS / 64]; // a bit per non-empty bucket
  private int wheelEntries; // current and stale
  private long cursor; // the last bucket number whose entries are in the front
  private long[] front = new long[STRIDE * 64];
  private int frontSize; // entries, current and stale
  private int near; // current entries in the front and the wheel
  private int stale; // stale entries in the front and the wheel
  private long sequence;
  private long nowBucket = Long.MAX_VALUE; // the bucket of the last claim's now (none yet: MAX)
  private long peekBucket = NO_BUCKET; // the bucket peeked() scanned last
  private int peekScanned; // its entries scanned
  private int peekAt = -1; // where its earliest current entry is (-1: none)
  private long peekDeadline; // and that entry's deadline and order
  private long peekOrder;

  @SuppressWarnings("unused") // written so that the reads behind it are not optimised away
  private long touched;

  DueQueue(JobTable jobs) {
    this.jobs = jobs;
    this.far = new SlotHeap(jobs);
  }

  int size() {
    return near + far.size();
  }

  /** Stale entries not yet dropped (for tests). */
  int stale() {
    return stale;
  }

  boolean isEmpty() {
    return size() == 0;
  }

  /** Notes the time of a claim: an empty wheel starts from it (see {@link #add}). */
  void now(long nanos) {
    nowBucket = nanos >> SHIFT;
  }

  /** Queues a slot that is in no queue; equal deadlines come out in add order. */
  void add(int slot, long deadline) {
    long order = sequence++;
    long bucket = deadline >> SHIFT;
    if (frontSize == 0 && wheelEntries == 0) {
      // The wheel starts a little before this entry, and no later than the last claim's now, so
      // that a first entry due far ahead does not send the sooner ones after it to the far heap.
      cursor = Math.min(bucket - 1 - LEAD, nowBucket - 1);
    }
    if (bucket - cursor >= BUCKETS || bucket <= cursor && frontSize >= FRONT_LIMIT) {
      // Beyond the wheel, or at or before the cursor while the front is full: the far heap, so the
      // front stays small enough for the cache however the jobs come.
      far.add(slot, deadline, order);
      jobs.in(slot, JobTable.IN_DUE);
      return;
    }
    if (bucket <= cursor) {
      pushFront(deadline, order, slot);
    } else {
      append((int) bucket & (BUCKETS - 1), deadline, order, slot);
    }
    jobs.position(slot, (int) order);
    jobs.in(slot, JobTable.IN_NEAR);
    near++;
  }

  /** Removes a queued slot (marked {@link JobTable#IN_DUE} or {@link JobTable#IN_NEAR}). */
  void remove(int slot) {
    if (jobs.in(slot) == JobTable.IN_DUE) {
      far.remove(slot);
    } else {
      near--;
      stale++;
    }
    jobs.in(slot, JobTable.IN_NONE);
    if (stale > SWEEP_FLOOR && stale > near) {
      sweep();
    }
  }

  /**
   * The earliest deadline, or {@link Long#MAX_VALUE} when empty. A bucket after the last claim's
   * now is not loaded for this but looked into (see {@link #peeked}): loading it would move the
   * cursor ahead of now, and every job then added for sooner would go to the front and, once that
   * is full, to the far heap until the bucket is due.
   */
  long nextDeadline() {
    if (frontFirst()) { // which may load a bucket, and move part of it to the far heap
      return Math.min(front[0], far.nextDeadline());
    }
    return peeked() ? Math.min(peekDeadline, far.nextDeadline()) : far.nextDeadline();
  }

  /** Takes the earliest slot off the queue (which must not be empty) and marks it in none. */
  int poll() {
    if (!frontFirst()
        && peeked()
        && (far.isEmpty()
            || before(peekDeadline, peekOrder, far.nextDeadline(), far.firstOrder()))) {
      // The bucket's earliest is taken now, so it is due; the front may not have room for it, so
      // it is compared with the far heap's first again.
      load(peekBucket);
    }
    if (frontFirst()
        && (far.isEmpty() || before(front[0], front[1], far.nextDeadline(), far.firstOrder()))) {
      return takeFront();
    }
    int slot = far.first();
    far.remove(slot);
    jobs.in(slot, JobTable.IN_NONE);
    return slot;
  }

  private int takeFront() {
    int slot = (int) front[2];
    popFront();
    near--;
    jobs.in(slot, JobTable.IN_NONE);
    return slot;
  }

  /**
   * Whether the front's first entry is current (stale ones are dropped on the way), after filling
   * the front from the next non-empty bucket if it was empty and that bucket is not after the last
   * claim's now. With the front empty and the next bucket later, the cursor moves up to now (no
   * entry is between), so that the wheel reaches as far past now as it can.
   */
  private boolean frontFirst() {
    while (true) {
      while (frontSize > 0) {
        if (current(front[1], (int) front[2])) {
          return true;
        }
        popFront();
        stale--;
      }
      if (wheelEntries == 0) {
        return false;
      }
      long bucket = nextBucket();
      if (bucket > nowBucket) {
        cursor = Math.max(cursor, nowBucket);
        return false;
      }
      load(bucket);
    }
  }

  /**
   * Whether the next non-empty bucket holds a current entry, the earliest of which is then in
   * {@link #peekDeadline} and {@link #peekOrder}; a bucket of stale entries only is dropped on the
   * way. The scan is kept for the bucket: asked again, only the entries appended since are read,
   * unless its earliest was removed meanwhile.
   */
  private boolean peeked() {
    while (wheelEntries > 0) {
      long bucket = nextBucket();
      int index = (int) bucket & (BUCKETS - 1);
      long[] entries = buckets[index];
      if (bucket != peekBucket
          || peekAt >= 0 && !current(entries[peekAt + 1], (int) entries[peekAt + 2])) {
        peekBucket = bucket;
        peekScanned = 0;
        peekAt = -1;
      }
      int count = counts[index];
      for (int i = peekScanned * STRIDE; i < count * STRIDE; i += STRIDE) {
        if (current(entries[i + 1], (int) entries[i + 2])
            && (peekAt < 0
                || before(entries[i], entries[i + 1], entries[peekAt], entries[peekAt + 1]))) {
          peekAt = i;
        }
      }
      peekScanned = count;
      if (peekAt >= 0) {
        peekDeadline = entries[peekAt];
        peekOrder = entries[peekAt + 1];
        return true;
      }
      // Every entry stale: the bucket goes.
      stale -= count;
      wheelEntries -= count;
      counts[index] = 0;
      occupied[index >>> 6] &= ~(1L << index);
      peekBucket = NO_BUCKET;
    }
    return false;
  }

  /** The next bucket number after the cursor that holds entries (there must be one). */
  private long nextBucket() {
    int from = (int) (cursor + 1) & (BUCKETS - 1);
    int word = from >>> 6;
    long bits = occupied[word] & (-1L << from);
    for (int i = 0; bits == 0; i++) {
      word = (word + 1) & (occupied.length - 1);
      bits = occupied[word];
      if (i > occupied.length) {
        throw new IllegalStateException("the wheel counts entries but none is in a bucket");
      }
    }
    int index = word << 6 | Long.numberOfTrailingZeros(bits);
    return cursor + 1 + ((index - from) & (BUCKETS - 1));
  }

  /**
   * Moves the bucket's current entries into the (empty) front, up to {@value #FRONT_LIMIT} of them
   * and the rest to the far heap (a burst of jobs due in the same millisecond would otherwise make
   * a front of its size, out of the cache and never shrunk), and makes the bucket the cursor.
   */
  private void load(long bucket) {
    int index = (int) bucket & (BUCKETS - 1);
    long[] entries = buckets[index];
    int count = counts[index];
    // Their slots' words, read side by side first (the misses overlap) rather than one by one as
    // each entry is checked below.
    for (int i = 0; i < count * STRIDE; i += STRIDE) {
      touched ^= jobs.touchWords((int) entries[i + 2]);
    }
    for (int i = 0; i < count * STRIDE; i += STRIDE) {
      long deadline = entries[i];
      long order = entries[i + 1];
      int slot = (int) entries[i + 2];
      if (!current(order, slot)) {
        stale--;
      } else if (frontSize < FRONT_LIMIT) {
        pushFront(deadline, order, slot);
      } else {
        far.add(slot, deadline, order);
        jobs.in(slot, JobTable.IN_DUE);
        near--;
      }
    }
    counts[index] = 0;
    occupied[index >>> 6] &= ~(1L << index);
    if (entries.length > STRIDE * 1024) {
      buckets[index] = null; // a burst's bucket: not kept for the next lap
    }
    wheelEntries -= count;
    cursor = bucket;
    peekBucket = NO_BUCKET;
  }

  private boolean current(long order, int slot) {
    return jobs.in(slot) == JobTable.IN_NEAR && jobs.position(slot) == (int) order;
  }

  private void append(int index, long deadline, long order, int slot) {
    long[] entries = buckets[index];
    int at = counts[index] * STRIDE;
    if (entries == null) {
      entries = buckets[index] = new long[STRIDE * 16];
    } else if (at == entries.length) {
      entries = buckets[index] = Arrays.copyOf(entries, at * 2);
    }
    entries[at] = deadline;
    entries[at + 1] = order;
    entries[at + 2] = slot;
    counts[index]++;
    occupied[index >>> 6] |= 1L << index;
    wheelEntries++;
  }

  /** Drops every stale entry from the front and the wheel. */
  private void sweep() {
    int kept = 0;
    for (int i = 0; i < frontSize * STRIDE; i += STRIDE) {
      if (current(front[i + 1], (int) front[i + 2])) {
        System.arraycopy(front, i, front, kept * STRIDE, STRIDE);
        kept++;
      }
    }
    frontSize = 0;
    long[] survivors = Arrays.copyOf(front, kept * STRIDE);
    for (int i = 0; i < survivors.length; i += STRIDE) {
      pushFront(survivors[i], survivors[i + 1], (int) survivors[i + 2]);
    }
    for (int b = 0; b < BUCKETS; b++) {
      long[] entries = buckets[b];
      int count = counts[b];
      int left = 0;
      for (int i = 0; i < count * STRIDE; i += STRIDE) {
        if (current(entries[i + 1], (int) entries[i + 2])) {
          System.arraycopy(entries, i, entries, left * STRIDE, STRIDE);
          left++;
        }
      }
      counts[b] = left;
      wheelEntries -= count - left;
      if (left == 0) {
        occupied[b >>> 6] &= ~(1L << b);
      }
    }
    stale = 0;
    peekBucket = NO_BUCKET; // its entries moved
  }

  private static boolean before(long deadline, long order, long otherDeadline, long otherOrder) {
    return deadline < otherDeadline || deadline == otherDeadline && order < otherOrder;
  }

  private void pushFront(long deadline, long order, long slot) {
    if (frontSize * STRIDE == front.length) {
      front = Arrays.copyOf(front, front.length * 2);
    }
    int index = frontSize++;
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      int p = parent * STRIDE;
      if (!before(deadline, order, front[p], front[p + 1])) {
        break;
      }
      System.arraycopy(front, p, front, index * STRIDE, STRIDE);
      index = parent;
    }
    setFront(index, deadline, order, slot);
  }

  private void popFront() {
    int last = --frontSize * STRIDE;
    long deadline = front[last];
    long order = front[last + 1];
    long slot = front[last + 2];
    int index = 0;
    while (true) {
      int child = 2 * index + 1;
      if (child >= frontSize) {
        break;
      }
      int c = child * STRIDE;
      if (child + 1 < frontSize
          && before(front[c + STRIDE], front[c + STRIDE + 1], front[c], front[c + 1])) {
        child++;
        c += STRIDE;
      }
      if (!before(front[c], front[c + 1], deadline, order)) {
        break;
      }
      System.arraycopy(front, c, front, index * STRIDE, STRIDE);
      index = child;
    }
    if (frontSize > 0) {
      setFront(index, deadline, order, slot);
    }
  }

  private void setFront(int index, long deadline, long order, long slot) {
    int at = index * STRIDE;
    front[at] = deadline;
    front[at + 1] = order;
    front[at + 2] = slot;
  }
}
