package dev.chime.internal.store;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory store's jobs as columns: a job is an int slot, its fields sit in one array each,
 * and an open-addressing hash index maps ids to slots. See the package notes for why (heap per
 * pending job); not thread-safe, the store's monitor guards it.
 */
final class JobTable implements SlotHeap.Positions {
  private static final int INITIAL_CAPACITY = grown(0);
  // Array lengths are a power of two less the array header (16 bytes, in elements of the smallest
  // element type): a G1 region holds a humongous array of such a length with no waste, while one
  // of exactly 2^k elements spills 16 bytes into another whole region (at 1M jobs that was 53 of
  // 247 bytes per pending job with 4 MiB regions).
  private static final int HEADER_ELEMENTS = 16;

  /** Where a slot is queued, kept in the state byte beside the job's state. */
  static final int IN_NONE = 0;

  static final int IN_DUE = 1 << 2;
  static final int IN_LEASES = 2 << 2;
  private static final int IN_MASK = 3 << 2;
  private static final int STATE_MASK = 3;
  private static final JobState[] STATES = JobState.values();

  private JobId[] ids = new JobId[INITIAL_CAPACITY];
  // A plain job (every field but id, handler and trigger at its default) keeps its handler name
  // here and is rebuilt when read; any other keeps its Job. See isPlain.
  private Object[] shapes = new Object[INITIAL_CAPACITY];
  private Trigger[] triggers = new Trigger[INITIAL_CAPACITY];
  private Instant[] nextFireAts = new Instant[INITIAL_CAPACITY];
  private long[] runCounts = new long[INITIAL_CAPACITY];
  private long[] versions = new long[INITIAL_CAPACITY];
  private int[] positions = new int[INITIAL_CAPACITY]; // heap index; next free slot when free
  private byte[] states = new byte[INITIAL_CAPACITY];
  // Per bucket: the id's hash in the high half, slot + 1 in the low half; 0 = empty. With the
  // hash beside the slot a probe compares ids only when the hashes agree, and a deletion finds
  // each entry's home bucket without reading the id (each read of an id is a cache miss or
  // three at 1M jobs: with ints a lookup cost 1.2 us).
  private long[] index = new long[grown(INITIAL_CAPACITY)];
  private final Map<Integer, String> notes = new HashMap<>(); // few jobs have a note (paused)
  private int used; // slots ever handed out
  private int free = -1; // the first free slot, chained through positions
  private int size;

  int size() {
    return size;
  }

  /** The slot of the job with the id, or -1. */
  int find(JobId id) {
    int hash = hash(id);
    for (int bucket = bucket(hash); ; bucket = next(bucket)) {
      long entry = index[bucket];
      if (entry == 0) {
        return -1;
      }
      int slot = (int) entry - 1;
      if ((int) (entry >>> 32) == hash && is(slot, id)) {
        return slot;
      }
    }
  }

  /** Adds the job (its id must not be in the table) with the version; returns its slot. */
  int add(JobInfo info, long version) {
    if ((size + 1) * 4L > index.length * 3L) {
      rehash(grown(index.length));
    }
    int slot = allocate();
    ids[slot] = info.id();
    set(slot, info, version);
    put((long) hash(info.id()) << 32 | (slot + 1));
    size++;
    return slot;
  }

  /** Replaces the job's definition and state (not its token or queue). */
  void set(int slot, JobInfo info, long version) {
    Job job = info.job();
    shapes[slot] = isPlain(job) ? job.handler() : job;
    triggers[slot] = job.trigger();
    note(slot, info.note());
    nextFireAts[slot] = info.nextFireAt();
    runCounts[slot] = info.runCount();
    versions[slot] = version;
    states[slot] = (byte) ((states[slot] & IN_MASK) | info.state().ordinal());
  }

  /** Removes the job in the slot and frees the slot. */
  void remove(int slot) {
    remove(slot, hash(slot));
  }

  /** Removes the job in the slot, whose {@link #hash} is given. */
  void remove(int slot, int hash) {
    int hole = bucket(hash);
    while ((int) index[hole] != slot + 1) {
      hole = next(hole);
    }
    // Backward-shift deletion: later entries of the probe run move up, so no tombstones.
    for (int at = next(hole); index[at] != 0; at = next(at)) {
      int home = bucket((int) (index[at] >>> 32));
      if (distance(home, at) >= distance(hole, at)) {
        index[hole] = index[at];
        hole = at;
      }
    }
    index[hole] = 0;
    ids[slot] = null;
    shapes[slot] = null;
    triggers[slot] = null;
    note(slot, null);
    nextFireAts[slot] = null;
    states[slot] = 0;
    positions[slot] = free;
    free = slot;
    size--;
  }

  /**
   * The job as a {@link JobInfo} (a plain job's {@link Job} is made anew, equal to the one put).
   */
  JobInfo info(int slot) {
    return new JobInfo(
        job(slot), state(slot), note(slot), nextFireAts[slot], runCounts[slot], versions[slot]);
  }

  Job job(int slot) {
    Object shape = shapes[slot];
    if (shape instanceof Job job) {
      return job;
    }
    return new Job(
        ids[slot],
        (String) shape,
        Map.of(),
        triggers[slot],
        null,
        RetryPolicy.NONE,
        OverlapPolicy.SKIP,
        MisfirePolicy.RUN_ONCE,
        Job.DEFAULT_PRIORITY,
        null,
        0,
        null,
        Set.of(),
        null,
        null);
  }

