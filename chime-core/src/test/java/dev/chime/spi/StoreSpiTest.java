package dev.chime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SPI's value types check their parts; the added store methods have safe defaults. */
class StoreSpiTest {
  @Test
  void runQueriesCheckTheirParts() {
    RunQuery query = new RunQuery(null, Set.of(RunState.FAILED), 10, 5L);
    assertThat(query.states()).containsExactly(RunState.FAILED);
    assertThatThrownBy(() -> new RunQuery(null, Set.of(), 0, null))
        .hasMessage("limit must be 1-10000, was 0");
    assertThatThrownBy(() -> new RunQuery(null, Set.of(), 10_001, null))
        .hasMessage("limit must be 1-10000, was 10001");
    assertThatThrownBy(() -> new RunQuery(null, Set.of(), 1, 0L))
        .hasMessage("before must be a positive run id, was 0");
    assertThatThrownBy(() -> new RunQuery(null, null, 1, null))
        .hasMessage("states must not be null (empty: any)");
  }

  @Test
  void pagesAndQuarantineRecordsAreValues() {
    List<dev.chime.Run> items = new ArrayList<>();
    RunPage page = new RunPage(items, null);
    assertThat(page.items()).isEmpty();
    assertThatThrownBy(() -> page.items().add(null))
        .isInstanceOf(UnsupportedOperationException.class);
    Quarantined q = new Quarantined(JobId.of("a"), "bad", Instant.EPOCH);
    assertThat(q.reason()).isEqualTo("bad");
    assertThatThrownBy(() -> new Quarantined(JobId.of("a"), null, Instant.EPOCH))
        .hasMessage("reason must not be null");
  }

  @Test
  void theAddedMethodsDefaultToNothingOrRefuse() {
    try (JobStore store = JobStore.inMemory(10)) {
      assertThat(store.quarantined()).isEmpty();
      assertThatThrownBy(() -> store.quarantine(JobId.of("a"), "x"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage("InMemoryStore cannot quarantine jobs");
      assertThat(store.runs(new RunQuery(null, Set.of(), 1, null)).items())
          .as("the in-memory store answers run queries from its history")
          .isEmpty();
      assertThatThrownBy(() -> store.prune(Instant.EPOCH, 1, 1))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage("InMemoryStore cannot prune runs");
    }
  }

  @Test
  void jsonValuesNestAtMostMaxDepthLevels() {
    Object fine = "leaf";
    for (int i = 0; i < JsonValues.MAX_DEPTH; i++) {
      fine = java.util.List.of(fine);
    }
    assertThat(JsonValues.copy(fine, "params")).isEqualTo(fine);
    Object deep = java.util.Map.of("a", fine);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonValues.copy(deep, "params"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "params.a" + "[0]".repeat(31) + ": lists and maps may nest at most 32 levels deep");
  }
}
