package dev.chime.server.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {
  private static final String FILE = "file:/etc/chime/jobs.yaml";

  private static Job job(String id, String owner, Duration every, Map<String, ?> params) {
    return Job.builder(id)
        .handler("h")
        .params(params)
        .trigger(Trigger.every(every))
        .owner(owner)
        .build();
  }

  @Test
  void addsChangesKeepsAndPrunesOnlyItsOwnJobs() {
    List<Job> current =
        List.of(
            job("kept", FILE, Duration.ofMinutes(1), Map.of("n", 1L)),
            job("changed", FILE, Duration.ofMinutes(1), Map.of()),
            job("dropped", FILE, Duration.ofMinutes(1), Map.of()),
            job("api-made", "api", Duration.ofMinutes(1), Map.of()),
            job("other-file", "file:/other.yaml", Duration.ofMinutes(1), Map.of()));
    List<Job> desired =
        List.of(
            job("new", FILE, Duration.ofMinutes(5), Map.of()),
            job("kept", FILE, Duration.ofMinutes(1), Map.of("n", 1)),
            job("changed", FILE, Duration.ofMinutes(2), Map.of("x", "y")));
    Plan plan = Plan.of(current, desired, FILE, true);
    assertThat(plan.changes())
        .extracting(c -> c.id().value() + " " + c.action())
        .containsExactly("changed CHANGE", "dropped REMOVE", "kept KEEP", "new ADD");
    assertThat(plan.with(Plan.Action.CHANGE).get(0).fields()).containsExactly("trigger", "params");
    assertThat(plan.with(Plan.Action.ADD).get(0).fields()).isEmpty();
    assertThat(plan.isEmpty()).isFalse();

    Plan noPrune = Plan.of(current, desired, FILE, false);
    assertThat(noPrune.with(Plan.Action.REMOVE)).isEmpty();
    assertThat(Plan.of(current, List.of(current.get(0)), FILE, false).isEmpty()).isTrue();
  }

  @Test
  void aFileNeverTakesOverAnotherOwnersJob() {
    List<Job> current = List.of(job("a", "api", Duration.ofMinutes(1), Map.of()));
    assertThatThrownBy(
            () ->
                Plan.of(
                    current, List.of(job("a", FILE, Duration.ofMinutes(1), Map.of())), FILE, true))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        error -> {
                          assertThat(error.field()).isEqualTo("a");
                          assertThat(error.message())
                              .startsWith("job a exists and is owned by api");
                        }));
    assertThat(Plan.of(current, List.of(), FILE, true).changes()).isEmpty();
  }

  @Test
  void aJobListedTwiceIsAnErrorNotTwoChanges() {
    Job once = job("twice", FILE, Duration.ofMinutes(1), Map.of());
    Job again = job("twice", FILE, Duration.ofMinutes(2), Map.of());
    assertThatThrownBy(() -> Plan.of(List.of(), List.of(once, again), FILE, false))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.errors())
                    .extracting(SpecError::field, SpecError::message)
                    .containsExactly(tuple("twice", "job twice is listed twice")));
  }

  @Test
  void specErrorsPrintAsFileLineFieldMessage() {
    assertThat(new SpecError("a.yaml", 3, "jobs[0].id", "bad"))
        .hasToString("a.yaml:3: jobs[0].id: bad");
    assertThat(new SpecError("a.yaml", 0, "", "gone")).hasToString("a.yaml:0: gone");
    assertThatThrownBy(() -> new SpecException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Plan.Change(Plan.Action.REMOVE, JobId.of("x"), null, null).fields()).isEmpty();
  }
}
