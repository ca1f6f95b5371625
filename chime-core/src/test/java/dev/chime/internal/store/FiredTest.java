package dev.chime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-memory store's fired occurrences, against a map doing the same. */
class FiredTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void agreesWithAMapThroughGrowthAndDeletions() {
    Fired fired = new Fired();
    Map<Integer, Instant> expected = new HashMap<>();
    Random random = new Random(7);
    for (int step = 0; step < 200_000; step++) {
      int slot = random.nextInt(5_000);
      if (random.nextInt(3) == 0) {
        fired.forget(slot);
        expected.remove(slot);
      } else {
        Instant at = T0.plusSeconds(random.nextInt(100));
        fired.fire(slot, at);
        expected.put(slot, at);
      }
    }
    for (int slot = 0; slot < 5_000; slot++) {
      Instant at = expected.get(slot);
      for (int s = 0; s < 100; s++) {
        Instant probe = T0.plusSeconds(s);
        assertThat(fired.fired(slot, probe))
            .as("slot %d at %s", slot, probe)
            .isEqualTo(probe.equals(at));
      }
    }
  }

  @Test
  void theLatestAtEachTriggerChangeIsKeptUntilTheJobIsForgotten() {
    Fired fired = new Fired();
    fired.triggerChanged(3); // never fired: nothing to keep
    assertThat(fired.fired(3, T0)).isFalse();
    fired.fire(3, T0);
    fired.triggerChanged(3);
    fired.fire(3, T0.plusSeconds(1));
    assertThat(fired.fired(3, T0)).isTrue();
    assertThat(fired.fired(3, T0.plusSeconds(1))).isTrue();

    for (int i = 2; i < 2 + Fired.CHANGES_KEPT; i++) {
      fired.triggerChanged(3);
      fired.fire(3, T0.plusSeconds(i));
    }
    assertThat(fired.fired(3, T0)).as("the oldest change is forgotten first").isFalse();
    assertThat(fired.fired(3, T0.plusSeconds(1))).isTrue();

    fired.forget(3);
    assertThat(fired.fired(3, T0.plusSeconds(1))).isFalse();
    assertThat(fired.fired(3, T0.plusSeconds(1 + Fired.CHANGES_KEPT))).isFalse();
  }
}
