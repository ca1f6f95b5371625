package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.spi.JobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a scheduler process with SIGKILL mid-run, again and again, then lets it settle and checks
 * the promise of a durable store: every execution the handler logged is one (job, occurrence,
 * attempt) that never ran twice and has a run record; every one-shot job ended; every occurrence of
 * the recurring job has a record (ran, or why not). Each subclass is one store.
 */
abstract class CrashTest {
  private static final int KILLS = 4;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;

  /** What the child is started with after its class name: the store's kind and place. */
  abstract List<String> store();

  /** The same store, opened in this process to check it. */
  abstract JobStore open();

  @Test
  void killedMidRunAgainAndAgainNothingIsLostAndNoAttemptRunsTwice() throws Exception {
    Path log = dir.resolve("executions.log");
    Files.createFile(log);
    for (int kill = 0; kill < KILLS; kill++) {
      Process child = start(log);
      int before = lines(log).size();
      int more = 3 + ThreadLocalRandom.current().nextInt(12);
      await(() -> lines(log).size() >= before + more, "the child to run " + more + " more");
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Process last = start(log);
    try (JobStore store = open()) {
      await(() -> settled(store), "every one-shot job to end and no run to be left unfinished");
      last.getOutputStream().close(); // a clean stop
      assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
      verify(store, lines(log));
    } finally {
      last.destroyForcibly();
    }
  }

  private Process start(Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp"); // the child runs on the class path, whatever the tests run on
    command.add(
        String.join(
            java.io.File.pathSeparator,
            System.getProperty("jdk.module.path", ""),
            System.getProperty("java.class.path", "")));
    command.add(CrashChild.class.getName());
    command.addAll(store());
    command.add(log.toString());
    Process child =
        new ProcessBuilder(command)
            .redirectError(dir.resolve("child-stderr.log").toFile())
            .redirectErrorStream(false)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertThat(first).as("the child's first line; its stderr:%n%s", stderr()).isEqualTo("ready");
    return child;
  }

  private String stderr() {
    try {
      return Files.readString(dir.resolve("child-stderr.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static boolean settled(JobStore store) {
    for (JobInfo info : store.list(JobQuery.ALL)) {
      if (!info.id().value().equals(CrashChild.TICK) && info.state() != JobState.FINISHED) {
        return false;
      }
      for (Run run : store.runs(info.id(), 50)) {
        if (!info.id().value().equals(CrashChild.TICK) && !ended(run.state())) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean ended(RunState state) {
    return switch (state) {
      case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED -> true;
      default -> false;
    };
  }

  private static void verify(JobStore store, List<String[]> executions) {
    Set<String> attempts = new HashSet<>();
    Map<String, String> runOf = new HashMap<>();
    for (String[] e : executions) {
      assertThat(attempts.add(e[1] + "@" + e[2] + "#" + e[3]))
          .as("attempt %s of %s at %s ran twice", e[3], e[1], e[2])
          .isTrue();
      runOf.put(e[0], e[1]);
    }
    runOf.forEach(
        (runId, job) ->
            assertThat(store.run(dev.chime.RunId.parse(runId)))
                .as("run %s of %s executed but has no record", runId, job)
                .isPresent());
    for (int i = 0; i < CrashChild.ONE_SHOTS; i++) {
      List<Run> runs = store.runs(JobId.of("once-" + i), 50);
      assertThat(runs).as("once-%d has no run record", i).isNotEmpty();
      assertThat(runs)
          .as("once-%d ended", i)
          .allSatisfy(run -> assertThat(ended(run.state())).isTrue());
      for (Run run : runs) {
        if (run.state() == RunState.SUCCEEDED) {
          assertThat(runOf)
              .as("succeeded run %s never executed", run.id())
              .containsKey(run.id().toString());
        }
      }
    }
    List<Run> ticks = store.runs(JobId.of(CrashChild.TICK), 10_000);
    Set<Instant> seen = new HashSet<>();
    ticks.forEach(run -> seen.add(run.scheduledFor()));
    Instant first = ticks.stream().map(Run::scheduledFor).min(Instant::compareTo).orElseThrow();
    Instant lastSeen = ticks.stream().map(Run::scheduledFor).max(Instant::compareTo).orElseThrow();
    for (Instant at = first; !at.isAfter(lastSeen); at = at.plusSeconds(1)) {
      assertThat(seen).as("the tick due at %s left no record", at).contains(at);
    }
  }

  private static List<String[]> lines(Path log) {
    try {
      return Files.readAllLines(log).stream()
          .filter(line -> !line.isBlank())
          .map(line -> line.split(" "))
          .filter(parts -> parts.length == 4) // a line the kill cut short is not an execution
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll the condition
    }
  }
}
