package dev.chime.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.internal.engine.Engine.JobRuns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's table of runs per job against a hash map, through growth and chain removals. */
class PerJobTest {
  @Test
  void findsWhatWasMadeAndNotRemovedThroughGrowthAndChains() {
    PerJob table = new PerJob();
    Map<String, JobRuns> model = new HashMap<>();
    Random random = new Random(3);
    for (int step = 0; step < 20_000; step++) {
      String id = "job-" + random.nextInt(3_000);
      JobRuns found = table.get(JobId.of(id));
      assertThat(found).isSameAs(model.get(id));
      if (found == null) {
        JobRuns made = table.of(JobId.of(id));
        assertThat(table.of(JobId.of(id))).isSameAs(made);
        model.put(id, made);
      } else if (random.nextBoolean()) {
        table.remove(found);
        model.remove(id);
        assertThat(table.containsKey(JobId.of(id))).isFalse();
      }
      assertThat(table.size()).isEqualTo(model.size());
    }
    List<JobRuns> all = new ArrayList<>(model.values());
    all.forEach(table::remove);
    assertThat(table.size()).isZero();
  }

  @Test
  void removingRunsThatAreNotInTheTableIsABug() {
    PerJob table = new PerJob();
    JobRuns runs = table.of(JobId.of("a"));
    table.remove(runs);
    assertThatThrownBy(() -> table.remove(runs))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the runs of job a were not in the table");
  }
}
