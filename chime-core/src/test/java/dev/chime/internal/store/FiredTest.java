package dev.chime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the in-memory store's jobs fired before their trigger changed. */
class FiredTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void theLatestAtEachTriggerChangeIsKeptUntilTheJobIsForgotten() {
    Fired fired = new Fired();
    fired.triggerChanged(3, null); // never fired: nothing to keep
    assertThat(fired.before(3, T0)).isFalse();
    fired.triggerChanged(3, T0);
    fired.triggerChanged(3, T0); // kept once
    fired.triggerChanged(3, T0.plusSeconds(1));
    assertThat(fired.before(3, T0)).isTrue();
    assertThat(fired.before(3, T0.plusSeconds(1))).isTrue();
    assertThat(fired.before(4, T0)).as("another job's").isFalse();

    for (int i = 2; i < 1 + Fired.CHANGES_KEPT; i++) {
      fired.triggerChanged(3, T0.plusSeconds(i));
    }
    assertThat(fired.before(3, T0)).as("the oldest change is forgotten first").isFalse();
    assertThat(fired.before(3, T0.plusSeconds(1))).isTrue();

    fired.forget(3);
    assertThat(fired.before(3, T0.plusSeconds(1))).isFalse();
    fired.forget(3); // forgetting again, or a job never kept, changes nothing
    fired.forget(5);
    assertThat(fired.before(3, T0.plusSeconds(Fired.CHANGES_KEPT))).isFalse();
  }
}
