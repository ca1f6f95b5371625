package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.RetryPolicy;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.RunState;
import dev.chime.Trigger;
import dev.chime.testkit.FakeClock;
import dev.chime.testkit.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandJobTest {
  private static final Kinds KINDS = new Kinds();

  @AfterAll
  static void close() {
    KINDS.close();
  }

  private static Run run(Map<String, ?> params) {
    return KINDS.run(JobKinds.COMMAND, params);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Run run) {
    return (Map<String, Object>) run.result();
  }

  @Test
  void givesTheRunItsIdentityInTheEnvironmentOverTheServersOwn() {
    RunId id =
        KINDS.start(
            JobKinds.COMMAND, Map.of("argv", List.of("env"), "env", Map.of("FOO", "b a r")), null);
    Run run = KINDS.awaitEnd(id);

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.log().lines())
        .contains(
            "CHIME_JOB_ID=" + run.jobId().value(),
            "CHIME_RUN_ID=" + id,
            "CHIME_SCHEDULED_FOR=" + run.scheduledFor(),
            "CHIME_ATTEMPT=1",
            "FOO=b a r",
            "PATH=" + System.getenv("PATH"));
    assertThat(result(run)).containsEntry("exit_code", 0);
  }

  @Test
  void anEventsRunGetsTheEventsNameAndPayloadAsJsonInTheEnvironment() {
    JobId job =
        KINDS.scheduler.schedule(
            Job.builder("on-build")
                .handler(JobKinds.COMMAND)
                .params(Map.of("argv", List.of("env")))
                .trigger(Trigger.onEvent("build.done"))
                .build());
    Map<String, Object> payload = new java.util.LinkedHashMap<>(); // an order the JSON keeps
    payload.put("sha", "abc 1");
    payload.put("ok", true);
    RunId published = KINDS.scheduler.publish("build.done", payload).get(0).id();
    assertThat(KINDS.awaitEnd(published).log().lines())
        .contains("CHIME_EVENT=build.done", "CHIME_EVENT_DATA={\"sha\":\"abc 1\",\"ok\":true}");
    RunId bare = KINDS.scheduler.publish("build.done", null).get(0).id();
    assertThat(KINDS.awaitEnd(bare).log().lines()).contains("CHIME_EVENT_DATA=null");
    RunId manual = KINDS.scheduler.runNow(job);
    assertThat(KINDS.awaitEnd(manual).log().lines())
        .noneMatch(line -> line.startsWith("CHIME_EVENT"));
    assertThat(
            JobKinds.validate(
                JobKinds.COMMAND, Map.of("argv", List.of("ls"), "env", Map.of("CHIME_EVENT", "x"))))
        .containsExactly("env.CHIME_EVENT: is set by Chime for every run");
  }

  @Test
  void runsInTheWorkingDirectory(@TempDir Path dir) throws Exception {
    Run run = run(Map.of("argv", List.of("pwd"), "cwd", dir.toString()));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.log().lines()).contains(dir.toRealPath().toString());
  }

  @Test
  void passesArgumentsWithSpacesAndShellCharactersUnsplit() {
    Run run = run(Map.of("argv", List.of("printf", "<%s>", "a b", "c  d", "$HOME;*")));

    assertThat(run.log().lines()).contains("<a b><c  d><$HOME;*>");
  }

  @Test
  void runsAShellScriptOnlyWhenAskedAndMarksStderr() {
    Run run = run(Map.of("shell", true, "script", "echo one; echo two >&2; echo \"$((1+2))\""));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.log().lines()).contains("one", "[stderr] two", "3");
  }

  @Test
  void readsEndOfInputAtOnce() {
    Run run = run(Map.of("argv", List.of("cat")));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void failsOnANonZeroExitNamingTheCodeWithTheOutputInTheLog() {
    Run run = run(Map.of("shell", true, "script", "echo working; echo oops >&2; exit 3"));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).isEqualTo("exited with code 3");
    assertThat(run.log().lines()).contains("working", "[stderr] oops");
    assertThat(result(run)).containsEntry("exit_code", 3);
  }

  @Test
  void keepsTheTailOfBigOutputWithinTheLimitWithoutStalling() {
    String script = "yes 0123456789 | head -c 3000000; yes err | head -c 300000 >&2; echo last >&2";
    Run run = run(Map.of("shell", true, "script", script, "output_limit", "2KB"));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result(run))
        .containsEntry("output_bytes", 3_300_005L)
        .containsEntry("output_truncated", true);
    assertThat(run.log())
        .endsWith("[output truncated: older lines dropped; 3300005 bytes in all]\n");
    String output = // after the "started pid" line, before the note
        run.log().substring(run.log().indexOf('\n') + 1, run.log().indexOf("[output truncated"));
    assertThat(output.length()).isBetween(1900, 2001);
    // the two streams are read apart, so only each stream's own order is certain
    assertThat(output.lines().filter(l -> l.startsWith("[stderr] ")).toList())
        .last()
        .isEqualTo("[stderr] last");
  }

  @Test
  void aDefaultLimitStillFitsTheRunsLog() {
    Run run = run(Map.of("shell", true, "script", "yes 0123456789 | head -c 999999"));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.log().length()).isEqualTo(Run.LOG_LIMIT);
    assertThat(run.log())
        .endsWith("0123456789\n[output truncated: older lines dropped; 999999 bytes in all]\n");
  }

  /** A line longer than the reader's line buffer is split between characters, never inside one. */
  @Test
  void aLongLineIsNeverSplitInsideACharacter() {
    String script =
        "printf x; i=0; while [ $i -lt 5000 ]; do printf '\\303\\251'; i=$((i+1)); done";
    Run run = run(Map.of("shell", true, "script", script));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.log()).contains("x\u00e9\u00e9").doesNotContain("\uFFFD");
    assertThat(result(run)).containsEntry("output_bytes", 10_001L);
  }

  /** Output within output_limit but beyond the log's own cap is said to be cut, not hidden. */
  @Test
  void outputTheRunsLogCannotHoldWholeIsMarkedTruncated() {
    Run run = run(Map.of("shell", true, "script", "echo FIRST; yes 0123456789 | head -c 30000"));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result(run)).containsEntry("output_truncated", true);
    assertThat(run.log()).doesNotContain("FIRST").endsWith("30006 bytes in all]\n");
    Run small = run(Map.of("shell", true, "script", "echo FIRST; yes 0123456789 | head -c 3000"));
    assertThat(result(small)).containsEntry("output_truncated", false);
    assertThat(small.log()).contains("\nFIRST\n").doesNotContain("[output truncated");
  }

  @Test
  void aMissingProgramIsAClearFailure() {
    Run run = run(Map.of("argv", List.of("/nonexistent/chime-no-such-program", "x")));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .endsWith("cannot run '/nonexistent/chime-no-such-program': No such file or directory")
        .doesNotContain("\tat ");
  }

  @Test
  void aMissingWorkingDirectoryIsAClearFailure(@TempDir Path dir) {
    Path gone = dir.resolve("gone");
    Run run = run(Map.of("argv", List.of("pwd"), "cwd", gone.toString()));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).isEqualTo("cwd: " + gone + " is not an existing directory");
  }

  @Test
  void badStoredParamsFailTheRunNamingTheField() {
    Run run = run(Map.of("argv", "ls -l", "output_limit", 0));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .endsWith(
            "invalid command params: argv: must be a list of strings, was 'ls -l';"
                + " output_limit: must be 1-67108864, was 0");
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() {
    RunId id =
        KINDS.start(
            JobKinds.COMMAND,
            Map.of("argv", List.of("sh", "-c", "sleep 600 & sleep 600 & wait")),
            Duration.ofSeconds(1));
    List<ProcessHandle> tree = awaitTree(KINDS.awaitPid(id), 2);

    Run run = KINDS.awaitEnd(id);

    assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(run.error()).contains("stopped: killed pid " + tree.get(0).pid());
    assertThat(Duration.between(run.startedAt(), run.finishedAt()))
        .isLessThan(Duration.ofSeconds(3));
    Kinds.awaitDead(tree);
  }

  @Test
  void aCancelKillsTheProcess() {
    RunId id = KINDS.start(JobKinds.COMMAND, Map.of("argv", List.of("sleep", "600")), null);
    List<ProcessHandle> tree = awaitTree(KINDS.awaitPid(id), 0);

    assertThat(KINDS.scheduler.cancel(id)).isTrue();
    Run run = KINDS.awaitEnd(id);

    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    Kinds.awaitDead(tree);
  }

  @Test
  void shuttingTheSchedulerDownKillsRunningCommands() {
    List<ProcessHandle> tree;
    try (Kinds own = new Kinds(Duration.ZERO)) {
      RunId id =
          own.start(
              JobKinds.COMMAND, Map.of("argv", List.of("sh", "-c", "sleep 600 & wait")), null);
      tree = awaitTree(own.awaitPid(id), 1);
    }
    Kinds.awaitDead(tree);
  }

  @Test
  void aTreeThatIgnoresTermIsKilled() {
    String script = "trap '' TERM; echo ready; while true; do sleep 0.05; done";
    RunId id =
        KINDS.start(
            JobKinds.COMMAND, Map.of("shell", true, "script", script), Duration.ofSeconds(1));
    long pid = KINDS.awaitPid(id);
    ProcessHandle root = Kinds.process(pid).orElseThrow();

    Run run = KINDS.awaitEnd(id);

    assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(run.log().lines()).contains("ready");
    Kinds.awaitDead(List.of(root));
  }

  /**
   * The root dies on TERM while a child that ignores it forks another process: the KILL that
   * follows finds that one through the child (the root, gone, no longer leads to it).
   */
  @Test
  void aProcessForkedAfterTheTermIsKilledThoughTheRootIsGone(@TempDir Path tmp) throws Exception {
    Path pidFile = tmp.resolve("late.pid");
    Path ready = tmp.resolve("ready");
    String child =
        "trap 'sleep 600 & echo $! > "
            + pidFile
            + "' TERM; touch "
            + ready
            + "; while true; do sleep 0.05; done";
    RunId id =
        KINDS.start(
            JobKinds.COMMAND,
            Map.of("argv", List.of("sh", "-c", "sh -c \"$0\" & wait", child)),
            Duration.ofSeconds(5));
    // the child's trap is set before the timeout's TERM (the loop's sleeps come and go, so the
    // tree's size is no sign)
    Kinds.await("the child is ready", () -> Files.exists(ready) ? Boolean.TRUE : null);

    Run run = KINDS.awaitEnd(id);

    assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(pidFile).as("the child forked on TERM").exists();
    long late = Long.parseLong(Files.readString(pidFile).strip());
    try {
      Kinds.awaitDead(Kinds.process(late).stream().toList());
    } finally {
      Kinds.process(late).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aTimeoutByAFakeClockStopsTheProcessToo() throws Exception {
    FakeClock clock = FakeClock.at("2026-12-01T00:00:00Z");
    try (ManualScheduler manual = ManualScheduler.builder(clock).build()) {
      JobKinds.registerAll(manual, clock);
      manual.schedule(
          Job.builder("slow")
              .handler(JobKinds.COMMAND)
              .params(Map.of("argv", List.of("sleep", "600")))
              .timeout(Duration.ofMinutes(1))
              .trigger(Trigger.once(clock.instant()))
              .build());
      AtomicReference<Long> pid = new AtomicReference<>();
      Thread mover =
          Thread.ofVirtual()
              .start(
                  () -> {
                    pid.set(
                        Kinds.await(
                            "the process to start",
                            () ->
                                ProcessHandle.current()
                                    .children()
                                    .filter(p -> p.info().command().orElse("").endsWith("sleep"))
                                    .findFirst()
                                    .map(ProcessHandle::pid)
                                    .orElse(null)));
                    clock.advance(Duration.ofMinutes(2));
                  });

      manual.runDue();
      mover.join();

      Run run = manual.runs(JobId.of("slow"), 1).get(0);
      assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
      Kinds.awaitDead(Kinds.process(pid.get()).stream().toList());
    }
  }

  @Test
  void aRetryIsTheNextAttemptOfTheSameOccurrence() {
    FakeClock clock = FakeClock.at("2026-12-01T00:00:00Z");
    try (ManualScheduler manual = ManualScheduler.builder(clock).build()) {
      JobKinds.registerAll(manual, clock);
      String script =
          "echo \"attempt $CHIME_ATTEMPT for $CHIME_SCHEDULED_FOR\"; [ $CHIME_ATTEMPT = 2 ]";
      manual.schedule(
          Job.builder("flaky")
              .handler(JobKinds.COMMAND)
              .params(Map.of("shell", true, "script", script))
              .retry(RetryPolicy.fixed(2, Duration.ofMinutes(1)))
              .trigger(Trigger.once(clock.instant()))
              .build());
      manual.runDue();
      clock.advance(Duration.ofMinutes(1));
      manual.runDue();

      List<Run> runs = manual.runs(JobId.of("flaky"), 2);
      assertThat(runs).extracting(Run::state).containsExactly(RunState.SUCCEEDED, RunState.FAILED);
      assertThat(runs.get(0).log()).contains("attempt 2 for 2026-12-01T00:00:00Z");
      assertThat(runs.get(1).log()).contains("attempt 1 for 2026-12-01T00:00:00Z");
    }
  }

  /** The process and, once it has them, its {@code children} descendants. */
  private static List<ProcessHandle> awaitTree(long pid, int children) {
    ProcessHandle root = Kinds.process(pid).orElseThrow();
    List<ProcessHandle> tree = new ArrayList<>(List.of(root));
    tree.addAll(
        Kinds.await(
            children + " descendants of " + pid,
            () -> {
              List<ProcessHandle> found = root.descendants().toList();
              return found.size() == children ? found : null;
            }));
    return tree;
  }

  @Test
  void validatesEachField(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir);
    assertThat(
            JobKinds.validate(
                JobKinds.COMMAND, Map.of("argv", List.of("ls"), "cwd", dir.toString())))
        .isEmpty();
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of()))
        .containsExactly("argv: is required (a list: the program, then its arguments)");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("argv", List.of())))
        .containsExactly("argv: must start with the program to run");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("argv", List.of("ls", 3))))
        .containsExactly("argv[1]: must be a string, was 3");
    // NULs the operating system cannot pass: refused when the job is made, the value unquoted
    assertThat(
            JobKinds.validate(
                JobKinds.COMMAND,
                Map.of("argv", List.of("true"), "env", Map.of("TOKEN", "s3cr3t\0x"))))
        .containsExactly("env.TOKEN: must not contain a NUL character");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("argv", List.of("echo", "a", "b\0"))))
        .containsExactly("argv[2]: must not contain a NUL character");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("shell", true, "script", "echo \0")))
        .containsExactly("script: must not contain a NUL character");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("script", "ls")))
        .containsExactly(
            "script: needs shell: true (or give an argv list, which runs without a shell)");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("shell", true)))
        .containsExactly("script: is required with shell: true");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("shell", true, "argv", List.of("ls"))))
        .containsExactly("argv: not allowed with shell: true (give the shell text as script)");
    assertThat(JobKinds.validate(JobKinds.COMMAND, Map.of("shell", "yes", "argv", List.of("ls"))))
        .containsExactly("shell: must be true or false, was 'yes'");
    assertThat(
            JobKinds.validate(
                JobKinds.COMMAND,
                Map.of(
                    "argv",
                    List.of("ls"),
                    "env",
                    Map.of("CHIME_RUN_ID", "1", "A=B", "x", "N", 1),
                    "cwd",
                    "relative/dir",
                    "output_limit",
                    1.5,
                    "colour",
                    "red")))
        .containsExactlyInAnyOrder(
            "colour: unknown field (known: argv, cwd, env, output_limit, script, shell)",
            "env.N: must be a string, was 1",
            "cwd: must be an absolute path, was 'relative/dir'",
            "output_limit: must be a whole number, was 1.5");
    assertThat(
            JobKinds.validate(
                JobKinds.COMMAND,
                Map.of("argv", List.of("ls"), "env", Map.of("CHIME_RUN_ID", "1", "A=B", "x"))))
        .containsExactlyInAnyOrder(
            "env.CHIME_RUN_ID: is set by Chime for every run",
            "env.A=B: is not a valid variable name");
    assertThat(JobKinds.validate("someone-elses", Map.of("anything", 1))).isEmpty();
    assertThat(JobKinds.validate(null, Map.of())).isEmpty();
  }
}
