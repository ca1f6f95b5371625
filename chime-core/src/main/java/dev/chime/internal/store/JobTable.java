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

  /** In the due queue's far heap (the position is the heap index). */
  static final int IN_DUE = 1 << 2;

  static final int IN_LEASES = 2 << 2;

  /** In the due queue's front or wheel (the position holds the entry's order, see DueQueue). */
  static final int IN_NEAR = 3 << 2;

  /** In the leases' heap (the position is the heap index, see Leases). */
  static final int IN_LATE = 4 << 2;

  private static final int IN_MASK = 7 << 2;
  private static final int STATE_MASK = 3;
  private static final JobState[] STATES = JobState.values();

  // A slot's fields sit side by side in two arrays, REFS references and WORDS longs per slot, so
  // touching a job costs two cache lines, not one per field: the dispatcher reads and writes most
  // of them for every occurrence it claims, in due order, which is a random order in memory.
  private static final int REFS = 5;
  private static final int ID = 0;
  // A plain job (every field but id, handler and trigger at its default) keeps its handler name
  // here and is rebuilt when read; any other keeps its Job. See isPlain.
  private static final int SHAPE = 1;
  private static final int TRIGGER = 2;
  private static final int NEXT_FIRE_AT = 3;
  // The latest occurrence the job fired (JobStore.fired), or null: written by the advance, which
  // writes the next fire time beside it, so it costs that advance no line of its own.
  private static final int FIRED = 4;
  private static final int WORDS = 3;
  private static final int RUN_COUNT = 0;
  private static final int VERSION = 1;
  // The low half: the slot's position (its heap index, its entry's order in the due queue's
  // wheel, its stamp in the store's ring of finished jobs, or the next free slot when free); the
  // byte above: the state and queue bits; the top 24 bits: the id's hash's, so the index entry is
  // found again without reading the id (a cache miss or two at a million jobs).
  private static final int META = 2;
  private static final long POSITION_MASK = 0xFFFF_FFFFL;
  private static final long FLAGS_MASK = 0xFFL << 32;
  private static final int HASH_SHIFT = 40;
  private static final int HASH_DROPPED = 8; // the low bits of the hash not kept

  private Object[] refs = new Object[INITIAL_CAPACITY * REFS];
  private long[] words = new long[INITIAL_CAPACITY * WORDS];
  private int capacity = INITIAL_CAPACITY;
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
    int slot = addIfAbsent(info, version);
    if (slot < 0) {
      throw new IllegalStateException("job " + info.id() + " is in the table already");
    }
    return slot;
  }

  /**
   * Adds the job with the version and returns its slot, or -1 if a job with its id is in the table:
   * one probe, the empty bucket it ends at being where the new entry goes (a find and then an add
   * probed twice and mixed the hash twice, on {@code schedule()}'s path).
   */
  int addIfAbsent(JobInfo info, long version) {
    if ((size + 1) * 4L > index.length * 3L) {
      rehash(grown(index.length));
    }
    JobId id = info.id();
    int hash = hash(id);
    int bucket = bucket(hash);
    for (long entry; (entry = index[bucket]) != 0; bucket = next(bucket)) {
      if ((int) (entry >>> 32) == hash && is((int) entry - 1, id)) {
        return -1;
      }
    }
    int slot = allocate();
    refs[slot * REFS + ID] = id;
    words[slot * WORDS + META] = (long) (hash >>> HASH_DROPPED) << HASH_SHIFT;
    set(slot, info, version);
    index[bucket] = (long) hash << 32 | (slot + 1);
    size++;
    return slot;
  }

  /** Replaces the job's definition and state (not its token or queue). */
  void set(int slot, JobInfo info, long version) {
    Job job = info.job();
    int r = slot * REFS;
    refs[r + SHAPE] = isPlain(job) ? job.handler() : job;
    refs[r + TRIGGER] = job.trigger();
    note(slot, info.note());
    refs[r + NEXT_FIRE_AT] = info.nextFireAt();
    int w = slot * WORDS;
    words[w + RUN_COUNT] = info.runCount();
    words[w + VERSION] = version;
    flags(slot, (flags(slot) & IN_MASK) | info.state().ordinal());
  }

  /** Removes the job in the slot and frees the slot. */
  void remove(int slot) {
    // The kept top bits give a bucket at or before the entry's home: the probe finds it from there.
    int hole = bucket((int) (words[slot * WORDS + META] >>> HASH_SHIFT) << HASH_DROPPED);
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
    Arrays.fill(refs, slot * REFS, slot * REFS + REFS, null);
    note(slot, null);
    words[slot * WORDS + META] = free & POSITION_MASK; // no state or queue bits: free
    free = slot;
    size--;
  }

  /**
   * The job as a {@link JobInfo} (a plain job's {@link Job} is made anew, equal to the one put).
   */
  JobInfo info(int slot) {
    return info(slot, nextFireAt(slot));
  }

  /** The job as a {@link JobInfo} with its next fire time given (equal to the one put). */
  JobInfo info(int slot, Instant nextFireAt) {
    int w = slot * WORDS;
    return new JobInfo(
        job(slot), state(slot), note(slot), nextFireAt, words[w + RUN_COUNT], words[w + VERSION]);
  }

  Job job(int slot) {
    int r = slot * REFS;
    Object shape = refs[r + SHAPE];
    if (shape instanceof Job job) {
      return job;
    }
    return new Job(
        (JobId) refs[r + ID],
        (String) shape,
        Map.of(),
        (Trigger) refs[r + TRIGGER],
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
    return (JobId) refs[slot * REFS + ID];
  }

  /** Whether the slot holds the job with the id (the same instance, as a claim's is, is quick). */
  boolean is(int slot, JobId id) {
    JobId held = id(slot);
    return held == id || held != null && held.value().equals(id.value());
  }

  JobState state(int slot) {
    return STATES[flags(slot) & STATE_MASK];
  }

  void state(int slot, JobState state) {
    flags(slot, (flags(slot) & IN_MASK) | state.ordinal());
  }

  /**
   * The first {@code count} slots' id hashes folded into one. Called for its reads: each slot's
   * references, its {@code JobId} and that one's string (and a one-shot trigger and its instant)
   * are fetched while the next slots' are, instead of one cache miss after another as the claim and
   * then the engine use them (the id's string hash keys the engine's map of runs per job).
   */
  int touchIds(int[] slots, int count) {
    int folded = 0;
    for (int i = 0; i < count; i++) {
      int r = slots[i] * REFS;
      folded ^= ((JobId) refs[r + ID]).value().hashCode();
      if (refs[r + TRIGGER] instanceof Trigger.Once once) { // the engine reads its instant next
        folded ^= once.at().getNano();
      }
    }
    return folded;
  }

  /**
   * Reads the slot's words: called for the read, so that the cache line a later {@link #finishedAs}
   * of the slot needs is on its way early (see {@link #touchBucket}).
   */
  long touchWords(int slot) {
    return words[slot * WORDS + META];
  }

  /**
   * Reads the id index's bucket for the slot, from the hash bits its words keep: called for the
   * read, some time after {@link #touchWords} of the slot, so that the words are in the cache by
   * then and the line a later {@link #remove} needs is on its way.
   */
  long touchBucket(int slot) {
    return index[bucket((int) (words[slot * WORDS + META] >>> HASH_SHIFT) << HASH_DROPPED)];
  }

  /**
   * Whether the slot holds a finished job in no queue whose position is {@code stamp}: the store
   * stamps a job so when it finishes, and any later change of the job or its slot moves the
   * position on or clears the state, so this reads one word and no id.
   */
  boolean finishedAs(int slot, int stamp) {
    long meta = words[slot * WORDS + META];
    return (int) meta == stamp
        && (int) ((meta & FLAGS_MASK) >>> 32) == (IN_NONE | JobState.FINISHED.ordinal());
  }

  /** The state and queue bits. */
  private int flags(int slot) {
    return (int) ((words[slot * WORDS + META] & FLAGS_MASK) >>> 32);
  }

  private void flags(int slot, int flags) {
    int at = slot * WORDS + META;
    words[at] = (long) flags << 32 | (words[at] & ~FLAGS_MASK);
  }

  /**
   * Which queue the slot is in: {@link #IN_NONE}, {@link #IN_DUE}, {@link #IN_NEAR} or {@link
   * #IN_LEASES}.
   */
  int in(int slot) {
    return flags(slot) & IN_MASK;
  }

  void in(int slot, int queue) {
    flags(slot, (flags(slot) & STATE_MASK) | queue);
  }

  Trigger trigger(int slot) {
    return (Trigger) refs[slot * REFS + TRIGGER];
  }

  /** The latest occurrence the slot's job fired, or null if none (since it was added). */
  Instant fired(int slot) {
    return (Instant) refs[slot * REFS + FIRED];
  }

  void fired(int slot, Instant occurrence) {
    refs[slot * REFS + FIRED] = occurrence;
  }

  Instant nextFireAt(int slot) {
    return (Instant) refs[slot * REFS + NEXT_FIRE_AT];
  }

  void nextFireAt(int slot, Instant next) {
    refs[slot * REFS + NEXT_FIRE_AT] = next;
  }

  void runCount(int slot, long count) {
    words[slot * WORDS + RUN_COUNT] = count;
  }

  long version(int slot) {
    return words[slot * WORDS + VERSION];
  }

  /** A new version of the job in the slot (its fire time or run count moved on). */
  void bumpVersion(int slot) {
    words[slot * WORDS + VERSION]++;
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

  /**
   * The slot's tag: the low half of its word, which it uses as its position while in a heap and as
   * a tag otherwise (its order in the due queue's wheel, its token in the leases' ring, its stamp
   * among finished jobs), told apart by its queue mark.
   */
  int tag(int slot) {
    return position(slot);
  }

  void tag(int slot, int tag) {
    position(slot, tag);
  }

  @Override
  public int position(int slot) {
    return (int) words[slot * WORDS + META];
  }

  @Override
  public void position(int slot, int at) {
    int w = slot * WORDS + META;
    words[w] = (words[w] & ~POSITION_MASK) | (at & POSITION_MASK);
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
      free = position(slot);
      return slot;
    }
    if (used == capacity) {
      capacity = grown(used);
      refs = Arrays.copyOf(refs, capacity * REFS);
      words = Arrays.copyOf(words, capacity * WORDS);
    }
    return used++;
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
