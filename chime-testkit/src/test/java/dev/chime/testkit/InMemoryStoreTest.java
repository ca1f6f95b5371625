package dev.chime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.RunState;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store passes the store contract, and keeps a bounded history. */
class InMemoryStoreTest extends StoreContractTest {
  @Override
  protected JobStore newStore() {
    return JobStore.inMemory(1_000);
  }

  @Test
  void keepsOnlyTheNewestRuns() {
    JobId a = JobId.of("a");
    JobStore small = JobStore.inMemory(3);
    for (int i = 0; i < 5; i++) {
      small.record(List.of(run(small.newRunId(), a, NOW.plusSeconds(i), RunState.SUCCEEDED)));
    }
    assertThat(small.runs(a, 10))
        .hasSize(3)
        .first()
        .satisfies(r -> assertThat(r.scheduledFor()).isEqualTo(NOW.plusSeconds(4)));
  }

  @Test
  void keepsOnlyTheNewestFinishedJobsAndEveryActiveOne() {
    JobStore small = JobStore.inMemory(2);
    for (int i = 0; i < 5; i++) {
      small.insert(job("done" + i, NOW));
      Claim claim = small.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0);
      small.advance(claim, null, 1, JobState.FINISHED);
    }
    small.insert(job("active", NOW.plusSeconds(60)));
    assertThat(small.list(JobQuery.ALL))
        .extracting(info -> info.id().value())
        .containsExactly("active", "done3", "done4");
  }

  @Test
  void aFinishedJobInTheSlotOfADeletedOneIsKeptByItsOwnTurn() {
    JobStore small = JobStore.inMemory(1);
    small.insert(job("a", NOW));
    small.advance(
        small.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0), null, 1, JobState.FINISHED);
    small.delete(JobId.of("a"));
    small.insert(job("b", NOW)); // takes the slot "a" had, with the same version
    small.advance(
        small.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0), null, 1, JobState.FINISHED);
    assertThat(small.list(JobQuery.ALL)).extracting(info -> info.id().value()).containsExactly("b");
  }

  @Test
  void aFinishedJobUpdatedSinceIsDroppedByItsNewTurnAndAnActiveOneNever() {
    JobStore small = JobStore.inMemory(2);
    finish(small, "a");
    JobInfo a = small.find(JobId.of("a")).orElseThrow();
    small.update(new JobInfo(a.job(), JobState.FINISHED, "kept", null, 1, a.version()));
    finish(small, "b"); // drops a's first turn, which its update made stale, so a stays
    assertThat(ids(small)).containsExactly("a", "b");
    finish(small, "c"); // a's second turn
    assertThat(ids(small)).containsExactly("b", "c");
    JobInfo b = small.find(JobId.of("b")).orElseThrow();
    small.update(new JobInfo(b.job(), JobState.ACTIVE, null, NOW.plusSeconds(60), 1, b.version()));
    finish(small, "d");
    finish(small, "e");
    finish(small, "f");
    assertThat(ids(small)).containsExactly("b", "e", "f");
  }

  private static void finish(JobStore store, String id) {
    store.insert(job(id, NOW));
    Claim claim = store.claim(NOW, NOW, 10, NOW.plusSeconds(30)).get(0);
    assertThat(claim.job().id()).isEqualTo(JobId.of(id));
    assertThat(store.advance(claim, null, 1, JobState.FINISHED)).isTrue();
  }

  private static List<String> ids(JobStore store) {
    return store.list(JobQuery.ALL).stream().map(info -> info.id().value()).toList();
  }

  /**
   * A horizon beyond 2262 saturates, as an empty queue's next deadline does: the claim polled the
   * empty queue and threw, with the jobs it had taken off the queue and not leased lost.
   */
  @Test
  void aHorizonAsFarAsInstantsGoClaimsEachDueJobOnce() {
    store.insert(job("near", NOW));
    store.insert(job("far", NOW.plusSeconds(3600))); // beyond the wheel: the far heap
    assertThat(store.claim(NOW, java.time.Instant.MAX, 10, NOW.plusSeconds(30)))
        .extracting(claim -> claim.job().id().value())
        .containsExactly("near", "far");
    assertThat(store.claim(NOW, java.time.Instant.MAX, 10, NOW.plusSeconds(30))).isEmpty();
  }

  @Test
  void aClaimOlderThanThousandsOfOthersStillAdvancesAndAStaleOneDoesNot() {
    int jobs = 20_000;
    for (int i = 0; i < jobs; i++) {
      store.insert(job("many-" + i, NOW));
    }
    List<Claim> claims = store.claim(NOW, NOW, jobs, NOW.plusSeconds(30));
    assertThat(claims).hasSize(jobs);
    Claim first = claims.get(0);
    Claim stale = new Claim(first.job(), first.scheduledFor(), claims.get(jobs - 1).token());
    assertThat(store.advance(stale, null, 1, JobState.FINISHED)).isFalse();
    assertThat(store.advance(first, NOW.plusSeconds(5), 1, JobState.ACTIVE)).isTrue();
    assertThat(store.advance(claims.get(jobs - 1), null, 1, JobState.FINISHED)).isTrue();
    assertThat(store.find(first.job().id()).orElseThrow().nextFireAt())
        .isEqualTo(NOW.plusSeconds(5));
  }

  @Test
  void keepsLambdasAndNeedsAPositiveLimit() {
    assertThat(store.supportsInlineHandlers()).isTrue();
    assertThatThrownBy(() -> JobStore.inMemory(0))
        .hasMessage("historyLimit must be positive, was 0");
  }
}
