package dev.chime.internal.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The occurrences the in-memory store's jobs fired ({@link dev.chime.spi.JobStore#fired}), by slot:
 * each job's latest, which every applied advance sets, and the latest it had at each of its last
 * {@value #CHANGES_KEPT} trigger changes, which an update keeps (a once job given another instant
 * and then its first one back). Only a job that fired has an entry, in an open-addressing table of
 * slots beside their instants (linear probing, backward-shift deletion), so a pending job costs
 * nothing here (the per-job figures of the package notes stand) and an advance probes a table as
 * large as the jobs that fired and are still kept, not one as large as every job.
 */
final class Fired {
  /** How many trigger changes of one job are remembered, the oldest forgotten first. */
  static final int CHANGES_KEPT = 64;

  private int[] slots = new int[16]; // slot + 1; 0 is an empty bucket
  private Instant[] latest = new Instant[16];
  private int size;
  private final Map<Integer, ArrayDeque<Instant>> changed = new HashMap<>(); // few jobs have one

  /** Notes the slot's job fired the occurrence, its latest. */
  void fire(int slot, Instant occurrence) {
    if ((size + 1) * 4L > slots.length * 3L) {
      grow();
    }
    int bucket = find(slot);
    if (slots[bucket] == 0) {
      slots[bucket] = slot + 1;
      size++;
    }
    latest[bucket] = occurrence;
  }

  /** Whether the slot's job fired the occurrence, as far as this remembers. */
  boolean fired(int slot, Instant occurrence) {
    int bucket = find(slot);
    if (slots[bucket] != 0 && latest[bucket].equals(occurrence)) {
      return true;
    }
    ArrayDeque<Instant> before = changed.isEmpty() ? null : changed.get(slot);
    return before != null && before.contains(occurrence);
  }

  /** The slot's job gets another trigger: its latest occurrence is kept beside the new ones. */
  void triggerChanged(int slot) {
    int bucket = find(slot);
    if (slots[bucket] == 0) {
      return; // it never fired
    }
    ArrayDeque<Instant> before = changed.computeIfAbsent(slot, s -> new ArrayDeque<>());
    if (!before.contains(latest[bucket])) {
      if (before.size() == CHANGES_KEPT) {
        before.removeFirst();
      }
      before.addLast(latest[bucket]);
    }
  }

  /** The slot's job is gone (deleted or dropped): what it fired is forgotten with it. */
  void forget(int slot) {
    if (!changed.isEmpty()) {
      changed.remove(slot);
    }
    int hole = find(slot);
    if (slots[hole] == 0) {
      return;
    }
    size--;
    for (int at = next(hole); slots[at] != 0; at = next(at)) {
      int home = home(slots[at] - 1);
      if (distance(home, at) >= distance(hole, at)) {
        slots[hole] = slots[at];
        latest[hole] = latest[at];
        hole = at;
      }
    }
    slots[hole] = 0;
    latest[hole] = null;
  }

  /** The slot's bucket, or the empty one where it would go. */
  private int find(int slot) {
    int bucket = home(slot);
    while (slots[bucket] != 0 && slots[bucket] != slot + 1) {
      bucket = next(bucket);
    }
    return bucket;
  }

  private int home(int slot) {
    return (slot * 0x9E3779B9) >>> (Integer.numberOfLeadingZeros(slots.length) + 1);
  }

  private int next(int bucket) {
    return (bucket + 1) & (slots.length - 1);
  }

  private int distance(int from, int to) {
    return (to - from) & (slots.length - 1);
  }

  private void grow() {
    int[] oldSlots = slots;
    Instant[] oldLatest = latest;
    slots = new int[oldSlots.length * 2];
    latest = new Instant[oldSlots.length * 2];
    for (int i = 0; i < oldSlots.length; i++) {
      if (oldSlots[i] != 0) {
        int bucket = find(oldSlots[i] - 1);
        slots[bucket] = oldSlots[i];
        latest[bucket] = oldLatest[i];
      }
    }
  }
}
