package dev.chime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The leases against a model: leases taken with ends in order and out of it, ended, expired, and
 * tokens checked, current and stale ones alike.
 */
class LeasesTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  /** One operation: kind 0-3 (lease, end, expire, check a stale token) on slot {@code n}. */
  record Op(int kind, int n, int shift) {}

  @Provide
  Arbitrary<List<Op>> programs() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(-3, 10))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(2_000);
  }

  private static final class Harness {
    final JobTable jobs = new JobTable();
    final Leases leases = new Leases(jobs);
    final List<Integer> slots = new ArrayList<>();
    final Map<Integer, long[]> held = new HashMap<>(); // slot -> (token, end)
    final Map<Integer, Long> ended = new HashMap<>(); // slot -> its last ended token

    Harness(int count) {
      for (int i = 0; i < count; i++) {
        Job job = Job.builder("job-" + i).handler("noop").trigger(Trigger.once(AT)).build();
        slots.add(jobs.add(new JobInfo(job, JobState.ACTIVE, null, AT, 0, 1), 1));
      }
    }

    void lease(int slot, long end) {
      long token = leases.lease(slot, end);
      held.put(slot, new long[] {token, end});
      assertThat(leases.holds(slot, token)).isTrue();
    }

    void end(int slot) {
      leases.end(slot);
      ended.put(slot, held.remove(slot)[0]);
      assertThat(jobs.in(slot)).isEqualTo(JobTable.IN_NONE);
    }

    /** Expires what ended at or before {@code now} and checks it is exactly the model's. */
    void expire(long now) {
      List<Integer> expected =
          held.entrySet().stream()
              .filter(e -> e.getValue()[1] <= now)
              .map(Map.Entry::getKey)
              .sorted()
              .toList();
      List<Integer> got = new ArrayList<>();
      for (int slot; (slot = leases.expired(now)) >= 0; ) {
        got.add(slot);
        ended.put(slot, held.remove(slot)[0]);
      }
      assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }

    void check() {
      assertThat(leases.size()).isEqualTo(held.size());
      held.forEach((slot, lease) -> assertThat(leases.holds(slot, lease[0])).isTrue());
      ended.forEach((slot, token) -> assertThat(leases.holds(slot, token)).as("stale").isFalse());
    }
  }

  @Property(tries = 300)
  void holdsEndsAndExpiresAsTheModel(@ForAll("programs") List<Op> program) {
    Harness h = new Harness(61);
    long now = 0;
    long end = 100;
    for (Op op : program) {
      int slot = h.slots.get(op.n());
      switch (op.kind()) {
        case 0 -> {
          if (!h.held.containsKey(slot)) {
            end += op.shift(); // mostly later than the last, sometimes earlier: the heap
            h.lease(slot, end);
          }
        }
        case 1 -> {
          if (h.held.containsKey(slot)) {
            h.end(slot);
          }
        }
        case 2 -> {
          now += op.shift() + 3;
          h.expire(now);
        }
        default -> h.check();
      }
    }
    h.check();
    h.expire(Long.MAX_VALUE);
    assertThat(h.leases.size()).isZero();
  }

  @Test
  void aLeaseKeptWhileTheRingFillsMovesToTheHeapAndStillHoldsAndExpires() {
    Harness h = new Harness(3);
    int kept = h.slots.get(0);
    int busy = h.slots.get(1);
    h.lease(kept, 1_000);
    for (int i = 0; i < Leases.RING_LIMIT + 10; i++) {
      h.lease(busy, 2_000 + i);
      h.end(busy);
    }
    assertThat(h.jobs.in(kept)).isEqualTo(JobTable.IN_LATE);
    h.check();
    h.lease(h.slots.get(2), 500_000);
    h.expire(1_000);
    h.check();
    h.expire(Long.MAX_VALUE);
    assertThat(h.leases.size()).isZero();
  }
}
