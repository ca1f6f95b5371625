package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.Scheduler;
import dev.chime.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's durable-store example: the job outlives the scheduler and the store. */
class ReadmeDurableExampleTest {
  @TempDir Path dir;

  @Test
  void jobsOutliveTheSchedulerAndTheStore() {
    Path file = dir.resolve("chime-data/chime.db");
    try (JdbcJobStore store = JdbcJobStore.sqlite(file);
        Scheduler scheduler = Scheduler.builder().store(store).build()) {
      scheduler.register("report", ctx -> {});
      scheduler.schedule(
          Job.builder("weekly-sales")
              .handler("report")
              .trigger(Trigger.every(Duration.ofDays(7)))
              .build());
    }
    try (JdbcJobStore store = JdbcJobStore.sqlite(file)) {
      assertThat(store.find(JobId.of("weekly-sales"))).isPresent();
    }
  }
}
