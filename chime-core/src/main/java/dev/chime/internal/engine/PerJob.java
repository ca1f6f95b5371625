package dev.chime.internal.engine;

import dev.chime.JobId;
import dev.chime.internal.engine.Engine.JobRuns;

/**
 * The engine's {@link JobRuns} by job id, for the jobs that have a run admitted or queued: a
 * chained hash table whose nodes are the {@code JobRuns} themselves, each keeping its id and the
 * id's hash. A run that ends holds its {@code JobRuns}, so taking an empty one out reads no id: at
 * a million one-shot jobs the id and its string were cold by the time the run ended (a cache miss
 * each), and a {@code HashMap}'s removal by key hashing them was a third of a worker's time in the
 * executions benchmark (docs/benchmarks.md). Guarded by the engine's lock.
 */
final class PerJob {
  private JobRuns[] table = new JobRuns[16];
  private int size;

  /** The job's runs, or null when it has none admitted or queued. */
  JobRuns get(JobId id) {
    int hash = hash(id);
    for (JobRuns runs = table[hash & (table.length - 1)]; runs != null; runs = runs.next) {
      if (runs.hash == hash && runs.id.equals(id)) {
        return runs;
      }
    }
    return null;
  }

  boolean containsKey(JobId id) {
    return get(id) != null;
  }

  /** The job's runs, made (empty) and kept if it had none. */
  JobRuns of(JobId id) {
    JobRuns found = get(id);
    if (found != null) {
      return found;
    }
    if (size + 1 > table.length * 3 / 4) {
      grow();
    }
    JobRuns runs = new JobRuns(id, hash(id));
    int at = runs.hash & (table.length - 1);
    runs.next = table[at];
    table[at] = runs;
    size++;
    return runs;
  }

  /** Takes the runs out (they must be in the table), by their own hash and identity. */
  void remove(JobRuns runs) {
    int at = runs.hash & (table.length - 1);
    JobRuns previous = null;
    for (JobRuns node = table[at]; node != null; previous = node, node = node.next) {
      if (node == runs) {
        if (previous == null) {
          table[at] = node.next;
        } else {
          previous.next = node.next;
        }
        node.next = null;
        size--;
        return;
      }
    }
    throw new IllegalStateException("the runs of job " + runs.id + " were not in the table");
  }

  int size() {
    return size;
  }

  private void grow() {
    JobRuns[] old = table;
    table = new JobRuns[old.length * 2];
    for (JobRuns head : old) {
      for (JobRuns node = head; node != null; ) {
        JobRuns next = node.next;
        int at = node.hash & (table.length - 1);
        node.next = table[at];
        table[at] = node;
        node = next;
      }
    }
  }

  /** The id's hash, its high bits folded into the low ones the table indexes by. */
  private static int hash(JobId id) {
    int h = id.hashCode();
    return h ^ (h >>> 16);
  }
}
