package dev.chime.internal.store;

import java.util.Arrays;

/**
 * Job slots (the {@link JobTable}'s int indexes) ordered by (deadline, an order the caller gives):
 * the same indexed 4-ary heap as {@code dev.chime.internal.timer.TimerHeap}, but over ints, with
 * each slot's place in the heap kept by the table ({@link Positions}) rather than in an entry
 * object. A job costs 20 bytes here (its slot number and the two keys) and nothing else.
 */
final class SlotHeap {
  private static final int ARITY = 4;
  private static final int INITIAL_CAPACITY = JobTable.grown(0);

  /** Where each slot sits in the heap it is in; shared by heaps a slot is in one at a time. */
  interface Positions {
    /** The slot's index in its heap. */
    int position(int slot);

    /** Notes the slot's index in its heap. */
    void position(int slot, int index);
  }

  private final Positions positions;
  private int[] slots = new int[INITIAL_CAPACITY];
  private long[] deadlines = new long[INITIAL_CAPACITY];
  private long[] orders = new long[INITIAL_CAPACITY];
  private int size;

  SlotHeap(Positions positions) {
    this.positions = positions;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
  long nextDeadline() {
    return size == 0 ? Long.MAX_VALUE : deadlines[0];
  }

  /** The order the earliest slot was added with (the heap must not be empty). */
  long firstOrder() {
    return orders[0];
  }

  /** The slot with the earliest deadline (the heap must not be empty). */
  int first() {
    return slots[0];
  }

  /**
   * Adds a slot that is in no heap with its own tie-breaking {@code order} (which the caller keeps
   * unique and, for add-order ties, increasing), readable back through {@link #order}.
   */
  void add(int slot, long deadline, long order) {
    if (size == slots.length) {
      int capacity = JobTable.grown(size);
      slots = Arrays.copyOf(slots, capacity);
      deadlines = Arrays.copyOf(deadlines, capacity);
      orders = Arrays.copyOf(orders, capacity);
    }
    siftUp(size++, slot, deadline, order);
  }

  /** The order a slot in this heap was added with. */
  long order(int slot) {
    return orders[positions.position(slot)];
  }

  /** Removes a slot that is in this heap. */
  void remove(int slot) {
    int at = positions.position(slot);
    int last = --size;
    if (at != last) {
      int moved = slots[last];
      long deadline = deadlines[last];
      long order = orders[last];
      siftUp(at, moved, deadline, order);
      if (positions.position(moved) == at) {
        siftDown(at, moved, deadline, order);
      }
    }
  }

  private boolean before(long deadline, long order, int index) {
    long other = deadlines[index];
    return deadline < other || deadline == other && order < orders[index];
  }

  private void siftUp(int index, int slot, long deadline, long order) {
    while (index > 0) {
      int parent = (index - 1) / ARITY;
      if (!before(deadline, order, parent)) {
        break;
      }
      place(index, slots[parent], deadlines[parent], orders[parent]);
      index = parent;
    }
    place(index, slot, deadline, order);
  }

  private void siftDown(int index, int slot, long deadline, long order) {
    while (true) {
      int first = index * ARITY + 1;
      if (first >= size) {
        break;
      }
      int best = first;
      int end = Math.min(first + ARITY, size);
      for (int child = first + 1; child < end; child++) {
        if (before(deadlines[child], orders[child], best)) {
          best = child;
        }
      }
      if (before(deadline, order, best)) {
        break;
      }
      place(index, slots[best], deadlines[best], orders[best]);
      index = best;
    }
    place(index, slot, deadline, order);
  }

  private void place(int index, int slot, long deadline, long order) {
    slots[index] = slot;
    deadlines[index] = deadline;
    orders[index] = order;
    positions.position(slot, index);
  }
}
