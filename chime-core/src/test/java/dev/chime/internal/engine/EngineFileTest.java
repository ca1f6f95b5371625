package dev.chime.internal.engine;

import static dev.chime.internal.engine.Harness.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Event;
import dev.chime.JobId;
import dev.chime.JobState;
import dev.chime.RunState;
import dev.chime.Trigger;
import dev.chime.Trigger.OnFile.Change;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File triggers on a real temporary directory: the watcher thread gathers the changes (awaited with
 * a deadline), the debounce is timed by the engine's clock, moved by hand.
 */
class EngineFileTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final JobId JOB = JobId.of("inbox");

  @TempDir Path dir;
  private final Harness h = new Harness();
  private final List<Event> seen = new CopyOnWriteArrayList<>();

  EngineFileTest() {
    h.behaviour = ctx -> seen.add(ctx.event().orElseThrow());
  }

  @AfterEach
  void close() {
    h.engine.close();
  }

  private static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000); // poll: the watcher thread sees the file system change
    }
  }

  private void awaitPending(int changes) {
    await(() -> h.engine.filesPending(JOB) >= changes, changes + " change(s) gathered");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> changes(Event event) {
    return (List<Map<String, Object>>) event.payload().get("changes");
  }

  @Test
  void matchingChangesStartOneRunOnceTheDebounceHasPassedOnTheEnginesClock() throws IOException {
    h.engine.schedule(
        job(
                "inbox",
                Trigger.onFile(dir)
                    .matching("*.csv")
                    .on(Change.CREATE)
                    .debounce(Duration.ofSeconds(5)))
            .build());
    assertThat(h.engine.get(JOB).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
    Files.writeString(dir.resolve("skip.txt"), "no");
    Files.writeString(dir.resolve("a.csv"), "1");
    awaitPending(1);
    h.clock.advance(Duration.ofSeconds(3));
    Files.writeString(dir.resolve("b.csv"), "2");
    awaitPending(2);
    assertThat(h.advanceAndRun(Duration.ofSeconds(4)))
        .as("5 s after b.csv, not after a.csv")
        .isZero();
    assertThat(h.advanceAndRun(Duration.ofSeconds(1))).isEqualTo(1);

    assertThat(seen)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.name()).isEqualTo("file");
              assertThat(event.payload()).containsEntry("path", dir.toString());
              assertThat(changes(event))
                  .extracting(change -> change.get("path"))
                  .contains("a.csv", "b.csv")
                  .doesNotContain("skip.txt");
              assertThat(changes(event))
                  .extracting(change -> change.get("kind"))
                  .contains("create");
            });
    assertThat(h.runs("inbox"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
              assertThat(run.event()).isEqualTo(seen.get(0));
            });
    assertThat(h.advanceAndRun(Duration.ofHours(1))).as("nothing more changed").isZero();
  }

  @Test
  void onlyTheKindsAskedForCountAndEachBatchIsItsOwnRun() throws IOException {
    Path old = Files.writeString(dir.resolve("old.log"), "x");
    h.engine.schedule(
        job("inbox", Trigger.onFile(dir).on(Change.DELETE).debounce(Duration.ZERO)).build());
    Files.writeString(dir.resolve("new.log"), "y");
    Files.delete(old);
    awaitPending(1);
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(changes(seen.get(0))).containsExactly(Map.of("path", "old.log", "kind", "delete"));
    Files.delete(dir.resolve("new.log"));
    awaitPending(1);
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(changes(seen.get(1))).containsExactly(Map.of("path", "new.log", "kind", "delete"));
  }

  @Test
  void aPausedJobRecordsTheChangesAsASkippedRunAndADeletedJobStopsWatching() throws IOException {
    h.engine.schedule(
        job("inbox", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ZERO)).build());
    h.engine.pause(JOB, "audit");
    Files.writeString(dir.resolve("a"), "1");
    awaitPending(1);
    h.engine.runDue();
    assertThat(h.runs("inbox"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.state()).isEqualTo(RunState.SKIPPED);
              assertThat(run.reason()).isEqualTo("paused: audit");
              assertThat(changes(run.event())).isNotEmpty();
            });
    h.engine.resume(JOB);
    h.engine.delete(JOB);
    assertThat(h.engine.filesPending(JOB)).isZero();
    Files.writeString(dir.resolve("b"), "2");
    assertThat(h.advanceAndRun(Duration.ofMinutes(1))).isZero();
    assertThat(seen).isEmpty();
  }

  @Test
  void anUpdateWatchesTheNewDirectoryAndAnotherTriggerStopsTheWatch(@TempDir Path other)
      throws IOException {
    h.engine.schedule(job("inbox", Trigger.onFile(dir).debounce(Duration.ZERO)).build());
    h.engine.update(
        job("inbox", Trigger.onFile(other).on(Change.CREATE).debounce(Duration.ZERO)).build());
    Files.writeString(other.resolve("x"), "1");
    awaitPending(1);
    assertThat(h.engine.runDue()).isEqualTo(1);
    assertThat(seen.get(0).payload()).containsEntry("path", other.toString());
    h.engine.update(job("inbox", Trigger.onEvent("e")).build());
    Files.writeString(other.resolve("y"), "2");
    assertThat(h.engine.filesPending(JOB)).isZero();
    assertThat(h.runs("inbox")).hasSize(1);
  }

  @Test
  void aMissingPathOrAFileIsRefusedWhenScheduledAndBadPartsAreNamed() throws IOException {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> h.engine.schedule(job("inbox", Trigger.onFile(missing)).build()))
        .hasMessage("job inbox: file trigger path " + missing + " does not exist");
    Path file = Files.writeString(dir.resolve("plain"), "");
    assertThatThrownBy(() -> h.engine.schedule(job("inbox", Trigger.onFile(file)).build()))
        .hasMessage("job inbox: file trigger path " + file + " is not a directory");
    assertThat(h.engine.get(JOB)).isEmpty();
    assertThatThrownBy(() -> Trigger.onFile(Path.of("relative")))
        .hasMessage("file trigger path must be absolute, was 'relative'");
    assertThatThrownBy(() -> Trigger.onFile(dir).matching("[oops"))
        .hasMessageStartingWith("glob '[oops' is not a valid glob: ");
    assertThatThrownBy(() -> Trigger.onFile(dir).debounce(Duration.ofHours(2)))
        .hasMessage("debounce must be 0 to PT1H, was PT2H");
    assertThatThrownBy(() -> new Trigger.OnFile(dir, null, java.util.Set.of(), Duration.ZERO))
        .hasMessage("on must name at least one kind of change");
    assertThatThrownBy(
            () -> Trigger.all(Trigger.onFile(dir), Trigger.cron("0 * * * *", ZoneId.of("UTC"))))
        .hasMessageContaining("all: a file trigger cannot be part of any/all");
  }

  @Test
  void aRunningSchedulerWakesForTheDebounceDeadline() throws IOException {
    try (dev.chime.Scheduler scheduler =
        dev.chime.Scheduler.builder().clock(java.time.Clock.systemUTC()).build()) {
      scheduler.register("work", ctx -> seen.add(ctx.event().orElseThrow()));
      scheduler.schedule(
          job("inbox", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ofMillis(200)))
              .build());
      scheduler.start();
      Files.writeString(dir.resolve("report.pdf"), "%PDF");
      await(() -> !seen.isEmpty(), "the run the file started");
      assertThat(changes(seen.get(0)))
          .containsExactly(Map.of("path", "report.pdf", "kind", "create"));
      assertThat(scheduler.runs(JOB, 10)).extracting(run -> run.event().name()).contains("file");
    }
  }

  /** A watched directory deleted and made again is watched again: its job does not go deaf. */
  @Test
  void aDirectoryDeletedAndMadeAgainIsWatchedAgain() throws IOException {
    Path inbox = Files.createDirectory(dir.resolve("inbox"));
    h.engine.schedule(
        job("inbox", Trigger.onFile(inbox).on(Change.CREATE).debounce(Duration.ZERO)).build());
    Files.writeString(inbox.resolve("a"), "1");
    awaitPending(1);
    h.engine.runDue();
    assertThat(seen).hasSize(1);
    Files.delete(inbox.resolve("a"));
    Files.delete(inbox);
    Files.createDirectory(inbox);
    int[] written = {0};
    // Files made before the watch is back are not seen: write until one is (the watch looks for
    // the directory every second).
    await(
        () -> {
          if (h.engine.filesPending(JOB) > 0) {
            return true;
          }
          try {
            Files.writeString(inbox.resolve("b" + written[0]++), "2");
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return false;
        },
        "a change in the directory made again");
    h.engine.runDue();
    assertThat(seen).hasSize(2);
  }

  /**
   * A file job whose end time has passed finishes as it is scheduled, or updated, and stops
   * watching: a change in its directory gathers nothing for it (another job watching the same
   * directory sees the change, so the watcher has read it) and starts no run of it. Before, a
   * finished job went on gathering the changes it would never run for.
   */
  @Test
  void aFileJobPastItsEndFinishesWhenScheduledOrUpdatedAndWatchesNoMore() throws IOException {
    JobId witness = JobId.of("witness");
    h.engine.schedule(
        job("witness", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ZERO)).build());
    dev.chime.JobInfo late =
        h.engine.scheduleAndGet(
            job("inbox", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ZERO))
                .endAt(h.at(-1))
                .build());
    dev.chime.Job until =
        job("until", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ZERO))
            .endAt(h.at(60))
            .build();
    h.engine.schedule(until);
    h.clock.advance(Duration.ofMinutes(2));
    assertThat(late.state()).isEqualTo(JobState.FINISHED);
    assertThat(h.engine.update(until).state()).isEqualTo(JobState.FINISHED);

    Files.writeString(dir.resolve("a"), "1");
    await(() -> h.engine.filesPending(witness) == 1, "the witness's change");
    assertThat(h.engine.filesPending(JOB)).isZero();
    assertThat(h.engine.filesPending(JobId.of("until"))).isZero();
    assertThat(h.engine.runDue()).as("the witness alone").isEqualTo(1);
    assertThat(h.runs("inbox")).isEmpty();
    assertThat(h.runs("until")).isEmpty();
    assertThat(h.engine.get(JOB).orElseThrow().state()).isEqualTo(JobState.FINISHED);
  }

  /** A scheduler started on a store with a finished file job does not watch for it either. */
  @Test
  void aSchedulerStartedOnAStoreWithAFinishedFileJobDoesNotWatchForIt() throws IOException {
    dev.chime.spi.JobStore store = dev.chime.spi.JobStore.inMemory(100);
    Harness first = new Harness(store, Map.of());
    first.engine.schedule(
        job("witness", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ZERO)).build());
    first.engine.schedule(
        job("inbox", Trigger.onFile(dir).on(Change.CREATE).debounce(Duration.ZERO))
            .endAt(h.at(-1))
            .build());
    first.engine.close();
    Harness again = new Harness(store, Map.of());
    try {
      assertThat(again.engine.get(JOB).orElseThrow().state()).isEqualTo(JobState.FINISHED);
      Files.writeString(dir.resolve("a"), "1");
      await(() -> again.engine.filesPending(JobId.of("witness")) == 1, "the witness's change");
      assertThat(again.engine.filesPending(JOB)).isZero();
    } finally {
      again.engine.close();
    }
  }
}
