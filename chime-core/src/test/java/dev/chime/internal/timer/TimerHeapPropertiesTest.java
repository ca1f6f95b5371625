package dev.chime.internal.timer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The heap against a sorted-set model under random adds, cancels, reschedules and drains. */
class TimerHeapPropertiesTest {

  /** One operation: kind 0-3 (add, cancel, reschedule, drain) with two small arguments. */
  record Op(int kind, int a, int b) {}

  /** The model's view of an entry: (deadline, order) sorts it; id names it. */
  record Item(long deadline, long order, int id) {}

  @Provide
  Arbitrary<List<Op>> programs() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 40))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(300);
  }

  @Property(tries = 300)
  void behavesLikeASortedSet(@ForAll("programs") List<Op> program) {
    TimerHeap<Integer> heap = new TimerHeap<>();
    TreeSet<Item> model =
        new TreeSet<>(Comparator.comparingLong(Item::deadline).thenComparingLong(Item::order));
    List<TimerHeap.Entry<Integer>> handles = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    long order = 0;
    for (Op op : program) {
      switch (op.kind()) {
        case 0 -> {
          handles.add(heap.add(op.a(), handles.size()));
          Item item = new Item(op.a(), order++, items.size());
          items.add(item);
          model.add(item);
        }
        case 1 -> {
          if (!handles.isEmpty()) {
            int id = op.a() % handles.size();
            boolean expected = model.remove(items.get(id));
            assertThat(heap.cancel(handles.get(id))).isEqualTo(expected);
          }
        }
        case 2 -> {
          if (!handles.isEmpty()) {
            int id = op.a() % handles.size();
            boolean pending = model.remove(items.get(id));
            assertThat(heap.reschedule(handles.get(id), op.b())).isEqualTo(pending);
            if (pending) {
              Item moved = new Item(op.b(), order++, id);
              items.set(id, moved);
              model.add(moved);
            }
          }
        }
        default -> {
          List<Integer> drained = new ArrayList<>();
          heap.drainDue(op.a(), Math.max(1, op.b() / 4), drained::add);
          List<Integer> expected = new ArrayList<>();
          while (expected.size() < Math.max(1, op.b() / 4)
              && !model.isEmpty()
              && model.first().deadline() <= op.a()) {
            expected.add(model.pollFirst().id());
          }
          assertThat(drained).isEqualTo(expected);
        }
      }
      assertThat(heap.size()).isEqualTo(model.size());
      assertThat(heap.nextDeadline())
          .isEqualTo(model.isEmpty() ? Long.MAX_VALUE : model.first().deadline());
    }
  }
}
