package dev.chime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The due queue against a sorted set: deadlines spread over its three parts (before the cursor, in
 * the wheel, beyond it), with removals, re-adds and freed slots, so stale entries are met in every
 * part and swept.
 */
class DueQueueTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final long BUCKET = 1L << DueQueue.SHIFT;
  private static final long BASE = 1_800_000_000L * 1_000_000_000L;

  private record Item(long deadline, long order, int slot) {}

  /**
   * One operation: kind 0-4 (add, remove, poll, add again, a claim's now), on job {@code id}, at a
   * spread.
   */
  record Op(int kind, int id, int spread) {}

  @Provide
  Arbitrary<List<Op>> programs() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 3))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(3_000);
  }

  /** A harness: a job table with one job per id, the queue, and the model beside them. */
  private static final class Harness {
    final JobTable jobs = new JobTable();
    final DueQueue queue = new DueQueue(jobs);
    final TreeSet<Item> model =
        new TreeSet<>(Comparator.comparingLong(Item::deadline).thenComparingLong(Item::order));
    final Map<Integer, Item> queued = new HashMap<>();
    final Map<Integer, Integer> slots = new HashMap<>();
    long order;

    int slot(int id) {
      return slots.computeIfAbsent(id, n -> jobs.add(info("job-" + n), 1));
    }

    void add(int id, long deadline) {
      int slot = slot(id);
      queue.add(slot, deadline);
      Item item = new Item(deadline, order++, slot);
      model.add(item);
      queued.put(id, item);
    }

    void remove(int id) {
      queue.remove(slots.get(id));
      model.remove(queued.remove(id));
      assertThat(jobs.in(slots.get(id))).isEqualTo(JobTable.IN_NONE);
    }

    /** Polls one and checks it is the model's first. */
    void poll() {
      Item first = model.pollFirst();
      assertThat(queue.nextDeadline()).isEqualTo(first.deadline());
      assertThat(queue.poll()).isEqualTo(first.slot());
      assertThat(jobs.in(first.slot())).isEqualTo(JobTable.IN_NONE);
      queued.values().remove(first);
    }

    /** Frees the job's slot (it must be in no queue) so another job can reuse it. */
    void free(int id) {
      jobs.remove(slots.remove(id));
    }

    void drainAndCheck() {
      while (!model.isEmpty()) {
        poll();
      }
      assertThat(queue.isEmpty()).isTrue();
      assertThat(queue.size()).isZero();
      assertThat(queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }
  }

  /** A deadline by spread: 0 a few buckets, 1 within the wheel, 2 beyond it, 3 far before. */
  private static long deadline(int spread, int id, int step) {
    long within =
        switch (spread) {
          case 0 -> (id % 7) * BUCKET + id;
          case 1 -> (id * 37L % DueQueue.BUCKETS) * BUCKET + id % 3;
          case 2 -> (DueQueue.BUCKETS + id * 1_000L) * BUCKET;
          default -> -(id + 1L) * DueQueue.BUCKETS * BUCKET / 3;
        };
    return BASE + within + step * (BUCKET / 2);
  }

  @Property(tries = 300)
  void pollsByDeadlineThenAddOrder(@ForAll("programs") List<Op> program) {
    Harness h = new Harness();
    int step = 0;
    for (Op op : program) {
      boolean in = h.queued.containsKey(op.id());
      switch (op.kind()) {
        case 0 -> {
          if (!in) {
            h.add(op.id(), deadline(op.spread(), op.id(), step++));
          }
        }
        case 1 -> {
          if (in) {
            h.remove(op.id());
          }
        }
        case 2 -> {
          if (!h.model.isEmpty()) {
            h.poll();
          }
        }
        case 4 -> h.queue.now(deadline(op.spread(), op.id(), step));
        default -> {
          if (in) {
            h.remove(op.id());
          } else if (h.slots.containsKey(op.id()) && op.spread() == 0) {
            h.free(op.id()); // its slot goes to the next new job, stale entries and all
          }
          if (!h.slots.containsKey(op.id()) || op.spread() != 0) {
            h.add(op.id(), deadline(op.spread(), op.id(), step++));
          }
        }
      }
      assertThat(h.queue.size()).isEqualTo(h.model.size());
    }
    h.drainAndCheck();
  }

  @Test
  void manyRemovalsAreSweptAndTheRestStillComeOutInOrder() {
    Harness h = new Harness();
    Random random = new Random(7);
    h.add(0, BASE); // the cursor goes a quarter of the wheel before it: the rest fit the wheel
    for (int id = 1; id < 5_000; id++) {
      h.add(id, BASE + random.nextLong(DueQueue.BUCKETS / 2 * BUCKET));
    }
    h.add(5_000, BASE + 4L * DueQueue.BUCKETS * BUCKET); // and one in the far heap
    for (int id = 0; id < 5_000; id += 5) {
      h.poll();
    }
    List<Integer> ids = new ArrayList<>(h.queued.keySet());
    for (int i = 0; i < ids.size(); i++) {
      if (i % 4 != 0) {
        h.remove(ids.get(i));
      }
    }
    for (int i = 0; i < ids.size(); i += 3) {
      if (!h.queued.containsKey(ids.get(i))) {
        h.add(ids.get(i), BASE + random.nextLong(DueQueue.BUCKETS * BUCKET));
      }
    }
    assertThat(h.queue.size()).isEqualTo(h.model.size());
    assertThat(h.queue.stale()).as("swept").isLessThan(1_024);
    h.drainAndCheck();
  }

  @Test
  void equalDeadlinesAcrossTheFarHeapAndTheWheelComeOutInAddOrder() {
    Harness h = new Harness();
    long later = BASE + 2L * DueQueue.BUCKETS * BUCKET;
    h.add(1, BASE); // puts the cursor a quarter wheel before BASE
    h.add(2, later); // beyond the wheel: the far heap
    h.poll(); // job 1; the wheel is empty again, so the next add moves the cursor
    h.add(3, later); // now within the wheel, the same deadline as job 2, added after it
    h.add(4, later - 1);
    h.add(5, Long.MIN_VALUE); // a saturated deadline
    h.add(6, Long.MAX_VALUE);
    h.drainAndCheck();
  }

  @Test
  void entriesForTakenBucketsGoToTheFrontUntilItIsFullThenToTheFarHeap() {
    Harness h = new Harness();
    h.add(0, BASE + 10 * BUCKET);
    h.add(1, BASE + 20 * BUCKET);
    h.poll(); // loads the bucket of job 0: the cursor is there now
    int added = DueQueue.FRONT_LIMIT + 100;
    for (int id = 2; id < 2 + added; id++) {
      h.add(id, BASE + 10 * BUCKET - id); // due before the cursor's bucket ends, latest first
    }
    long front = h.queued.keySet().stream().filter(id -> inNear(h, id)).count();
    assertThat(front).isEqualTo(DueQueue.FRONT_LIMIT + 1L); // the limit, and job 1 in the wheel
    h.drainAndCheck();
  }

  private static boolean inNear(Harness h, int id) {
    return h.jobs.in(h.slots.get(id)) == JobTable.IN_NEAR;
  }

  /**
   * The wheel starts no later than the last claim's now: a first job due an hour ahead went in the
   * wheel with the cursor a quarter wheel before it, and every job due within the next second after
   * it went to the front and then the far heap.
   */
  @Test
  void aFirstJobDueFarAheadLeavesTheWheelToTheJobsDueSooner() {
    Harness h = new Harness();
    h.queue.now(BASE);
    h.add(0, BASE + 3_600_000_000_000L);
    for (int id = 1; id <= 10_000; id++) {
      h.add(id, BASE + (id * 7919L % 1000) * 1_000_000L); // within the next second
    }
    long near = h.queued.keySet().stream().filter(id -> inNear(h, id)).count();
    assertThat(near).as("in the wheel").isEqualTo(10_000);
    assertThat(h.jobs.in(h.slots.get(0))).isEqualTo(JobTable.IN_DUE);
    h.drainAndCheck();
  }

  /**
   * Asked for its next deadline with nothing due before a job five seconds ahead, the queue looks
   * into that job's bucket rather than loading it: loaded, it put the cursor five seconds ahead of
   * now, and the jobs then added for sooner went to the front and, past its limit, the far heap.
   * With the front empty, the cursor moves up to now, so the wheel reaches 8.6 s past now.
   */
  @Test
  void theNextDeadlineLeavesABucketAfterNowInTheWheel() {
    Harness h = new Harness();
    h.queue.now(BASE);
    h.add(0, BASE + 5_000_000_000L);
    h.queue.now(BASE + 1_000_000_000L);
    assertThat(h.queue.nextDeadline()).isEqualTo(BASE + 5_000_000_000L);
    for (int id = 1; id <= DueQueue.FRONT_LIMIT + 1_000; id++) {
      h.add(id, BASE + 1_000_000_000L + (id * 7919L % 100) * 1_000_000L); // the next 100 ms
    }
    h.add(-1, BASE + 9_500_000_000L); // 8.5 s after now: within the wheel as it now stands
    assertThat(h.queued.keySet().stream().filter(id -> inNear(h, id)).count())
        .as("in the wheel")
        .isEqualTo(DueQueue.FRONT_LIMIT + 1_002L);
    h.remove(0); // the peeked earliest goes: the next deadline is found again
    assertThat(h.queue.nextDeadline()).isEqualTo(BASE + 1_000_000_000L);
    h.drainAndCheck();
  }

  /**
   * A bucket loaded into the front fills it up to its limit and sends the rest to the far heap:
   * three fronts' worth of jobs due at one instant made a front of all of them before.
   */
  @Test
  void aLoadedBucketFillsTheFrontUpToItsLimitAndTheRestGoToTheFarHeap() {
    Harness h = new Harness();
    h.queue.now(BASE);
    int jobs = 3 * DueQueue.FRONT_LIMIT;
    for (int id = 0; id < jobs; id++) {
      h.add(id, BASE + 10 * BUCKET);
    }
    h.remove(5); // a stale entry in the bucket, dropped when it is loaded
    h.queue.now(BASE + 11 * BUCKET);
    h.poll(); // loads the bucket
    assertThat(h.queued.keySet().stream().filter(id -> inNear(h, id)).count())
        .isEqualTo(DueQueue.FRONT_LIMIT - 1L);
    assertThat(h.queue.stale()).isZero();
    h.drainAndCheck(); // in add order across the front and the far heap
  }

  /** The bucket's earliest, added last, is one of those the front has no room for. */
  @Test
  void aLoadedBucketsEarliestMayGoToTheFarHeapAndStillComesOutFirst() {
    Harness h = new Harness();
    h.queue.now(BASE);
    int jobs = 2 * DueQueue.FRONT_LIMIT;
    for (int id = 0; id < jobs; id++) {
      h.add(id, BASE + 10 * BUCKET + (jobs - id)); // the latest first
    }
    h.queue.now(BASE + 11 * BUCKET);
    h.drainAndCheck();
  }

  @Test
  void aBucketOfStaleEntriesOnlyIsDroppedWhenLookedInto() {
    Harness h = new Harness();
    h.queue.now(BASE);
    h.add(0, BASE + 10 * BUCKET);
    h.add(1, BASE + 10 * BUCKET);
    h.add(2, BASE + 20 * BUCKET);
    h.remove(0);
    h.remove(1);
    assertThat(h.queue.nextDeadline()).isEqualTo(BASE + 20 * BUCKET);
    assertThat(h.queue.stale()).isZero();
    h.drainAndCheck();
  }

  /**
   * Random programs against the model, with a claim's now moving mostly forward among them, the
   * next deadline asked between changes (so a bucket after now is looked into, then appended to, or
   * its earliest removed), bursts of more than a front's worth into one bucket, and saturated
   * deadlines.
   */
  @Test
  void randomProgramsWithAMovingNowAndBurstsMatchTheModel() {
    for (long seed = 0; seed < 12; seed++) {
      Random random = new Random(seed);
      Harness h = new Harness();
      long now = BASE;
      for (int step = 0; step < 6_000; step++) {
        int op = random.nextInt(100);
        int id = random.nextInt(op < 50 ? 300 : 300 + 3 * DueQueue.FRONT_LIMIT);
        boolean in = h.queued.containsKey(id);
        if (op < 35 && !in) {
          h.add(id, randomDeadline(random, now));
        } else if (op < 50 && in) {
          h.remove(id);
        } else if (op < 70 && !h.model.isEmpty()) {
          h.poll();
        } else if (op < 80) {
          assertThat(h.queue.nextDeadline())
              .as("seed %d, step %d", seed, step)
              .isEqualTo(h.model.isEmpty() ? Long.MAX_VALUE : h.model.first().deadline());
        } else if (op < 95) {
          now += random.nextInt(10) < 8 ? random.nextLong(4 * BUCKET) : -random.nextLong(BUCKET);
          h.queue.now(now);
        } else if (op < 96) {
          long at = now + random.nextLong(8) * BUCKET;
          for (int n = 300 + random.nextInt(3 * DueQueue.FRONT_LIMIT); n > 0; n--) {
            if (!h.queued.containsKey(n)) {
              h.add(n, at + random.nextInt(1_000));
            }
          }
        } else if (!in && h.slots.containsKey(id)) {
          h.free(id);
        }
        assertThat(h.queue.size()).as("seed %d, step %d", seed, step).isEqualTo(h.model.size());
        assertThat(h.queue.stale()).isNotNegative();
      }
      h.drainAndCheck();
    }
  }

  /**
   * Mostly near now: a few buckets ahead or behind, in the wheel, about its end, beyond it, or
   * saturated.
   */
  private static long randomDeadline(Random random, long now) {
    int kind = random.nextInt(100);
    if (kind < 40) {
      return now + random.nextLong(-4, 12) * BUCKET + random.nextInt(4);
    } else if (kind < 70) {
      return now + random.nextLong(DueQueue.BUCKETS + 100) * BUCKET;
    } else if (kind < 80) {
      // About the wheel's end as it stands from now, where a cursor ahead of now or behind it
      // tells the last lap from the next.
      return now + random.nextLong(DueQueue.BUCKETS - 16, DueQueue.BUCKETS + 16) * BUCKET;
    } else if (kind < 92) {
      return now + random.nextLong(-4L * DueQueue.BUCKETS, 4L * DueQueue.BUCKETS) * BUCKET;
    }
    return random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
  }

  @Test
  void anEmptyQueueHasNoDeadline() {
    DueQueue queue = new DueQueue(new JobTable());
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }

  private static JobInfo info(String id) {
    Job job = Job.builder(id).handler("noop").trigger(Trigger.once(AT)).build();
    return new JobInfo(job, JobState.ACTIVE, null, AT, 0, 1);
  }
}
