package dev.chime.internal.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the in-memory store's jobs fired before their trigger last changed ({@link
 * dev.chime.spi.JobStore#fired}), by slot: the latest occurrence a job had fired at each of its
 * last {@value #CHANGES_KEPT} trigger changes (a once job given another instant and then its first
 * one back). The latest occurrence of all is in the job's slot ({@link JobTable#fired}), written by
 * the advance that fired it; this holds only the jobs whose trigger changed after they fired, so an
 * advance never looks here.
 */
final class Fired {
  /** How many trigger changes of one job are remembered, the oldest forgotten first. */
  static final int CHANGES_KEPT = 64;

  private final Map<Integer, ArrayDeque<Instant>> changed = new HashMap<>(); // few jobs have one

  /** Whether the slot's job had fired the occurrence when one of its kept trigger changes came. */
  boolean before(int slot, Instant occurrence) {
    ArrayDeque<Instant> kept = changed.isEmpty() ? null : changed.get(slot);
    return kept != null && kept.contains(occurrence);
  }

  /** The slot's job gets another trigger: the latest occurrence it fired (if any) is kept. */
  void triggerChanged(int slot, Instant latest) {
    if (latest == null) {
      return; // it never fired
    }
    ArrayDeque<Instant> kept = changed.computeIfAbsent(slot, s -> new ArrayDeque<>());
    if (!kept.contains(latest)) {
      if (kept.size() == CHANGES_KEPT) {
        kept.removeFirst();
      }
      kept.addLast(latest);
    }
  }

  /** The slot's job is gone (deleted or dropped): what it fired is forgotten with it. */
  void forget(int slot) {
    if (!changed.isEmpty()) {
      changed.remove(slot);
    }
  }
}