  /** Whether the job is what {@link #job} rebuilds from its id, handler and trigger. */
  static boolean isPlain(Job job) {
    return job.code() == null
        && job.params().isEmpty()
        && job.timeout() == null
        && same(job.retry(), RetryPolicy.NONE)
        && same(job.overlap(), OverlapPolicy.SKIP)
        && same(job.misfire(), MisfirePolicy.RUN_ONCE)
        && job.priority() == Job.DEFAULT_PRIORITY
        && job.group() == null
        && job.maxRuns() == 0
        && job.endAt() == null
        && job.labels().isEmpty()
        && Job.OWNER_CODE.equals(job.owner());
  }

  /** Equal values, the shared default instance (the usual case) found without comparing parts. */
  private static boolean same(Object value, Object shared) {
    return value == shared || value.equals(shared);
  }

  JobId id(int slot) {
    return ids[slot];
  }

  /** Whether the slot holds the job with the id (the same instance, as a claim's is, is quick). */
  boolean is(int slot, JobId id) {
    JobId held = ids[slot];
    return held == id || held != null && held.value().equals(id.value());
  }

  JobState state(int slot) {
    return STATES[states[slot] & STATE_MASK];
  }

  void state(int slot, JobState state) {
    states[slot] = (byte) ((states[slot] & IN_MASK) | state.ordinal());
  }

  /** Which queue the slot is in: {@link #IN_NONE}, {@link #IN_DUE} or {@link #IN_LEASES}. */
  int in(int slot) {
    return states[slot] & IN_MASK;
  }

  void in(int slot, int queue) {
    states[slot] = (byte) ((states[slot] & STATE_MASK) | queue);
  }

  Instant nextFireAt(int slot) {
    return nextFireAts[slot];
  }

  void nextFireAt(int slot, Instant next) {
    nextFireAts[slot] = next;
  }

  void runCount(int slot, long count) {
    runCounts[slot] = count;
  }

  long version(int slot) {
    return versions[slot];
  }

  /** A new version of the job in the slot (its fire time or run count moved on). */
  void bumpVersion(int slot) {
    versions[slot]++;
  }

  private String note(int slot) {
    return notes.isEmpty() ? null : notes.get(slot);
  }

  private void note(int slot, String note) {
    if (note != null) {
      notes.put(slot, note);
    } else if (!notes.isEmpty()) {
      notes.remove(slot);
    }
  }

  @Override
  public int position(int slot) {
    return positions[slot];
  }

  @Override
  public void position(int slot, int at) {
    positions[slot] = at;
  }

  /** Every job's slot, in no particular order. */
  int[] slots() {
    int[] all = new int[size];
    int n = 0;
    for (long entry : index) {
      if (entry != 0) {
        all[n++] = (int) entry - 1;
      }
    }
    return all;
  }

  /** The hash the index files the slot's id under. */
  int hash(int slot) {
    return hash(ids[slot]);
  }

  /**
   * The id's string hash through murmur3's finaliser: ids like "job-1234" have string hashes close
   * together, and the bucket is taken from the high bits, which the finaliser spreads.
   */
  private static int hash(JobId id) {
    int h = id.value().hashCode(); // not the record's: its bootstrap method costs more
    h = (h ^ (h >>> 16)) * 0x85EB_CA6B;
    h = (h ^ (h >>> 13)) * 0xC2B2_AE35;
    return h ^ (h >>> 16);
  }

  /** The hash's home bucket, scaled to the index's length (which is no power of two). */
  private int bucket(int hash) {
    return (int) ((hash & 0xFFFF_FFFFL) * index.length >>> 32);
  }

  private int next(int bucket) {
    return bucket + 1 == index.length ? 0 : bucket + 1;
  }

  /** How many steps a probe takes from bucket {@code from} to {@code to}, wrapping around. */
  private int distance(int from, int to) {
    return to >= from ? to - from : to + index.length - from;
  }

  private void put(long entry) {
    int bucket = bucket((int) (entry >>> 32));
    while (index[bucket] != 0) {
      bucket = next(bucket);
    }
    index[bucket] = entry;
  }

  /** The array length after {@code length}: twice as large, still a power of two less 16. */
  static int grown(int length) {
    return Math.max(64, (length + HEADER_ELEMENTS) * 2) - HEADER_ELEMENTS;
  }

  private int allocate() {
    if (free >= 0) {
      int slot = free;
      free = positions[slot];
      return slot;
    }
    if (used == ids.length) {
      grow(grown(used));
    }
    return used++;
  }

  private void grow(int capacity) {
    ids = Arrays.copyOf(ids, capacity);
    shapes = Arrays.copyOf(shapes, capacity);
    triggers = Arrays.copyOf(triggers, capacity);
    nextFireAts = Arrays.copyOf(nextFireAts, capacity);
    runCounts = Arrays.copyOf(runCounts, capacity);
    versions = Arrays.copyOf(versions, capacity);
    positions = Arrays.copyOf(positions, capacity);
    states = Arrays.copyOf(states, capacity);
  }

  private void rehash(int buckets) {
    long[] old = index;
    index = new long[buckets];
    for (long entry : old) {
      if (entry != 0) {
        put(entry);
      }
    }
  }
}
