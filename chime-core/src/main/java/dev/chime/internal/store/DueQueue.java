package dev.chime.internal.store;

import java.util.Arrays;

/**
 * The in-memory store's unclaimed jobs by (deadline, add order): a wheel of time buckets for the
 * next few seconds in front of a heap for the rest. The package notes give the reason and the
 * figures.
 *
 * <p>Three parts, each entry in exactly one: the <b>wheel</b>, {@value #BUCKETS} buckets of {@code
 * 2^}{@value #SHIFT} ns (about 1 ms) after the cursor, each an append-only array; the <b>front</b>,
 * a small binary heap of the entries of the buckets loaded so far (the cursor is the last one) and
 * of those added for these buckets or earlier, up to {@value #FRONT_LIMIT}; the <b>far</b> heap
 * ({@link SlotHeap}) for the rest (beyond the wheel when added, or before the cursor with the front
 * full). Every entry in a wheel bucket is later than every front entry, so the earliest entry is
 * the lesser of the front's and the far heap's first, once the front is filled from the next
 * non-empty bucket when it runs dry. Adding to the wheel is an append and taking from it a pop from
 * a heap of about a bucket's jobs, both in the cache; the far heap is the indexed heap the store
 * used for all of them before.
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

  /** Entries the front takes from adds (a loaded bucket may bring more): 96 KiB. */
  static final int FRONT_LIMIT = 4096;

  private static final int STRIDE = 3; // deadline, order, slot
  private static final int SWEEP_FLOOR = 1024;

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

  /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
  long nextDeadline() {
    return nearFirst() ? Math.min(front[0], far.nextDeadline()) : far.nextDeadline();
  }

  /** Takes the earliest slot off the queue (which must not be empty) and marks it in none. */
  int poll() {
    int slot;
    if (nearFirst()
        && (far.isEmpty() || before(front[0], front[1], far.nextDeadline(), far.firstOrder()))) {
      slot = (int) front[2];
      popFront();
      near--;
    } else {
      slot = far.first();
      far.remove(slot);
    }
    jobs.in(slot, JobTable.IN_NONE);
    return slot;
  }

  /**
   * Whether the front's first entry is current (stale ones are dropped on the way), after filling
   * the front from the next non-empty bucket if it was empty.
   */
  private boolean nearFirst() {
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
      load(nextBucket());
    }
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

  /** Moves the bucket's entries into the (empty) front and makes it the cursor. */
  private void load(long bucket) {
    int index = (int) bucket & (BUCKETS - 1);
    long[] entries = buckets[index];
    int count = counts[index];
    for (int i = 0; i < count * STRIDE; i += STRIDE) {
      pushFront(entries[i], entries[i + 1], (int) entries[i + 2]);
    }
    // Their slots' words, read side by side now (the misses overlap) rather than one by one as
    // each entry is checked on its way out.
    for (int i = 0; i < count * STRIDE; i += STRIDE) {
      touched ^= jobs.touchWords((int) entries[i + 2]);
    }
    counts[index] = 0;
    occupied[index >>> 6] &= ~(1L << index);
    if (entries.length > STRIDE * 1024) {
      buckets[index] = null; // a burst's bucket: not kept for the next lap
    }
    wheelEntries -= count;
    cursor = bucket;
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
