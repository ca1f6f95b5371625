package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.JobId;
import dev.chime.server.ChimeServer;
import dev.chime.server.ServerSettings;
import dev.chime.server.kinds.PluginJars;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chime plan} and {@code chime apply} against a real server, with file owners. */
class PlanApplyTest {
  @TempDir Path dir;

  ChimeServer server;

  @BeforeEach
  void startServer() {
    server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir.resolve("data")).port(0).build());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  CliRun cli(String... args) {
    return CliRun.run(
        new Main.Environment(
            Clock.systemUTC(), ZoneOffset.UTC, Map.of("CHIME_SERVER", server.baseUrl()), false),
        args);
  }

  Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  String owner(String id) {
    return server.scheduler().get(JobId.of(id)).orElseThrow().job().owner();
  }

  @Test
  void planShowsAdditionsWithLocalNextTimesThenApplyCreatesThemOwnedByTheFile() throws IOException {
    Path jobs =
        file(
            "jobs.yaml",
            """
            jobs:
              - id: nightly
                trigger: "0 3 * * *"
                zone: Europe/Berlin
                command: ["echo", "backup"]
              - id: often
                trigger: {every: 15m}
                command: ["echo", "often"]
            """);
    CliRun plan = cli("plan", jobs.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.lines().get(0)).isEqualTo(jobs + " (owner file:" + jobs + "):");
    assertThat(plan.out())
        .containsPattern("\\+ +nightly +add +20\\d\\d-\\d\\d-\\d\\dT03:00:00\\+0[12]:00, ")
        .containsPattern("\\+ +often +add +20")
        .endsWith("2 to add, 0 to change, 0 to remove with --prune, 0 unchanged");
    assertThat(server.scheduler().get(JobId.of("nightly"))).isEmpty();

    CliRun apply = cli("apply", jobs.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).containsPattern("\\+ nightly +created +next 20");
    assertThat(owner("nightly")).isEqualTo("file:" + jobs);
    CliRun again = cli("plan", jobs.toString(), "--json");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("\"action\":\"keep\"").doesNotContain("\"add\"");
  }

  @Test
  void planShowsTheTimesAJobWithHInsideAnyWillHaveOnceApplied() throws IOException {
    Path jobs =
        file(
            "jobs.yaml",
            """
            jobs:
              - id: nested-h
                trigger: {any: ["H H * * *", "0 0 1 1 *"]}
                command: ["echo", "nested"]
            """);
    CliRun plan = cli("plan", jobs.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(cli("apply", jobs.toString()).code()).isZero();
    java.time.Instant next =
        server.scheduler().get(JobId.of("nested-h")).orElseThrow().nextFireAt();
    assertThat(plan.out())
        .as("the plan's first time is the job id's draw, as the server keys it")
        .containsPattern(
            "\\+ +nested-h +add +"
                + java.util.regex.Pattern.quote(
                    CronNextCommand.FIRE.format(next.atZone(ZoneOffset.UTC))));
  }

  @Test
  void applyMakesDependenciesFirstAndRefusesAPruneOfAJobOthersRunAfter() throws IOException {
    Path after =
        file(
            "after.yaml",
            """
            jobs:
              - {id: a-report, trigger: {after: [b-extract]}, command: ["true"]}
              - {id: b-extract, trigger: "0 3 * * *", command: ["true"]}
            """);
    CliRun ordered = cli("apply", after.toString());
    assertThat(ordered.code()).as(ordered.err()).isZero();
    assertThat(ordered.lines()).hasSize(2);
    assertThat(ordered.lines().get(0)).startsWith("+ b-extract");
    assertThat(owner("a-report")).isEqualTo("file:" + after);

    // (a refusal part way is undone whole: anApplyThatIsUndoneClaimsNoChangeOnStdout)

    // a prune that would delete a job another owner's job runs after is refused before any change
    server
        .scheduler()
        .schedule(
            dev.chime.Job.builder("y-api")
                .handler("command")
                .params(Map.of("argv", java.util.List.of("true")))
                .trigger(dev.chime.Trigger.after(JobId.of("b-extract")))
                .build());
    Path pruned =
        file("after.yaml", "jobs:\n  - {id: e-new, trigger: \"0 3 * * *\", command: [\"true\"]}\n");
    CliRun planned = cli("plan", pruned.toString(), "--prune");
    assertThat(planned.code()).as("plan says what apply would refuse").isEqualTo(2);
    assertThat(planned.err())
        .contains("job b-extract cannot be removed: job y-api runs after it")
        .endsWith("; apply would change nothing\n");
    assertThat(cli("plan", pruned.toString()).code()).as("without --prune").isZero();
    CliRun blocked = cli("apply", pruned.toString(), "--prune");
    assertThat(blocked.code()).isEqualTo(2);
    assertThat(blocked.err())
        .contains("job b-extract cannot be removed: job y-api runs after it")
        .endsWith("; nothing was changed\n");
    assertThat(server.scheduler().get(JobId.of("e-new"))).isEmpty();
    assertThat(cli("apply", pruned.toString()).code())
        .as("without --prune nothing is removed")
        .isZero();
  }

  /**
   * An apply the server refuses part way undoes what it made: stdout, which lists what apply
   * changed, must not claim a job it has undone (it printed "+ a-good created" before the refusal).
   */
  @Test
  void anApplyThatIsUndoneClaimsNoChangeOnStdout() throws IOException {
    Path jobs =
        file(
            "jobs.yaml",
            """
            jobs:
              - {id: a-good, trigger: "0 3 * * *", command: ["true"]}
              - {id: b-bad, trigger: "0 3 * * *", handler: nosuch}
            """);
    CliRun apply = cli("apply", jobs.toString());
    assertThat(apply.code()).isEqualTo(2);
    assertThat(apply.err()).contains("nosuch").contains("; undone: a-good");
    assertThat(server.scheduler().get(JobId.of("a-good"))).isEmpty();
    assertThat(apply.out()).as("nothing remains changed").isEmpty();
    CliRun json = cli("apply", jobs.toString(), "--json");
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.out()).isEmpty();

    // once the file is fixed, the same apply prints its steps
    file("jobs.yaml", "jobs:\n  - {id: a-good, trigger: \"0 3 * * *\", command: [\"true\"]}\n");
    CliRun fixed = cli("apply", jobs.toString());
    assertThat(fixed.code()).as(fixed.err()).isZero();
    assertThat(fixed.out()).containsPattern("^\\+ a-good +created +next 20");
  }

  @Test
  void changesNameTheirFieldsAndPruneRemovesOnlyTheFilesOwnJobs() throws IOException {
    Path jobs =
        file(
            "jobs.yaml",
            """
            jobs:
              - {id: keep-me, trigger: "0 4 * * *", command: ["true"]}
              - {id: change-me, trigger: "0 5 * * *", command: ["true"]}
              - {id: drop-me, trigger: "0 6 * * *", command: ["true"]}
            """);
    Path other =
        file(
            "other.yaml", "jobs:\n  - {id: others, trigger: \"0 7 * * *\", command: [\"true\"]}\n");
    assertThat(cli("apply", jobs.toString(), other.toString()).code()).isZero();
    new ApiClient(URI.create(server.baseUrl()), null)
        .post(
            "/api/v1/jobs",
            "{\"id\": \"by-api\", \"trigger\": \"0 8 * * *\", \"command\": [\"true\"]}");
    file(
        "jobs.yaml",
        """
        jobs:
          - {id: keep-me, trigger: "0 4 * * *", command: ["true"]}
          - {id: change-me, trigger: "30 5 * * *", command: ["true"]}
        """);
    CliRun plan = cli("plan", jobs.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .containsPattern("= +keep-me +unchanged")
        .containsPattern("~ +change-me +change trigger +20\\S+T05:30:00Z")
        .containsPattern("- +drop-me +no longer in the file \\(kept; --prune removes it\\)")
        .doesNotContain("others")
        .doesNotContain("by-api");
    CliRun keep = cli("apply", jobs.toString());
    assertThat(keep.out())
        .containsPattern("- drop-me +kept \\(not in the file; --prune removes it\\)")
        .containsPattern("~ change-me +updated trigger +next 20\\S+T05:30:00Z");
    assertThat(server.scheduler().get(JobId.of("drop-me"))).isPresent();
    CliRun prune = cli("apply", jobs.toString(), "--prune");
    assertThat(prune.code()).as(prune.err()).isZero();
    assertThat(prune.out())
        .containsPattern("- drop-me +deleted")
        .containsPattern("= change-me +unchanged");
    assertThat(server.scheduler().get(JobId.of("drop-me"))).isEmpty();
    assertThat(server.scheduler().get(JobId.of("others"))).isPresent();
    assertThat(server.scheduler().get(JobId.of("by-api"))).isPresent();
  }

  @Test
  void twoAppliesOfOneFileAtOnceBothSucceed() throws Exception {
    StringBuilder text = new StringBuilder("jobs:\n");
    for (int i = 0; i < 20; i++) {
      text.append("  - {id: same-")
          .append(i)
          .append(", trigger: \"0 3 * * *\", command: [\"true\"]}\n");
    }
    Path jobs = file("jobs.yaml", text.toString());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.List<java.util.concurrent.Future<CliRun>> applies = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        applies.add(
            pool.submit(
                () -> {
                  go.await();
                  return cli("apply", jobs.toString());
                }));
      }
      go.countDown();
      for (java.util.concurrent.Future<CliRun> apply : applies) {
        CliRun done = apply.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.code()).as(done.err()).isZero();
        // the other apply may have made it before this one read the server's jobs, or after
        assertThat(done.out())
            .containsPattern("(\\+ same-0 +(created|updated)|= same-0 +unchanged)");
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 20; i++) {
      assertThat(owner("same-" + i)).isEqualTo("file:" + jobs);
    }
  }

  /**
   * A plan's next fire times are computed on the client for every job, as the server computes them
   * (DST marks included): it made one {@code GET /jobs/{id}/next} per job the server had (3,000
   * unchanged jobs: 12 s).
   */
  @Test
  void planAndApplyMakeNoRequestPerJob() throws IOException {
    StringBuilder text = new StringBuilder("jobs:\n");
    for (int i = 0; i < 150; i++) {
      text.append(
          "  - {id: many-%03d, trigger: \"%d 3 * * *\", command: [\"true\"]}\n"
              .formatted(i, i % 60));
    }
    // the second Sunday of March at 02:30 in New York: always in the gap
    text.append(
        "  - {id: many-dst, trigger: \"0 30 2 8-14 3 SUN\", zone: America/New_York,"
            + " command: [\"true\"]}\n");
    Path jobs = file("jobs.yaml", text.toString());
    CliRun planned = cli("plan", jobs.toString(), "--json");
    assertThat(cli("apply", jobs.toString()).code()).isZero();
    try (CountingProxy proxy = new CountingProxy(server.baseUrl())) {
      CliRun plan = via(proxy, "plan", jobs.toString(), "--json");
      assertThat(plan.code()).as(plan.err()).isZero();
      assertThat(proxy.requests())
          .as("the job list only, a page per 100 jobs")
          .hasSize(2)
          .allMatch(
              request ->
                  request.startsWith("GET /api/v1/jobs?") || request.equals("GET /api/v1/jobs"));
      proxy.clear();
      CliRun apply = via(proxy, "apply", jobs.toString());
      assertThat(apply.code()).as(apply.err()).isZero();
      assertThat(proxy.requests()).hasSize(2);
      java.util.List<String> shown =
          NextTimes.of(
              new ApiClient(URI.create(server.baseUrl()), null), "many-dst", 3, ZoneOffset.UTC);
      assertThat(shown).hasSize(3).allMatch(time -> time.contains("T03:00:00-04:00  (DST gap: "));
      assertThat(next(plan, "many-dst")).as("as the server shows them").isEqualTo(shown);
      assertThat(next(planned, "many-dst")).as("and before the job was made").isEqualTo(shown);
    }
  }

  private static java.util.List<String> next(CliRun plan, String id) throws IOException {
    for (var change : ApiClient.JSON.readTree(plan.out()).path("changes")) {
      if (change.path("id").asText().equals(id)) {
        java.util.List<String> times = new java.util.ArrayList<>();
        change.path("next").forEach(time -> times.add(time.asText()));
        return times;
      }
    }
    throw new AssertionError("no change of " + id + " in " + plan.out());
  }

  /** Long work shows progress on stderr when it is a terminal; stdout stays the result. */
  @Test
  void onATerminalPlanAndApplyShowProgressOnStderr() throws IOException {
    Path jobs =
        file(
            "jobs.yaml",
            """
            jobs:
              - {id: p-one, trigger: "0 3 * * *", command: ["true"]}
              - {id: p-two, trigger: "0 4 * * *", command: ["true"]}
            """);
    Main.Environment terminal =
        new Main.Environment(
            Clock.systemUTC(), ZoneOffset.UTC, Map.of("CHIME_SERVER", server.baseUrl()), true);
    CliRun apply = CliRun.run(terminal, "apply", jobs.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.err())
        .contains("\rapplying [##########..........] 1/2")
        .contains("\rapplying [####################] 2/2")
        .endsWith("\r");
    assertThat(apply.out()).doesNotContain("\r").containsPattern("\\+ p-one +created");
    CliRun plan = CliRun.run(terminal, "plan", jobs.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.err()).contains("\rreading the server's jobs [####################] 2/2");
    assertThat(cli("apply", jobs.toString()).err()).as("not a terminal, few jobs").isEmpty();
  }

  private CliRun via(CountingProxy proxy, String... args) {
    return CliRun.run(
        new Main.Environment(
            Clock.systemUTC(), ZoneOffset.UTC, Map.of("CHIME_SERVER", proxy.baseUrl()), false),
        args);
  }

  /**
   * A job file read from a pipe ({@code <(...)}, {@code /dev/stdin}, a FIFO) was "no such file".
   * Its path names the pipe, not a job file (the next pipe may get the same one), so it needs
   * {@code --owner}, the job file whose jobs these are.
   */
  @Test
  void aFileReadFromAPipeIsReadAndOwnedByTheFileOwnerNames() throws Exception {
    Path fifo = dir.resolve("jobs.fifo");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      made = false; // no mkfifo on this system
    }
    // A FIFO needs mkfifo (POSIX): skipped where there is none, but never in CI, which has it.
    if ("true".equals(System.getenv("CI"))) {
      assertThat(made).as("mkfifo made a FIFO on the CI machine").isTrue();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(made, "no mkfifo on this system");
    String text = "jobs:\n  - {id: piped, trigger: \"0 3 * * *\", command: [\"true\"]}\n";
    CliRun bare = cli("plan", fifo.toString());
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err())
        .isEqualTo(
            "chime: "
                + fifo
                + ": is not a regular file (a pipe?): its path names no job file, so give --owner"
                + " FILE, the job file whose jobs these are\n");

    Path named = dir.resolve("templates/jobs.yaml");
    CliRun plan = piped(fifo, text, "plan", fifo.toString(), "--owner", named.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.lines().get(0)).isEqualTo(fifo + " (owner file:" + named + "):");
    assertThat(plan.out()).containsPattern("\\+ +piped +add");
    CliRun apply = piped(fifo, text, "apply", fifo.toString(), "--owner", named.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(owner("piped")).isEqualTo("file:" + named);

    Path real = file("real.yaml", text);
    assertThat(cli("plan", real.toString(), "--owner", named.toString()).out())
        .as("--owner names the owner of a regular file's jobs too")
        .containsPattern("= +piped +unchanged");
    CliRun two = cli("plan", real.toString(), fifo.toString(), "--owner", named.toString());
    assertThat(two.code()).isEqualTo(2);
    assertThat(two.err()).isEqualTo("chime: --owner: names the owner of one FILE, not of 2\n");
  }

  /** The CLI with {@code text} written into the FIFO as the CLI reads it. */
  private CliRun piped(Path fifo, String text, String... args) throws Exception {
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Files.writeString(fifo, text);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    CliRun run = cli(args);
    writer.join(java.time.Duration.ofSeconds(10));
    return run;
  }

  @Test
  void anInvalidFileListsEveryErrorAndChangesNothing() throws IOException {
    Path bad =
        file(
            "bad.yaml",
            """
            jobs:
              - id: one
                trigger: "61 * * * *"
                command: ["true"]
              - id: two
                colour: blue
                trigger: "0 3 * * *"
                command: ["true"]
            """);
    CliRun plan = cli("plan", bad.toString(), dir.resolve("missing.yaml").toString());
    assertThat(plan.code()).isEqualTo(2);
    assertThat(plan.err())
        .contains(bad + ":3: jobs[0].trigger: minute: 61 is out of range")
        .contains(bad + ":6: jobs[1].colour: unknown key")
        .contains(dir.resolve("missing.yaml") + ": no such file")
        .doesNotContain("\tat ");
    assertThat(cli("apply", bad.toString()).code()).isEqualTo(2);
    assertThat(server.scheduler().get(JobId.of("two"))).isEmpty();
  }

  @Test
  void aJobInTwoFilesOrAFileGivenTwiceIsRefusedBeforeAnythingChanges() throws IOException {
    Path a = file("a.yaml", "id: shared\ntrigger: \"0 3 * * *\"\ncommand: [\"true\"]\n");
    Path b = file("b.yaml", "id: shared\ntrigger: \"0 4 * * *\"\ncommand: [\"true\"]\n");
    CliRun both = cli("apply", a.toString(), b.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err())
        .isEqualTo("chime: " + b + ": job shared is in " + a + " too: a job belongs to one file\n");
    assertThat(server.scheduler().get(JobId.of("shared"))).isEmpty();
    CliRun twice = cli("plan", a.toString(), a.toString());
    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err()).contains(a + ": the file is given twice");
    Path empty = file("empty.yaml", "");
    assertThat(cli("plan", empty.toString()).err())
        .contains(empty + ":1: the document is empty")
        .doesNotContain(": :");
    assertThat(cli("plan", dir.toString()).err()).contains(dir + ": is a directory");
  }

  /**
   * A file may name a plugin's exception type in {@code retry_on}: with {@code --plugins} plan and
   * apply read it as the server does; without, the file is refused with the type named.
   */
  @Test
  void plugInExceptionTypesNeedThePluginsDirectory() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.buildFlaky(dir.resolve("build"), plugins);
    server.close();
    server =
        ChimeServer.start(
            ServerSettings.builder()
                .dataDir(dir.resolve("plugin-data"))
                .pluginsDir(plugins)
                .port(0)
                .build());
    Path jobs =
        file(
            "flaky.yaml",
            """
            jobs:
              - id: wobbly
                trigger: "0 3 * * *"
                handler: flaky
                retry: {attempts: 2, retry_on: [%s]}
            """
                .formatted(PluginJars.HICCUP));

    CliRun bare = cli("plan", jobs.toString());
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err())
        .contains(jobs + ":5: jobs[0].retry.retry_on: no exception type named " + PluginJars.HICCUP)
        .doesNotContain("\tat ");

    CliRun plan = cli("plan", jobs.toString(), "--plugins", plugins.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).containsPattern("\\+ +wobbly +add");
    CliRun apply = cli("apply", jobs.toString(), "--plugins", plugins.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(server.scheduler().get(JobId.of("wobbly")).orElseThrow().job().retry().retryOn())
        .extracting(Class::getName)
        .containsExactly(PluginJars.HICCUP);
    CliRun again = cli("plan", jobs.toString(), "--plugins", plugins.toString(), "--json");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("\"action\":\"keep\"");

    CliRun notADirectory = cli("plan", jobs.toString(), "--plugins", jobs.toString());
    assertThat(notADirectory.code()).isEqualTo(2);
    assertThat(notADirectory.err()).contains("is not a directory").doesNotContain("\tat ");
  }
}
