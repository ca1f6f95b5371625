package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import dev.chime.server.ChimeServer;
import dev.chime.server.Role;
import dev.chime.server.ServerSettings;
import dev.chime.server.Tokens;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands against a real server on a free loopback port over a temp SQLite file. Each
 * test uses its own job ids, so they share one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerClientTest {
  ChimeServer server;
  ApiClient api;
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch releaseSecond = new CountDownLatch(1);
  final CountDownLatch releaseAtTheEnd = new CountDownLatch(1);

  @BeforeAll
  void startServer(@TempDir Path data) {
    server =
        ChimeServer.start(
            ServerSettings.builder()
                .dataDir(data)
                .port(0)
                .shutdownGrace(Duration.ofSeconds(2))
                .build());
    server.scheduler().register("noop", ctx -> ctx.log("did nothing"));
    server
        .scheduler()
        .register(
            "fail",
            ctx -> {
              ctx.log("about to fail");
              throw new IllegalStateException("disk full");
            });
    server
        .scheduler()
        .register(
            "slow",
            ctx -> {
              ctx.progress(40, "copying files");
              if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
              }
            });
    server
        .scheduler()
        .register(
            "slow-second",
            ctx -> {
              ctx.progress(75, "almost");
              if (!releaseSecond.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
              }
            });
    server
        .scheduler()
        .register(
            "blocked",
            ctx -> {
              ctx.progress(40, "copying files");
              if (!releaseAtTheEnd.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
              }
            });
    api = new ApiClient(URI.create(server.baseUrl()), null);
  }

  @AfterAll
  void stopServer() {
    release.countDown();
    releaseSecond.countDown();
    releaseAtTheEnd.countDown();
    if (server != null) {
      server.close();
    }
  }

  CliRun cli(String... args) {
    return cli(Map.of("CHIME_SERVER", server.baseUrl()), args);
  }

  static CliRun cli(Map<String, String> variables, String... args) {
    return CliRun.run(
        new Main.Environment(Clock.systemUTC(), ZoneOffset.UTC, variables, false), args);
  }

  void create(String id, String handler) {
    api.post(
        "/api/v1/jobs",
        """
        {"id": "%s", "trigger": "0 3 * * *", "zone": "Europe/Berlin", "handler": "%s",
         "labels": ["%s"]}"""
            .formatted(id, handler, id));
  }

  static void await(BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.onSpinWait();
    }
  }

  private static void assertOk(CliRun run) {
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void listShowsJobsAlignedAndJsonAsTheServerWroteIt() {
    create("list-a", "noop");
    CliRun list = cli("jobs", "list", "--label", "list-a");
    assertOk(list);
    assertThat(list.lines()).hasSize(2);
    assertThat(list.lines().get(0)).matches("ID +STATE +KIND +TRIGGER +NEXT +OWNER");
    assertThat(list.lines().get(1))
        .matches(
            "list-a +active +noop +0 3 \\* \\* \\* \\(Europe/Berlin\\)"
                + " +20\\d\\d-\\d\\d-\\d\\dT03:00:00\\+0[12]:00 +api"); // in the trigger's zone
    assertThat(list.lines().get(1).indexOf("active"))
        .isEqualTo(list.lines().get(0).indexOf("STATE"));
    CliRun json = cli("jobs", "list", "--json", "--state", "active", "--label", "list-a");
    assertOk(json);
    assertThat(json.out()).startsWith("{\"items\":[{\"id\":\"list-a\",\"owner\":\"api\"");
    CliRun none = cli("jobs", "list", "--label", "no-such-label");
    assertOk(none);
    assertThat(none.lines()).containsExactly("no jobs match on " + server.baseUrl());
  }

  @Test
  void listFollowsTheCursorPastOnePage() {
    for (int i = 0; i < 105; i++) {
      api.post(
          "/api/v1/jobs",
          "{\"id\": \"page-%03d\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\", \"labels\": [\"paged\"]}"
              .formatted(i));
    }
    CliRun list = cli("jobs", "list", "--label", "paged");
    assertOk(list);
    assertThat(list.lines()).hasSize(106);
    assertThat(list.lines().get(105)).startsWith("page-104 ");
    CliRun json = cli("jobs", "list", "--label", "paged", "--json");
    assertThat(json.out()).endsWith("],\"nextCursor\":null}");
    assertThat(json.out().split("\"id\":\"page-")).hasSize(106);
  }

  @Test
  void showPrintsTheDefinitionStateAndNextFireTimes() {
    create("show-a", "noop");
    CliRun show = cli("jobs", "show", "show-a");
    assertOk(show);
    assertThat(show.lines())
        .contains("id:       show-a", "owner:    api", "trigger:  0 3 * * *", "state:    active")
        .anyMatch(line -> line.matches("next: +20\\d\\d-\\d\\d-\\d\\dT03:00:00\\+0[12]:00"));
    assertThat(show.lines().stream().filter(line -> line.matches(" *(next:)? +20.*"))).hasSize(3);
    CliRun json = cli("jobs", "show", "show-a", "--json");
    assertOk(json);
    assertThat(json.out()).isEqualTo(api.get("/api/v1/jobs/show-a").body());
  }

  /**
   * A job without a zone runs in UTC, which the API writes as {@code "zone": "Z"}: people read it
   * as UTC (it was {@code zone: Z} and {@code (Z)}); --json stays as the server wrote it.
   */
  @Test
  void aJobInUtcShowsItsZoneAsUtc() {
    api.post(
        "/api/v1/jobs",
        "{\"id\": \"utc-a\", \"trigger\": \"0 3 * * *\", \"handler\": \"noop\", \"labels\": [\"utc-a\"]}");
    api.post(
        "/api/v1/jobs",
        "{\"id\": \"utc-b\", \"trigger\": {\"any\": [\"0 3 * * *\", {\"every\": \"1h\"}]},"
            + " \"handler\": \"noop\", \"labels\": [\"utc-a\"]}");
    CliRun show = cli("jobs", "show", "utc-a");
    assertOk(show);
    assertThat(show.lines()).contains("zone:     UTC").doesNotContain("zone:     Z");
    CliRun list = cli("jobs", "list", "--label", "utc-a");
    assertOk(list);
    assertThat(list.lines().get(1))
        .matches("utc-a +active +noop +0 3 \\* \\* \\* \\(UTC\\) +20\\S+T03:00:00Z +api");
    assertThat(list.lines().get(2))
        .contains("any [cron 0 3 * * *, dialect unix, zone UTC, every PT1H]");
    assertThat(cli("jobs", "show", "utc-a", "--json").out()).contains("\"zone\":\"Z\"");
  }

  @Test
  void anUnknownJobIsNotFoundInOneLineExitOne() {
    for (String[] args :
        new String[][] {
          {"jobs", "show", "nope"},
          {"jobs", "run", "nope"},
          {"jobs", "pause", "nope"},
          {"jobs", "resume", "nope"},
          {"jobs", "delete", "nope"},
          {"runs", "nope"}
        }) {
      CliRun run = cli(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(run.err()).isEqualTo("chime: 404 Not found: no job with id 'nope'\n");
      assertThat(run.lines()).isEmpty();
    }
    CliRun logs = cli("logs", "999999");
    assertThat(logs.code()).isEqualTo(1);
    assertThat(logs.err()).isEqualTo("chime: 404 Not found: no run with id '999999'\n");
  }

  @Test
  void anInvalidRequestExitsTwoNamingTheField() {
    CliRun run = cli("jobs", "pause", "x".repeat(3), "--note", "n");
    assertThat(run.code()).isEqualTo(1);
    create("note-long", "noop");
    CliRun longNote = cli("jobs", "pause", "note-long", "--note", "n".repeat(1001));
    assertThat(longNote.code()).isEqualTo(2);
    assertThat(longNote.err())
        .isEqualTo(
            "chime: 422 Invalid request: note must be at most 1000 characters (field: note)\n");
  }

  @Test
  void pauseResumeAndDelete() {
    create("pause-a", "noop");
    CliRun pause = cli("jobs", "pause", "pause-a", "--note", "disk swap");
    assertOk(pause);
    assertThat(pause.lines()).containsExactly("paused job pause-a (disk swap)");
    assertThat(cli("jobs", "show", "pause-a").lines())
        .contains("state:    paused", "note:     disk swap");
    CliRun resume = cli("jobs", "resume", "pause-a", "--json");
    assertOk(resume);
    assertThat(resume.out()).contains("\"state\":\"active\"");
    assertThat(cli("jobs", "resume", "pause-a").lines()).containsExactly("resumed job pause-a");
    CliRun delete = cli("jobs", "delete", "pause-a");
    assertOk(delete);
    assertThat(delete.lines()).containsExactly("deleted job pause-a");
    assertThat(server.scheduler().get(JobId.of("pause-a"))).isEmpty();
    assertThat(cli("jobs", "delete", "pause-a").code()).isEqualTo(1);
  }

  @Test
  void runWaitSucceedsAndRunsAndLogsShowIt() {
    create("wait-ok", "noop");
    CliRun run = cli("jobs", "run", "wait-ok", "--wait");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("chime:");
    assertThat(run.lines()).hasSize(1);
    assertThat(run.out()).matches("run \\d+ of job wait-ok succeeded in \\d+\\.\\d\\ds");
    String id = run.out().split(" ")[1];
    CliRun runs = cli("runs", "wait-ok");
    assertOk(runs);
    assertThat(runs.lines().get(0))
        .matches("RUN +SCHEDULED FOR +ATTEMPT +STATE +STARTED +TOOK +NODE +NOTE");
    assertThat(runs.lines().get(1))
        .matches(id + " +20\\S+Z +1 +succeeded +20\\S+Z +\\d+\\.\\d\\ds +[^ ]+:\\d+:[0-9a-f]+ +-");
    assertThat(cli("runs", "wait-ok", "--json").out()).startsWith("{\"items\":[{\"id\":\"" + id);
    CliRun logs = cli("logs", id);
    assertOk(logs);
    assertThat(logs.lines()).element(1).isEqualTo("did nothing");
    assertThat(logs.lines().get(0)).startsWith("== run " + id + " of job wait-ok: succeeded");
    assertThat(cli("logs", id, "--json").out()).contains("\"log\":\"did nothing");
  }

  @Test
  void runWaitFailsWithTheRunsError() {
    create("wait-fail", "fail");
    CliRun run = cli("jobs", "run", "wait-fail", "--wait");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).matches("run \\d+ of job wait-fail failed in \\S+: .*disk full");
    String id = run.out().split(" ")[1];
    CliRun logs = cli("logs", id);
    assertOk(logs);
    assertThat(logs.lines())
        .contains("about to fail")
        .anyMatch(line -> line.startsWith("error: ") && line.contains("disk full"));
    CliRun json = cli("jobs", "run", "wait-fail", "--wait", "--json");
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.out()).startsWith("{\"id\":").contains("\"state\":\"failed\"");
  }

  @Test
  void onATerminalTheProgressLineIsRedrawnInPlaceAndClearedAtTheEnd() {
    create("wait-terminal", "blocked");
    Main.Environment terminal =
        new Main.Environment(
            Clock.systemUTC(), ZoneOffset.UTC, Map.of("CHIME_SERVER", server.baseUrl()), true);
    CliRun run =
        CliRun.run(terminal, "jobs", "run", "wait-terminal", "--wait", "--timeout", "500ms");
    assertThat(run.code()).isEqualTo(1);
    String progress = run.err().substring(0, run.err().indexOf("chime: "));
    assertThat(progress).startsWith("\r").doesNotContain("\n").contains("40% copying files  0.");
    assertThat(progress).containsPattern("\r {20,}\r$");
    assertThat(progress.split("\r").length).isGreaterThan(3);
  }

  @Test
  void runWaitFollowsRetriesToTheLastAttempt() {
    server
        .scheduler()
        .schedule(
            Job.builder("wait-retry")
                .handler("fail")
                .trigger(Trigger.cron("0 3 * * *", ZoneOffset.UTC))
                .retry(RetryPolicy.fixed(2, Duration.ofMillis(100)))
                .build());
    CliRun run = cli("jobs", "run", "wait-retry", "--wait");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .containsPattern("run \\d+ of job wait-retry failed; following attempt 2\n");
    assertThat(run.out())
        .matches("run \\d+ of job wait-retry \\(attempt 2\\) failed in \\S+: .*disk full");
  }

  @Test
  void runWithoutWaitSaysWhichRunStarted() {
    create("run-now", "noop");
    CliRun run = cli("jobs", "run", "run-now");
    assertOk(run);
    assertThat(run.out()).matches("run \\d+ of job run-now: \\w+");
  }

  @Test
  void runWithoutWaitSaysWhyTheRunWasSkippedAndExitsOneAsWithWait() {
    create("run-skip", "blocked");
    String first = api.post("/api/v1/jobs/run-skip/run", "{}").json().path("id").asText();
    await(
        () -> api.get("/api/v1/runs/" + first).json().path("state").asText().equals("running"),
        "the first run of run-skip to be running");
    CliRun skipped = cli("jobs", "run", "run-skip");
    assertThat(skipped.code()).isEqualTo(1);
    assertThat(skipped.err()).isEmpty();
    assertThat(skipped.out())
        .matches("run \\d+ of job run-skip: skipped: overlap: .*still running");
    CliRun json = cli("jobs", "run", "run-skip", "--json");
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.out()).contains("\"state\":\"skipped\"");
  }

  @Test
  void runWaitShowsProgressAndGivesUpAtTheTimeout() throws Exception {
    create("wait-slow", "slow");
    CliRun timedOut = cli("jobs", "run", "wait-slow", "--wait", "--timeout", "1s");
    assertThat(timedOut.code()).isEqualTo(1);
    assertThat(timedOut.err())
        .contains(": running 40% copying files\n")
        .containsPattern(
            "chime: gave up waiting after 1\\.00s: run \\d+ of job wait-slow is still running");
    CliRun skipped = cli("jobs", "run", "wait-slow", "--wait");
    assertThat(skipped.code()).isEqualTo(1);
    assertThat(skipped.out())
        .matches("run \\d+ of job wait-slow skipped: overlap: .*still running");
    release.countDown();
  }

  @Test
  void runWaitShowsProgressAndSucceeds() throws Exception {
    create("wait-second", "slow-second");
    StringWriter err = new StringWriter();
    Main.Environment environment =
        new Main.Environment(
            Clock.systemUTC(), ZoneOffset.UTC, Map.of("CHIME_SERVER", server.baseUrl()), false);
    CompletableFuture<CliRun> waiting =
        CompletableFuture.supplyAsync(
            () -> CliRun.run(environment, err, "jobs", "run", "wait-second", "--wait"));
    await(() -> err.toString().contains(": running 75% almost\n"), "the progress line");
    releaseSecond.countDown();
    CliRun done = waiting.get(30, TimeUnit.SECONDS);
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.err()).matches("(?s).*run \\d+ of job wait-second: running 75% almost\n.*");
    assertThat(done.out()).contains("succeeded");
  }

  @Test
  void eventsPublishPrintsTheRunsItStarted() {
    for (String id : List.of("ev-b", "ev-a")) {
      server
          .scheduler()
          .schedule(Job.builder(id).handler("noop").trigger(Trigger.onEvent("deploy")).build());
    }
    server.scheduler().pause(JobId.of("ev-b"), "frozen");
    CliRun run = cli("events", "publish", "deploy", "--data", "{\"v\": 1}");
    assertOk(run);
    assertThat(run.lines()).hasSize(4);
    assertThat(run.lines().get(0)).isEqualTo("published event deploy: 2 runs");
    assertThat(run.lines().get(1)).matches("JOB +RUN +STATE +NOTE");
    assertThat(run.lines().get(2)).matches("ev-a +\\d+ +claimed +-");
    assertThat(run.lines().get(3)).matches("ev-b +\\d+ +skipped +paused: frozen");

    CliRun json = cli("events", "publish", "deploy", "--json");
    assertOk(json);
    assertThat(json.out()).startsWith("{\"event\":\"deploy\",\"runs\":[{\"id\":");
    assertThat(json.out()).contains("\"jobId\":\"ev-a\"").contains("\"jobId\":\"ev-b\"");

    CliRun none = cli("events", "publish", "nobody.listens");
    assertOk(none);
    assertThat(none.lines())
        .containsExactly("published event nobody.listens: no job listens to it");
    CliRun bad = cli("events", "publish", "bad name!");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("chime: 422 Invalid request: event name 'bad name!' must")
        .contains("(field: name)");
  }

  @Test
  void tokensAreSentAndRefusalsSaySo(@TempDir Path other) {
    Map<String, Role> tokens =
        Map.of(Tokens.sha256("admin-secret"), Role.ADMIN, Tokens.sha256("look"), Role.VIEWER);
    try (ChimeServer secured =
        ChimeServer.start(ServerSettings.builder().dataDir(other).port(0).tokens(tokens).build())) {
      String url = secured.baseUrl();
      CliRun none = cli(Map.of("CHIME_SERVER", url), "jobs", "list");
      assertThat(none.code()).isEqualTo(1);
      assertThat(none.err()).startsWith("chime: 401 Unauthorized").endsWith("(set CHIME_TOKEN)\n");
      CliRun wrong = cli(Map.of("CHIME_SERVER", url, "CHIME_TOKEN", "guess"), "jobs", "list");
      assertThat(wrong.code()).isEqualTo(1);
      assertThat(wrong.err()).startsWith("chime: 401 ").endsWith("(check CHIME_TOKEN)\n");
      CliRun viewer = cli(Map.of("CHIME_TOKEN", "look"), "jobs", "delete", "x", "--server", url);
      assertThat(viewer.code()).isEqualTo(1);
      assertThat(viewer.err()).startsWith("chime: 403 Forbidden: ");
      CliRun admin =
          cli(Map.of("CHIME_SERVER", url, "CHIME_TOKEN", "admin-secret"), "jobs", "list");
      assertOk(admin);
      assertThat(admin.lines()).containsExactly("no jobs on " + url);
      CliRun withApiPath =
          cli(Map.of("CHIME_TOKEN", "admin-secret"), "jobs", "list", "--server", url + "/api/v1/");
      assertOk(withApiPath);
      assertThat(withApiPath.lines()).containsExactly("no jobs on " + url);
    }
  }
}
