package dev.chime.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.RunId;
import dev.chime.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The ready queue polls exactly as one priority queue of the same runs would. */
class ReadyQueuePropertiesTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);

  /** Kind 0-1 adds a run (priority, due offset), 2 polls, 3 removes the {@code a}-th added. */
  record Op(int kind, int a, int b) {}

  @Provide
  Arbitrary<List<Op>> programs() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 20))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(400);
  }

  @Property(tries = 300)
  void pollsInThePriorityQueuesOrder(@ForAll("programs") List<Op> program) {
    ReadyQueue ready = new ReadyQueue();
    PriorityQueue<Execution> model = new PriorityQueue<>(Execution::compare);
    List<Execution> added = new ArrayList<>();
    long order = 0;
    for (Op op : program) {
      switch (op.kind()) {
        case 0, 1 -> {
          Execution run = run(op.a(), op.kind() == 0 ? order : op.b(), order++);
          ready.add(run);
          model.add(run);
          added.add(run);
        }
        case 2 -> assertThat(ready.poll()).isSameAs(model.poll());
        default -> {
          if (!added.isEmpty()) {
            Execution run = added.get(op.a() * 7 % added.size());
            assertThat(ready.remove(run)).isEqualTo(model.remove(run));
          }
        }
      }
      assertThat(ready.size()).isEqualTo(model.size());
    }
    while (!model.isEmpty()) {
      assertThat(ready.poll()).isSameAs(model.poll());
    }
    assertThat(ready.poll()).isNull();
  }

  /** A run at the priority, due {@code dueSeconds} after AT; {@code order} is its age. */
  private static Execution run(int priority, long dueSeconds, long order) {
    Job job =
        Job.builder("j" + order).handler("h").trigger(Trigger.once(AT)).priority(priority).build();
    return new Execution(
        new RunId(order + 1), job, AT.plusSeconds(dueSeconds), 1, order, 0, CLOCK, null);
  }
}
