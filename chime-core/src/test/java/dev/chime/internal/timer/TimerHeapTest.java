package dev.chime.internal.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerHeapTest {

  private static List<String> drain(TimerHeap<String> heap, long now, int max) {
    List<String> out = new ArrayList<>();
    heap.drainDue(now, max, out::add);
    return out;
  }

  @Test
  void drainsDueEntriesEarliestFirstAndTiesInAddOrder() {
    TimerHeap<String> heap = new TimerHeap<>();
    heap.add(30, "c");
    heap.add(10, "a1");
    heap.add(20, "b");
    heap.add(10, "a2");
    heap.add(40, "d");
    assertThat(heap.size()).isEqualTo(5);
    assertThat(heap.nextDeadline()).isEqualTo(10);
    assertThat(drain(heap, 30, 100)).containsExactly("a1", "a2", "b", "c");
    assertThat(heap.nextDeadline()).isEqualTo(40);
    assertThat(drain(heap, 39, 100)).isEmpty();
  }

  @Test
  void drainStopsAtTheBatchLimit() {
    TimerHeap<String> heap = new TimerHeap<>();
    for (int i = 0; i < 10; i++) {
      heap.add(i, "e" + i);
    }
    assertThat(drain(heap, 100, 3)).containsExactly("e0", "e1", "e2");
    assertThat(heap.size()).isEqualTo(7);
  }

  /** An entry that is its own payload, as the in-memory store's job slots are. */
  private static final class Own extends TimerHeap.Entry<Own> {
    final String name;

    Own(String name) {
      this.name = name;
    }
  }

  @Test
  void anEntryThatCarriesItselfMovesBetweenHeapsAndIsNeverInTwo() {
    TimerHeap<Own> due = new TimerHeap<>();
    TimerHeap<Own> leases = new TimerHeap<>();
    Own a = new Own("a");
    Own b = new Own("b");
    due.add(a, 20);
    due.add(b, 10);
    assertThat(a.payload()).isSameAs(a);
    assertThat(a.deadline()).isEqualTo(20);
    assertThatThrownBy(() -> leases.add(a, 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pending already");
    List<String> drained = new ArrayList<>();
    due.drainDue(
        30,
        10,
        own -> {
          drained.add(own.name);
          leases.add(own, 100 + drained.size());
        });
    assertThat(drained).containsExactly("b", "a");
    assertThat(due.isEmpty()).isTrue();
    assertThat(due.cancel(a)).as("in the other heap").isFalse();
    assertThat(leases.cancel(b)).isTrue();
    assertThat(b.isPending()).isFalse();
    due.add(b, 1);
    assertThat(due.nextDeadline()).isEqualTo(1);
    assertThat(leases.nextDeadline()).isEqualTo(102);
  }

  @Test
  void cancelRemovesWithoutAScanAndOnlyOnce() {
    TimerHeap<String> heap = new TimerHeap<>();
    TimerHeap.Entry<String> a = heap.add(10, "a");
    TimerHeap.Entry<String> b = heap.add(20, "b");
    assertThat(a.isPending()).isTrue();
    assertThat(heap.cancel(a)).isTrue();
    assertThat(a.isPending()).isFalse();
    assertThat(heap.cancel(a)).isFalse();
    assertThat(heap.nextDeadline()).isEqualTo(20);
    assertThat(drain(heap, 100, 10)).containsExactly("b");
    assertThat(heap.cancel(b)).as("already drained").isFalse();
    assertThat(heap.isEmpty()).isTrue();
    assertThat(heap.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void entriesOfAnotherHeapAreNotOurs() {
    TimerHeap<String> one = new TimerHeap<>();
    TimerHeap<String> two = new TimerHeap<>();
    TimerHeap.Entry<String> mine = one.add(5, "x");
    two.add(5, "y");
    assertThat(two.cancel(mine)).isFalse();
    assertThat(two.reschedule(mine, 1)).isFalse();
    assertThat(one.size()).isEqualTo(1);
  }

  @Test
  void rescheduleMovesBothWaysAndQueuesBehindEqualDeadlines() {
    TimerHeap<String> heap = new TimerHeap<>();
    TimerHeap.Entry<String> a = heap.add(10, "a");
    heap.add(20, "b");
    heap.add(30, "c");
    assertThat(heap.reschedule(a, 30)).isTrue();
    assertThat(a.deadline()).isEqualTo(30);
    assertThat(drain(heap, 30, 10)).containsExactly("b", "c", "a");
    TimerHeap.Entry<String> d = heap.add(50, "d");
    heap.add(40, "e");
    heap.reschedule(d, 1);
    assertThat(drain(heap, 100, 10)).containsExactly("d", "e");
    assertThat(heap.reschedule(d, 5)).isFalse();
  }

  @Test
  void growsPastItsInitialCapacity() {
    TimerHeap<Integer> heap = new TimerHeap<>();
    for (int i = 999; i >= 0; i--) {
      heap.add(i, i);
    }
    List<Integer> out = new ArrayList<>();
    heap.drainDue(Long.MAX_VALUE, Integer.MAX_VALUE, out::add);
    assertThat(out).hasSize(1000).isSorted();
  }

  @Test
  void payloadIsRequired() {
    assertThatThrownBy(() -> new TimerHeap<String>().add(1, null))
        .hasMessage("payload must not be null");
  }
}
