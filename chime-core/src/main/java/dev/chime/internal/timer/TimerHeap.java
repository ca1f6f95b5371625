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

  private Entry<T>[] heap = newArray(INITIAL_CAPACITY);
  private int size;
  private long sequence;

  /** One pending deadline; a handle for {@link #cancel} and {@link #reschedule}. */
  public static final class Entry<T> {
    private long deadline;
    private long order;
    private final T payload;
    private int slot = -1;

    private Entry(long deadline, long order, T payload) {
      this.deadline = deadline;
      this.order = order;
      this.payload = payload;
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

    private boolean before(Entry<?> other) {
      return deadline < other.deadline || deadline == other.deadline && order < other.order;
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
    return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
  }

  /** Adds an entry due at {@code deadline}; entries with equal deadlines come out in add order. */
  public Entry<T> add(long deadline, T payload) {
    Objects.requireNonNull(payload, "payload must not be null");
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    Entry<T> entry = new Entry<>(deadline, sequence++, payload);
    siftUp(size++, entry);
    return entry;
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
    entry.order = sequence++;
    int slot = entry.slot;
    siftUp(slot, entry);
    if (entry.slot == slot) {
      siftDown(slot, entry);
    }
    return true;
  }

  /**
   * Removes up to {@code max} entries due at or before {@code now}, earliest first, handing each
   * payload to {@code sink}; returns how many.
   */
  public int drainDue(long now, int max, Consumer<? super T> sink) {
    int drained = 0;
    while (drained < max && size > 0 && heap[0].deadline <= now) {
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
    Entry<T> removed = heap[slot];
    removed.slot = -1;
    Entry<T> last = heap[--size];
    heap[size] = null;
    if (slot == size) {
      return;
    }
    siftUp(slot, last);
    if (last.slot == slot) {
      siftDown(slot, last);
    }
  }

  private void siftUp(int slot, Entry<T> entry) {
    while (slot > 0) {
      int parent = (slot - 1) / ARITY;
      Entry<T> above = heap[parent];
      if (!entry.before(above)) {
        break;
      }
      place(slot, above);
      slot = parent;
    }
    place(slot, entry);
  }

  private void siftDown(int slot, Entry<T> entry) {
    while (true) {
      int first = slot * ARITY + 1;
      if (first >= size) {
        break;
      }
      int best = first;
      int end = Math.min(first + ARITY, size);
      for (int child = first + 1; child < end; child++) {
        if (heap[child].before(heap[best])) {
          best = child;
        }
      }
      if (!heap[best].before(entry)) {
        break;
      }
      place(slot, heap[best]);
      slot = best;
    }
    place(slot, entry);
  }

  private void place(int slot, Entry<T> entry) {
    heap[slot] = entry;
    entry.slot = slot;
  }
}
