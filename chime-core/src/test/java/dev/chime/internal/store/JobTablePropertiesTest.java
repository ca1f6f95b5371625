package dev.chime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobState;
import dev.chime.OverlapPolicy;
import dev.chime.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The store's column table against a hash-map model (adds, removes and finds over a small id space,
 * so probe runs collide, wrap and shift back), and the slot heap against a sorted set.
 */
class JobTablePropertiesTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  /** One operation: kind 0-2 (add, remove, find) on id number {@code id}. */
  record Op(int kind, int id) {}

  @Provide
  Arbitrary<List<Op>> programs() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 300))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(2_000);
  }

  @Property(tries = 200)
  void findsWhatWasAddedAndNotRemoved(@ForAll("programs") List<Op> program) {
    JobTable table = new JobTable();
    Map<String, JobInfo> model = new HashMap<>();
    for (Op op : program) {
      String id = "job-" + op.id();
      int slot = table.find(JobId.of(id));
      assertThat(slot >= 0).as("%s is in the table", id).isEqualTo(model.containsKey(id));
      if (op.kind() == 0 && slot < 0) {
        JobInfo info = info(id, op.id());
        table.add(info, 1);
        model.put(id, info);
      } else if (op.kind() == 1 && slot >= 0) {
        table.remove(slot);
        model.remove(id);
      } else if (slot >= 0) {
        assertThat(table.info(slot)).isEqualTo(model.get(id));
      }
      assertThat(table.size()).isEqualTo(model.size());
    }
    assertThat(table.slots()).hasSize(model.size());
    for (int slot : table.slots()) {
      assertThat(table.info(slot)).isEqualTo(model.get(table.id(slot).value()));
    }
  }

  /** Every third job has a non-default policy, so both plain and kept jobs are exercised. */
  private static JobInfo info(String id, int n) {
    Job.Builder builder = Job.builder(id).handler("h" + n % 3).trigger(Trigger.once(AT));
    if (n % 3 == 0) {
      builder.overlap(OverlapPolicy.skip(2)).timeout(Duration.ofSeconds(n + 1));
    }
    String note = n % 5 == 0 ? "note " + n : null;
    return new JobInfo(builder.build(), JobState.PAUSED, note, AT.plusSeconds(n), n, 1);
  }

  @Test
  void aPlainJobIsRebuiltEqualAndAnyOtherIsKeptAsItIs() {
    JobTable table = new JobTable();
    Job plain = Job.builder("plain").handler("noop").trigger(Trigger.once(AT)).build();
    Job other = Job.builder("other").handler("noop").trigger(Trigger.once(AT)).priority(7).build();
    assertThat(JobTable.isPlain(plain)).isTrue();
    assertThat(JobTable.isPlain(other)).isFalse();
    int p = table.add(new JobInfo(plain, JobState.ACTIVE, null, AT, 0, 1), 1);
    int o = table.add(new JobInfo(other, JobState.ACTIVE, null, AT, 0, 1), 1);
    assertThat(table.job(p)).isEqualTo(plain).isNotSameAs(plain);
    assertThat(table.job(p).id()).isSameAs(plain.id());
    assertThat(table.job(o)).isSameAs(other);
  }

  @Test
  void aFreedSlotIsReusedAndArrayLengthsFitG1Regions() {
    JobTable table = new JobTable();
    int first = table.add(info("a", 1), 1);
    table.remove(first);
    assertThat(table.add(info("b", 2), 1)).isEqualTo(first);
    assertThat(table.find(JobId.of("a"))).isEqualTo(-1);
    assertThat(JobTable.grown(0)).isEqualTo(48);
    assertThat(JobTable.grown(1_048_560 / 2 - 8)).isEqualTo(1_048_560);
    assertThat(Integer.bitCount(JobTable.grown(1_048_560) + 16)).isEqualTo(1);
  }

  @Test
  void aJobWhoseIdIsInTheTableIsNotAddedAgain() {
    JobTable table = new JobTable();
    int a = table.add(info("a", 1), 1);
    for (int i = 0; i < 100; i++) { // through growth of the index, ids hashed all over it
      table.add(info("x" + i, 1), 1);
    }
    assertThat(table.addIfAbsent(info("a", 9), 1)).isEqualTo(-1);
    assertThat(table.size()).isEqualTo(101);
    assertThat(table.find(JobId.of("a"))).isEqualTo(a);
    assertThat(table.info(a)).isEqualTo(info("a", 1)); // the one added first, untouched
    assertThatThrownBy(() -> table.add(info("x7", 1), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("job x7 is in the table already");
  }

  /** The slot heap: kind 0 adds slot {@code id} if absent, 1 removes it, 2 polls the first. */
  @Property(tries = 200)
  void theSlotHeapPollsByDeadlineThenAddOrder(@ForAll("programs") List<Op> program) {
    int[] positions = new int[301];
    SlotHeap heap =
        new SlotHeap(
            new SlotHeap.Positions() {
              @Override
              public int position(int slot) {
                return positions[slot];
              }

              @Override
              public void position(int slot, int index) {
                positions[slot] = index;
              }
            });
    record Item(long deadline, long order, int slot) {}
    TreeSet<Item> model =
        new TreeSet<>(Comparator.comparingLong(Item::deadline).thenComparingLong(Item::order));
    Map<Integer, Item> in = new HashMap<>();
    long order = 0;
    for (Op op : program) {
      Item item = in.get(op.id());
      if (op.kind() == 0 && item == null) {
        Item added = new Item(op.id() % 17, order++, op.id());
        heap.add(op.id(), added.deadline(), added.order());
        model.add(added);
        in.put(op.id(), added);
      } else if (op.kind() == 1 && item != null) {
        heap.remove(op.id());
        model.remove(item);
        in.remove(op.id());
      } else if (op.kind() == 2 && !model.isEmpty()) {
        Item first = model.pollFirst();
        assertThat(heap.nextDeadline()).isEqualTo(first.deadline());
        assertThat(heap.first()).isEqualTo(first.slot());
        heap.remove(first.slot());
        in.remove(first.slot());
      }
      assertThat(heap.size()).isEqualTo(model.size());
    }
    List<Integer> drained = new ArrayList<>();
    while (!heap.isEmpty()) {
      drained.add(heap.first());
      heap.remove(heap.first());
    }
    assertThat(drained).containsExactlyElementsOf(model.stream().map(Item::slot).toList());
    assertThat(heap.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }
}
