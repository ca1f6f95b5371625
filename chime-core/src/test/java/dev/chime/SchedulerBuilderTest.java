package dev.chime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.spi.JobStore;
import org.junit.jupiter.api.Test;

class SchedulerBuilderTest {
  @Test
  void aHistoryLimitBesideAGivenStoreIsRefusedRatherThanIgnored() {
    Scheduler.Builder both = Scheduler.builder().store(JobStore.inMemory(5)).historyLimit(100);
    assertThatThrownBy(both::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("historyLimit bounds the default in-memory store only")
        .hasMessageContaining("JobStore.inMemory(historyLimit)");
  }

  @Test
  void aHistoryLimitOrAStoreAloneBuilds() {
    try (Scheduler limited = Scheduler.builder().historyLimit(100).build();
        Scheduler stored = Scheduler.builder().store(JobStore.inMemory(5)).build()) {
      assertThat(limited.list(JobQuery.ALL)).isEmpty();
      assertThat(stored.list(JobQuery.ALL)).isEmpty();
    }
  }
}
