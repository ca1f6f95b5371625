package dev.chime.internal.store;

/**
 * The in-memory store's leased jobs, by fencing token: a ring indexed by token for leases taken in
 * order of their ends (the usual case: each claim's lease ends a fixed time after the claim), and a
 * heap ({@link SlotHeap}) for the rest. A claim takes the next token; ending a lease marks its ring
 * entry ended (no sift, and the slot's line is not touched: a heap's removal sifted through a few
 * levels per lease, writing each moved entry's position into its slot, a cache miss each at a
 * million jobs); the ring's head moves past ended entries and expires the live ones whose lease
 * ended. A lease that ends before the ring's newest (its clock went back, or a shorter lease was
 * asked for) goes to the heap, and so does the head when the ring holds {@value #RING_LIMIT} tokens
 * (a lease kept that long must not hold every later one in memory).
 *
 * <p>A slot in the ring is marked {@link JobTable#IN_LEASES} with its token's low half as its tag
 * (the ring spans fewer than 2^31 tokens, so the tag gives the token back); one in the heap is
 * marked {@link JobTable#IN_LATE}, its token the heap's order for it.
 */
final class Leases {
  /** Tokens the ring spans at most (a power of two). */
  static final int RING_LIMIT = 1 << 16;

  private static final int FREE = -1;

  private final JobTable jobs;
  private final SlotHeap late;
  private int[] slots = new int[64];
  private long[] ends = new long[64];
  private long first = 1; // the token of the ring's head
  private long next = 1; // the next token handed out
  private long newestEnd = Long.MIN_VALUE;
  private int size; // live leases in the ring and the heap

  Leases(JobTable jobs) {
    this.jobs = jobs;
    this.late = new SlotHeap(jobs);
  }

  int size() {
    return size;
  }

  /** Leases a slot that is in no queue until {@code end}; returns its token. */
  long lease(int slot, long end) {
    if (next - first == RING_LIMIT) {
      demoteHead();
    }
    if (next - first == slots.length) {
      grow();
    }
    long token = next++;
    int at = (int) token & (slots.length - 1);
    size++;
    if (end < newestEnd) {
      slots[at] = FREE; // keeps the ring's tokens consecutive
      late.add(slot, end, token);
      jobs.in(slot, JobTable.IN_LATE);
    } else {
      newestEnd = end;
      slots[at] = slot;
      ends[at] = end;
      jobs.tag(slot, (int) token);
      jobs.in(slot, JobTable.IN_LEASES);
    }
    skipEnded();
    return token;
  }

  /** Whether the slot is leased under the token. */
  boolean holds(int slot, long token) {
    int in = jobs.in(slot);
    if (in == JobTable.IN_LEASES) {
      return token >= first
          && token < next
          && slots[(int) token & (slots.length - 1)] == slot
          && jobs.tag(slot) == (int) token;
    }
    return in == JobTable.IN_LATE && late.order(slot) == token;
  }

  /** Ends the lease of a leased slot and marks it in no queue. */
  void end(int slot) {
    if (jobs.in(slot) == JobTable.IN_LATE) {
      late.remove(slot);
    } else {
      long token = first + ((jobs.tag(slot) - (int) first) & 0xFFFF_FFFFL);
      slots[(int) token & (slots.length - 1)] = FREE;
      skipEnded();
    }
    jobs.in(slot, JobTable.IN_NONE);
    size--;
  }

  /**
   * The next slot whose lease ended at or before {@code now}, its lease ended and the slot marked
   * in no queue; -1 if none.
   */
  int expired(long now) {
    if (first < next) {
      int at = (int) first & (slots.length - 1);
      if (ends[at] <= now) {
        int slot = slots[at];
        end(slot);
        return slot;
      }
    }
    if (!late.isEmpty() && late.nextDeadline() <= now) {
      int slot = late.first();
      end(slot);
      return slot;
    }
    return -1;
  }

  /** Moves the head past ended entries, so the head is live or the ring empty. */
  private void skipEnded() {
    while (first < next && slots[(int) first & (slots.length - 1)] == FREE) {
      first++;
    }
    if (first == next) {
      newestEnd = Long.MIN_VALUE;
    }
  }

  /** Moves the ring's (live) head to the heap. */
  private void demoteHead() {
    int at = (int) first & (slots.length - 1);
    int slot = slots[at];
    slots[at] = FREE;
    late.add(slot, ends[at], first);
    jobs.in(slot, JobTable.IN_LATE);
    skipEnded();
  }

  private void grow() {
    int length = slots.length * 2;
    int[] moreSlots = new int[length];
    long[] moreEnds = new long[length];
    for (long token = first; token < next; token++) {
      int from = (int) token & (slots.length - 1);
      int to = (int) token & (length - 1);
      moreSlots[to] = slots[from];
      moreEnds[to] = ends[from];
    }
    slots = moreSlots;
    ends = moreEnds;
  }
}
