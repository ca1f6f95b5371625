package dev.chime.server.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import dev.chime.cron.CronDialect;
import dev.chime.cron.DstPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSpecsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static List<Job> yaml(String text) {
    return JobSpecs.read("jobs.yaml", text, "file:/x/jobs.yaml");
  }

  private static List<String> errors(String text) {
    try {
      yaml(text);
    } catch (SpecException e) {
      return e.errors().stream().map(SpecError::toString).toList();
    }
    throw new AssertionError("expected errors");
  }

  @Test
  void readsTheContractExample() {
    List<Job> jobs =
        yaml(
            """
            jobs:
              - id: nightly-backup
                trigger: "0 3 * * *"            # a string is a cron expression
                zone: Europe/Berlin
                command: ["pg_dump", "-f", "/backups/db.sql"]
                timeout: 30m
                retry: {attempts: 3, backoff: exponential, delay: 30s, max_delay: 10m}
                overlap: skip
              - id: digest
                trigger: {daily: "18:00"}
                http: {method: POST, url: "http://127.0.0.1:9000/digest"}
              - id: tmp-cleanup
                trigger: {weekly: "SUN 04:00"}
                cleanup: {path: /var/tmp/app, glob: "*.tmp", older_than: 7d, keep_last: 10, max_total: 500MB}
            """);
    assertThat(jobs)
        .extracting(j -> j.id().value())
        .containsExactly("nightly-backup", "digest", "tmp-cleanup");
    Job backup = jobs.get(0);
    assertThat(backup.owner()).isEqualTo("file:/x/jobs.yaml");
    assertThat(backup.trigger()).isEqualTo(Trigger.cron("0 3 * * *", BERLIN));
    assertThat(backup.handler()).isEqualTo("command");
    assertThat(backup.params())
        .isEqualTo(Map.of("argv", List.of("pg_dump", "-f", "/backups/db.sql")));
    assertThat(backup.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(backup.retry())
        .isEqualTo(RetryPolicy.exponential(3, Duration.ofSeconds(30), Duration.ofMinutes(10)));
    assertThat(backup.overlap()).isEqualTo(OverlapPolicy.SKIP);
    Job digest = jobs.get(1);
    assertThat(digest.trigger()).isEqualTo(Trigger.dailyAt(LocalTime.of(18, 0), ZoneOffset.UTC));
    assertThat(digest.params())
        .containsEntry("method", "POST")
        .containsEntry("url", "http://127.0.0.1:9000/digest");
    Job cleanup = jobs.get(2);
    assertThat(cleanup.trigger())
        .isEqualTo(Trigger.weeklyOn(DayOfWeek.SUNDAY, LocalTime.of(4, 0), ZoneOffset.UTC));
    assertThat(cleanup.params())
        .containsEntry("older_than", "PT168H")
        .containsEntry("max_total", 500_000_000L)
        .containsEntry("keep_last", 10);
  }

  @Test
  void readsEveryTriggerForm() {
    List<Job> jobs =
        yaml(
            """
            jobs:
              - {id: a, handler: h, trigger: {cron: "0 0 12 ? * MON *", dialect: quartz, dst: instant}, zone: Europe/Berlin}
              - {id: b, handler: h, trigger: {every: 15m, start: "2026-01-01T00:00:00Z", end: "2026-02-01T00:00+01:00", mode: fixed_delay, jitter: 10s}}
              - {id: c, handler: h, trigger: {at: "2026-03-08T01:30"}, zone: America/New_York}
              - {id: d, handler: h, trigger: {after: [a, b], on: completion}}
              - {id: e, handler: h, trigger: {after: a}}
              - {id: f, handler: h, trigger: {any: ["*/5 * * * *", {every: 1h}]}}
              - {id: g, handler: h, trigger: {all: [{after: a}, {after: b}]}}
              - {id: i, handler: h, trigger: "0 0 9 * * MON-FRI"}
              - {id: j, handler: h, trigger: {cron: "0 9 * * *", zone: Asia/Tokyo}}
            """);
    assertThat(jobs.get(0).trigger())
        .isEqualTo(
            Trigger.cron("0 0 12 ? * MON *", CronDialect.QUARTZ, BERLIN)
                .withDstPolicy(DstPolicy.INSTANT));
    assertThat(jobs.get(1).trigger())
        .isEqualTo(
            Trigger.every(Duration.ofMinutes(15))
                .startingAt(Instant.parse("2026-01-01T00:00:00Z"))
                .endingAt(Instant.parse("2026-01-31T23:00:00Z"))
                .fixedDelay()
                .withJitter(Duration.ofSeconds(10)));
    assertThat(jobs.get(2).trigger())
        .isEqualTo(Trigger.once(Instant.parse("2026-03-08T06:30:00Z")));
    assertThat(jobs.get(3).trigger())
        .isEqualTo(
            Trigger.after(JobId.of("a"), JobId.of("b")).on(Trigger.After.Outcome.COMPLETION));
    assertThat(jobs.get(4).trigger()).isEqualTo(Trigger.after(JobId.of("a")));
    assertThat(jobs.get(5).trigger())
        .isEqualTo(
            Trigger.any(
                Trigger.cron("*/5 * * * *", ZoneOffset.UTC), Trigger.every(Duration.ofHours(1))));
    assertThat(jobs.get(6).trigger())
        .isEqualTo(Trigger.all(Trigger.after(JobId.of("a")), Trigger.after(JobId.of("b"))));
    assertThat(jobs.get(7).trigger())
        .isEqualTo(Trigger.cron("0 0 9 * * MON-FRI", CronDialect.SPRING, ZoneOffset.UTC));
    assertThat(jobs.get(8).trigger()).isEqualTo(Trigger.cron("0 9 * * *", ZoneId.of("Asia/Tokyo")));
  }

  @Test
  void readsEveryPolicyKey() {
    Job job =
        yaml("""
                id: p
                trigger: {every: 1m}
                handler: report
                params: {name: sales, pages: [1, 2], deep: {x: true}}
                timeout: PT20M
                retry: {attempts: 4, delay: 5s, jitter: 1s, retry_on: [java.io.IOException], abort_on: [java.lang.IllegalStateException]}
                overlap: {mode: queue, max_concurrent: 2, queue_limit: 5}
                misfire: {mode: run_all, grace: 2m, cap: 3}
                priority: 9
                group: reports
                max_runs: 10
                end: "2027-01-01T00:00:00Z"
                labels: [team-data, nightly]
                """)
            .get(0);
    assertThat(job.params()).containsEntry("name", "sales").containsKey("deep");
    assertThat(job.retry().attempts()).isEqualTo(4);
    assertThat(job.retry().jitter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(job.retry().retryOn()).containsExactly(IOException.class);
    assertThat(job.retry().abortOn()).containsExactly(IllegalStateException.class);
    assertThat(job.overlap()).isEqualTo(OverlapPolicy.queue(2, 5));
    assertThat(job.misfire()).isEqualTo(MisfirePolicy.runAll(Duration.ofMinutes(2), 3));
    assertThat(job.priority()).isEqualTo(9);
    assertThat(job.group()).isEqualTo("reports");
    assertThat(job.maxRuns()).isEqualTo(10);
    assertThat(job.endAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(job.labels()).containsExactlyInAnyOrder("team-data", "nightly");
    Job simple =
        yaml("{id: q, trigger: {every: 1m}, handler: h, overlap: allow, misfire: skip}").get(0);
    assertThat(simple.overlap()).isEqualTo(OverlapPolicy.allow());
    assertThat(simple.misfire().mode()).isEqualTo(MisfirePolicy.Mode.SKIP);
  }

  @Test
  void readsCommandObjectsAndHttpStatuses() {
    List<Job> jobs =
        yaml(
            """
            jobs:
              - id: sh
                trigger: {every: 1h}
                command: {shell: true, script: "du -sh /tmp | sort", env: {A: b}, cwd: /tmp, output_limit: 2KB}
              - id: web
                trigger: {every: 1h}
                http: {url: "https://example.com/x", expect_status: 204, timeout: 5s, headers: {X-A: b}, body: "{}"}
            """);
    assertThat(jobs.get(0).params())
        .containsEntry("shell", true)
        .containsEntry("script", "du -sh /tmp | sort")
        .containsEntry("output_limit", 2000L);
    assertThat(jobs.get(1).params())
        .containsEntry("expect_status", List.of(204))
        .containsEntry("timeout", "PT5S");
  }

  @Test
  void listsEveryErrorWithItsLineAndField() {
    assertThat(
            errors(
                """
                jobs:
                  - id: one
                    trigger: "0 3 * * * * *"
                    command: ["true"]
                  - id: two
                    trigger: {every: 15}
                    handler: h
                    retry: {attempts: 0}
                  - id: one
                    trigger: {event: "bad/name"}
                    cleanup: {path: /}
                    colour: blue
                """))
        .containsExactly(
            "jobs.yaml:3: jobs[0].trigger: 7 fields need the quartz dialect (the only one with a year field)",
            "jobs.yaml:6: jobs[1].trigger.every: must be a duration like 30s, 15m or PT15M, was number 15",
            "jobs.yaml:8: jobs[1].retry: attempts must be 1-100, was 0",
            "jobs.yaml:9: jobs[2].id: job id 'one' is already used on line 2",
            "jobs.yaml:10: jobs[2].trigger.event: event name 'bad/name' must start with a letter or digit and use only letters, digits and . _ - :",
            "jobs.yaml:11: jobs[2].cleanup.path: must not be the root directory",
            "jobs.yaml:11: jobs[2].cleanup.older_than: cleanup needs at least one of older_than, keep_last, max_total",
            "jobs.yaml:12: jobs[2].colour: unknown key (expected one of [cleanup, command, end, group, handler, http, id, labels, max_runs, misfire, overlap, params, priority, retry, timeout, trigger, zone])");
  }

  @Test
  void readsEventTriggersAndRefusesThemInsideAnyOrAll() {
    Job job = yaml("id: on-deploy\ntrigger: {event: deploy.done}\nhandler: h\n").get(0);
    assertThat(job.trigger()).isEqualTo(Trigger.onEvent("deploy.done"));
    assertThat(JobSpecs.toSpec(job)).containsEntry("trigger", Map.of("event", "deploy.done"));
    assertThat(
            errors(
                """
                id: w
                handler: h
                trigger:
                  any:
                    - {event: deploy}
                    - "0 3 * * *"
                """))
        .containsExactly(
            "jobs.yaml:5: trigger.any: any: an event trigger cannot be part of any/all (event"
                + " 'deploy'); give the job its own event trigger");
    assertThat(errors("id: w\ntrigger: {event: 7}\nhandler: h\n"))
        .containsExactly("jobs.yaml:2: trigger.event: must be a string, was number");
    assertThat(errors("id: w\ntrigger: {event: \"\"}\nhandler: h\n"))
        .containsExactly("jobs.yaml:2: trigger.event: event name must be 1-200 characters, was 0");
    assertThat(errors("id: w\ntrigger: {event: deploy, on: x}\nhandler: h\n"))
        .singleElement()
        .asString()
        .startsWith("jobs.yaml:2: trigger.on: unknown key");
  }

  @Test
  void readsFileTriggersWithTheirDefaultsAndWritesThemBack() {
    Job job =
        yaml("""
                id: inbox
                handler: h
                trigger: {file: {path: /var/spool/in, glob: "*.csv", on: [create, modify], debounce: 5s}}
                """)
            .get(0);
    Trigger.OnFile file = (Trigger.OnFile) job.trigger();
    assertThat(file.path()).isEqualTo(Path.of("/var/spool/in"));
    assertThat(file.glob()).isEqualTo("*.csv");
    assertThat(file.on())
        .containsExactly(Trigger.OnFile.Change.CREATE, Trigger.OnFile.Change.MODIFY);
    assertThat(file.debounce()).isEqualTo(Duration.ofSeconds(5));
    assertThat(JobSpecs.toSpec(job))
        .containsEntry(
            "trigger",
            Map.of(
                "file",
                Map.of(
                    "path", "/var/spool/in",
                    "glob", "*.csv",
                    "on", List.of("create", "modify"),
                    "debounce", "PT5S")));
    Trigger plain = yaml("id: d\nhandler: h\ntrigger: {file: {path: /d}}\n").get(0).trigger();
    assertThat(plain).isEqualTo(Trigger.onFile(Path.of("/d")));
  }

  @Test
  void namesEveryBadPartOfAFileTrigger() {
    assertThat(
            errors(
                """
                jobs:
                  - id: a
                    handler: h
                    trigger: {file: {glob: "*.csv", on: [touch], debounce: soon, deep: true}}
                  - id: b
                    handler: h
                    trigger: {file: {path: relative/dir, on: []}}
                  - id: c
                    handler: h
                    trigger: {file: {path: /d, glob: "[x", debounce: 2h}}
                  - id: d
                    handler: h
                    trigger: {file: /d}
                """))
        .containsExactly(
            "jobs.yaml:4: jobs[0].trigger.file.deep: unknown key (expected path, glob, on, debounce)",
            "jobs.yaml:4: jobs[0].trigger.file.path: is required",
            "jobs.yaml:4: jobs[0].trigger.file.on[0]: must be one of create, modify, delete, was 'touch'",
            "jobs.yaml:4: jobs[0].trigger.file.debounce: 'soon' is not a duration: use 500ms, 30s, 15m, 2h, 7d or ISO-8601 like PT15M",
            "jobs.yaml:7: jobs[1].trigger.file.on: must name at least one of create, modify, delete",
            "jobs.yaml:10: jobs[2].trigger.file.glob: glob '[x' is not a valid glob: Missing '] at index 1",
            "jobs.yaml:13: jobs[3].trigger.file: must be an object, was string");
    assertThat(errors("id: e\nhandler: h\ntrigger: {file: {path: relative}}\n"))
        .containsExactly(
            "jobs.yaml:3: trigger.file.path: file trigger path must be absolute, was 'relative'");
    assertThat(errors("id: e\nhandler: h\ntrigger: {file: {path: /d, debounce: 2h}}\n"))
        .containsExactly(
            "jobs.yaml:3: trigger.file.debounce: debounce must be 0 to PT1H, was PT2H");
  }

  @Test
  void namesBadValuesOfEveryType() {
    assertThat(
            errors(
                """
                id: v
                trigger: {at: "tomorrow"}
                zone: Mars/Olympus
                handler: h
                priority: high
                labels: [ok, 3]
                overlap: sometimes
                misfire: {mode: skip, grace: soon}
                end: 5
                max_runs: 1.5
                """))
        .containsExactly(
            "jobs.yaml:2: trigger.at: must be a date-time like 2026-03-08T02:30:00Z, 2026-03-08T02:30+01:00 or 2026-03-08T02:30 (read in the job's zone), was 'tomorrow'",
            "jobs.yaml:3: zone: 'Mars/Olympus' is not a time zone: use a region like Europe/Berlin, UTC or an offset like +02:00",
            "jobs.yaml:5: priority: must be a whole number, was 'high'",
            "jobs.yaml:6: labels[1]: must be a string, was number",
            "jobs.yaml:7: overlap: must be one of allow, skip, queue, replace, was 'sometimes'",
            "jobs.yaml:8: misfire.grace: 'soon' is not a duration: use 500ms, 30s, 15m, 2h, 7d or ISO-8601 like PT15M",
            "jobs.yaml:9: end: must be a date-time like 2026-03-08T02:30:00Z, 2026-03-08T02:30+01:00 or 2026-03-08T02:30 (read in the job's zone), was number 5",
            "jobs.yaml:10: max_runs: must be a whole number, was number 1.5")
        .isNotEmpty();
    assertThat(errors("id: w\ntrigger: {daily: \"25:00\"}\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.daily: must be a time of day like \"18:00\", was '25:00'");
    assertThat(errors("id: w\ntrigger: {daily: \"18:00:00.5\"}\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.daily: must be a whole second (cron fires at whole seconds),"
                + " was 18:00:00.5");
    assertThat(errors("id: w\ntrigger: {weekly: \"MON 04:00:01.25\"}\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.weekly: must be a whole second (cron fires at whole seconds),"
                + " was 04:00:01.25");
    assertThat(errors("id: w\ntrigger: {weekly: \"FUNDAY 04:00\"}\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.weekly: 'FUNDAY 04:00' is not a day and a time like \"SUN 04:00\"");
    assertThat(errors("id: w\ntrigger: {cron: \"0 3 * * *\", dialect: cobol}\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.dialect: must be one of unix, spring, quartz, was 'cobol'");
    assertThat(errors("id: w\ntrigger: {every: 1m, colour: red}\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.colour: unknown key (expected every, start, end, mode, jitter)");
    assertThat(errors("id: w\ntrigger: {}\nhandler: h\n"))
        .singleElement()
        .asString()
        .contains("trigger: names no trigger");
    assertThat(errors("id: w\ntrigger: {every: 1m, at: x}\nhandler: h\n"))
        .containsExactly("jobs.yaml:2: trigger: give only one of every, at");
    assertThat(errors("id: w\ntrigger: {any: [\"* * * * *\"]}\nhandler: h\n"))
        .containsExactly("jobs.yaml:2: trigger.any: must list at least two triggers");
    assertThat(errors("id: w\ntrigger: {after: []}\nhandler: h\n"))
        .containsExactly("jobs.yaml:2: trigger.after: must name at least one job");
    assertThat(errors("id: w\ntrigger: {after: [\"bad id\"], on: sometimes}\nhandler: h\n"))
        .hasSize(1)
        .first()
        .asString()
        .startsWith("jobs.yaml:2: trigger.after: job id 'bad id'");
    assertThat(errors("id: w\ntrigger: 7\nhandler: h\n"))
        .containsExactly(
            "jobs.yaml:2: trigger: must be a cron string or an object like {every: 15m}, was number");
  }

  @Test
  void namesKindAndRetryMistakes() {
    assertThat(errors("id: k\ntrigger: {every: 1m}\n"))
        .containsExactly(
            "jobs.yaml:1: what it runs is missing: give one of command, http, cleanup or handler");
    assertThat(errors("id: k\ntrigger: {every: 1m}\ncommand: [a]\nhandler: h\nparams: {}\n"))
        .containsExactly("jobs.yaml:1: give only one of command, handler");
    assertThat(errors("id: k\ntrigger: {every: 1m}\ncommand: \"rm -rf /\"\n"))
        .singleElement()
        .asString()
        .contains("command: a command is an argv list");
    assertThat(errors("id: k\ntrigger: {every: 1m}\ncommand: [a]\nparams: {x: 1}\n"))
        .containsExactly("jobs.yaml:4: params: params go with handler, not with command");
    assertThat(errors("id: k\ntrigger: {every: 1m}\nhandler: command\n"))
        .singleElement()
        .asString()
        .contains("'command' is a built-in kind");
    assertThat(errors("id: k\ntrigger: {every: 1m}\nhandler: h\nparams: [1]\n"))
        .containsExactly("jobs.yaml:4: params: must be an object, was array");
    assertThat(errors("id: k\ntrigger: {every: 1m}\nhttp: {url: \"ftp://x\"}\n")).isNotEmpty();
    assertThat(errors("id: k\ntrigger: {every: 1m}\ncleanup: {path: /tmp, max_total: lots}\n"))
        .contains(
            "jobs.yaml:3: cleanup.max_total: 'lots' is not a size: use bytes or a unit, like 64KB, 500MB or 2GiB");
    assertThat(
            errors(
                "id: k\ntrigger: {every: 1m}\nhandler: h\nretry: {attempts: 2, backoff: exponential, delay: 1s}\n"))
        .containsExactly(
            "jobs.yaml:4: retry.max_delay: is required with exponential backoff (the longest wait)");
    assertThat(
            errors(
                "id: k\ntrigger: {every: 1m}\nhandler: h\nretry: {delay: 1s, retry_on: [no.Such], abort_on: [java.lang.String], x: 1}\n"))
        .containsExactly(
            "jobs.yaml:4: retry.x: unknown key (expected attempts, backoff, delay, max_delay, jitter, retry_on, abort_on)",
            "jobs.yaml:4: retry.attempts: is required (tries in all, at least 1)",
            "jobs.yaml:4: retry.retry_on: no exception type named no.Such is known here",
            "jobs.yaml:4: retry.abort_on: java.lang.String is not an exception type");
    assertThat(
            errors(
                "id: k\ntrigger: {every: 1m}\nhandler: h\noverlap: {max_concurrent: 0}\nmisfire: {cap: 2}\n"))
        .containsExactly(
            "jobs.yaml:4: overlap.mode: is required (allow, skip, queue or replace)",
            "jobs.yaml:5: misfire.mode: is required (run_once, run_all or skip)");
    assertThat(
            errors(
                "id: k\ntrigger: {every: 1m}\nhandler: h\noverlap: {mode: skip, max_concurrent: 0}\n"))
        .containsExactly("jobs.yaml:4: overlap: maxConcurrent must be 1-1000, was 0");
    assertThat(errors("id: k\ntrigger: {every: 1m}\nhandler: h\nmisfire: {mode: skip, cap: 2}\n"))
        .singleElement()
        .asString()
        .startsWith("jobs.yaml:4: misfire: cap for SKIP must be 0");
    assertThat(errors("id: k\ntrigger: {every: 1m}\nhandler: h\ntimeout: 0s\n"))
        .containsExactly("jobs.yaml:4: timeout: timeout must be positive, was PT0S");
  }

  @Test
  void rejectsBadDocuments() {
    assertThat(errors("")).containsExactly("jobs.yaml:1: the document is empty");
    assertThat(errors("- id: a"))
        .containsExactly("jobs.yaml:1: a job file holds one job or 'jobs: [...]', was array");
    assertThat(errors("jobs: {id: a}\nmore: 1\n"))
        .containsExactly(
            "jobs.yaml:1: jobs: must be a list of jobs, was object",
            "jobs.yaml:2: more: unknown key next to 'jobs'");
    assertThat(errors("jobs: [5]\n"))
        .containsExactly("jobs.yaml:1: jobs[0]: a job must be an object, was number");
    assertThat(errors("id: a\nid: b\ntrigger: {every: 1m}\nhandler: h\n"))
        .containsExactly("jobs.yaml:2: id: the key is given twice");
    assertThat(errors("id: a\ntrigger: {every: 1m}\nhandler: h\n---\nid: b\n"))
        .containsExactly("jobs.yaml:5: a second YAML document: put every job in one 'jobs:' list");
    assertThat(errors("id: [unclosed\n"))
        .singleElement()
        .asString()
        .startsWith("jobs.yaml:1: malformed: while parsing a flow sequence (column 5): ");
    // YAML syntax errors: one line each, at the line where the broken construct is
    assertThat(errors("jobs:\n  - id: a\n\ttrigger: {every: 1m}\n    handler: h\n"))
        .containsExactly(
            "jobs.yaml:3: malformed: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation) (column 1)");
    assertThat(errors("jobs:\n  - id: a\n    trigger: \"0 3 * * *\n    handler: h\n"))
        .containsExactly(
            "jobs.yaml:3: malformed: while scanning a quoted scalar (column 14): found unexpected"
                + " end of stream at line 5, column 1");
    StringBuilder many = new StringBuilder("jobs:\n");
    for (int i = 0; i < 20; i++) {
      many.append("  - {id: j").append(i).append(", trigger: {every: 1m}, handler: h}\n");
    }
    many.append("  - id: bad\n   trigger: x\n"); // lines 22 and 23, one space short on 23
    assertThat(errors(many.toString()))
        .containsExactly(
            "jobs.yaml:23: malformed: expected <block end>, but found '<block mapping start>'"
                + " (column 4), while parsing a block collection at line 2, column 3");
    assertThat(
            errors(
                "jobs:\n  - id: a\n    handler: h\n    trigger \"*/5 * * * *\"\n    timeout: 5s\n"))
        .singleElement()
        .asString()
        .startsWith("jobs.yaml:4: malformed: while scanning a simple key (column 5): ");
    assertThat(errors("jobs:\n  - id: a\n    trigger: [1, 2\n    handler: h\n"))
        .containsExactly(
            "jobs.yaml:3: malformed: while parsing a flow sequence (column 14): expected ',' or"
                + " ']', but got : at line 4, column 12");
    assertThat(errors("id: 'bad id'\ntrigger: {every: 1m}\nhandler: h\n"))
        .singleElement()
        .asString()
        .startsWith("jobs.yaml:1: id: job id 'bad id'");
    assertThat(errors("trigger: {every: 1m}\nhandler: h\nowner: me\n"))
        .containsExactly(
            "jobs.yaml:1: id: is required",
            "jobs.yaml:3: owner: 'owner' is set by the server, not by a job file");
    assertThat(yaml("jobs: []\n")).isEmpty();
  }

  @Test
  void refusesCleanupPathsThatAreRelativeOrResolveToTheRoot() {
    assertThat(
            errors(
                """
                jobs:
                  - {id: a, trigger: {every: 1h}, cleanup: {path: tmp/app, keep_last: 1}}
                  - {id: b, trigger: {every: 1h}, cleanup: {path: /var/.., keep_last: 1}}
                """))
        .containsExactly(
            "jobs.yaml:2: jobs[0].cleanup.path: must be an absolute path, was 'tmp/app'",
            "jobs.yaml:3: jobs[1].cleanup.path: must not be the root directory");
  }

  @Test
  void refusesLocalTimesThatDaylightSavingSkipsOrRepeats() {
    assertThat(
            errors(
                """
                jobs:
                  - {id: a, handler: h, zone: Europe/Berlin, trigger: {at: "2026-03-29T02:30"}}
                  - {id: b, handler: h, zone: Europe/Berlin, trigger: {at: "2026-10-25T02:30"}}
                """))
        .containsExactly(
            "jobs.yaml:2: jobs[0].trigger.at: '2026-03-29T02:30' does not exist in Europe/Berlin"
                + " (skipped by daylight saving): give an offset or another time",
            "jobs.yaml:3: jobs[1].trigger.at: '2026-10-25T02:30' happens twice in Europe/Berlin"
                + " (daylight saving): give an offset, 2026-10-25T02:30+02:00 or"
                + " 2026-10-25T02:30+01:00");
    assertThat(
            yaml("id: c\nhandler: h\nzone: Europe/Berlin\ntrigger: {at: \"2026-10-25T03:30\"}\n")
                .getFirst()
                .trigger())
        .isEqualTo(Trigger.once(Instant.parse("2026-10-25T02:30:00Z")));
  }

  @Test
  void refusesYamlAliasesInsteadOfReadingTheAliasNameAsText() {
    // Jackson's streaming YAML parser hands an alias (*name) over as the string "name", so a
    // cleanup glob or a zone written as an alias would silently become the anchor's name.
    assertThat(
            errors(
                """
                jobs:
                  - id: a
                    trigger: {every: 1h}
                    cleanup: {path: /var/tmp/app, glob: &g "*.tmp", keep_last: 3}
                  - id: b
                    trigger: {every: 1h}
                    cleanup: {path: /var/tmp/other, glob: *g, keep_last: 3}
                """))
        .containsExactly(
            "jobs.yaml:7: jobs[1].cleanup.glob: YAML aliases (*g) are not supported: write the"
                + " value out");
    // an anchor alone is harmless: the value it marks is read as written
    assertThat(yaml("id: a\ntrigger: &t {every: 1h}\nhandler: h\n").getFirst().trigger())
        .isEqualTo(Trigger.every(Duration.ofHours(1)));
  }

  @Test
  void readsFilesAsYamlOrJsonOwnedByTheirPath(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("jobs.json");
    Files.writeString(
        json,
        "{\"jobs\": [{\"id\": \"a\", \"trigger\": {\"every\": \"1m\"}, \"handler\": \"h\"}]}");
    assertThat(JobSpecs.read(json))
        .singleElement()
        .satisfies(j -> assertThat(j.owner()).isEqualTo("file:" + json.toAbsolutePath()));
    Files.writeString(json, "{\"id\": \"a\",}");
    assertThatThrownBy(() -> JobSpecs.read(json))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("malformed");
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> JobSpecs.read(missing))
        .hasMessage(missing + ":0: cannot be read: no such file");
  }

  @Test
  void readsRestBodiesIgnoringReadOnlyKeys() {
    Job job =
        JobSpecs.readJson(
            "{\"id\": \"r\", \"owner\": \"file:/x\", \"status\": {\"state\": \"active\"}, \"trigger\": \"@daily\", \"handler\": \"h\"}",
            "api");
    assertThat(job.owner()).isEqualTo("api");
    assertThatThrownBy(() -> JobSpecs.readJson("[1]", "api"))
        .hasMessage("body:1: a job must be a JSON object, was array");
    assertThatThrownBy(() -> JobSpecs.readJson("{\"id\": \"r\"} {}", "api"))
        .hasMessage("body:1: text after the end of the JSON value");
    assertThatThrownBy(() -> JobSpecs.readJson("{\"id\": \"r\", \"trigger\": \"@daily\"}", "api"))
        .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.errors()).hasSize(1));
  }

  @Test
  void writesTheJobFileFormBackAndReadsItToAnEqualJob() {
    Job job =
        Job.builder("w")
            .handler("command")
            .params(Map.of("argv", List.of("echo", "hi")))
            .trigger(Trigger.cron("0 3 * * *", BERLIN).withDstPolicy(DstPolicy.WALL_CLOCK))
            .timeout(Duration.ofMinutes(5))
            .retry(RetryPolicy.fixed(3, Duration.ofSeconds(10)).withJitter(Duration.ofSeconds(1)))
            .overlap(OverlapPolicy.replace(2))
            .misfire(MisfirePolicy.skip(Duration.ofMinutes(5)))
            .priority(2)
            .group("g")
            .maxRuns(4)
            .endAt(Instant.parse("2030-01-01T00:00:00Z"))
            .labels("b", "a")
            .owner("api")
            .build();
    Map<String, Object> spec = JobSpecs.toSpec(job);
    assertThat(spec)
        .containsEntry("id", "w")
        .containsEntry("owner", "api")
        .containsEntry("zone", "Europe/Berlin");
    assertThat(spec.get("command")).isEqualTo(Map.of("argv", List.of("echo", "hi")));
    assertThat(RoundTrip.back(job)).isEqualTo(job);
    assertThat(spec.get("trigger"))
        .isEqualTo(Map.of("cron", "0 3 * * *", "dialect", "unix", "dst", "wall_clock"));
    Job plain = Job.builder("p").handler("h").trigger(Trigger.cron("0 3 * * *", BERLIN)).build();
    assertThat(JobSpecs.toSpec(plain).get("trigger")).isEqualTo("0 3 * * *");
    Job quartz =
        Job.builder("q")
            .handler("h")
            .trigger(Trigger.cron("0 0 3 * * ?", CronDialect.QUARTZ, BERLIN))
            .build();
    assertThat(JobSpecs.toSpec(quartz).get("trigger"))
        .isEqualTo(Map.of("cron", "0 0 3 * * ?", "dialect", "quartz"));
    assertThat(RoundTrip.back(quartz)).isEqualTo(quartz);
  }

  @Test
  void aCronTriggerIsWrittenPlainExactlyWhenItsTextReadsBackInItsDialect() {
    assertThat(cronSpec(Trigger.cron("0 0 3 * * *", CronDialect.SPRING, BERLIN)))
        .isEqualTo("0 0 3 * * *");
    assertThat(cronSpec(Trigger.cron("  0  3 * *\t* ", CronDialect.UNIX, BERLIN)))
        .isEqualTo("0  3 * *\t*"); // the expression keeps its text stripped
    assertThat(cronSpec(Trigger.cron("@daily", BERLIN))).isEqualTo("@daily");
    assertThat(cronSpec(Trigger.cron("@daily", CronDialect.SPRING, BERLIN)))
        .isEqualTo(Map.of("cron", "@daily", "dialect", "spring"));
    assertThat(cronSpec(Trigger.cron("0 0 3 ? * MON", CronDialect.QUARTZ, BERLIN)))
        .isEqualTo(Map.of("cron", "0 0 3 ? * MON", "dialect", "quartz"));
    assertThat(cronSpec(Trigger.cron("0 0 3 * * ? 2030", CronDialect.QUARTZ, BERLIN)))
        .isEqualTo(Map.of("cron", "0 0 3 * * ? 2030", "dialect", "quartz"));
    for (Trigger trigger :
        List.of(
            Trigger.cron("0 0 3 * * *", CronDialect.SPRING, BERLIN),
            Trigger.cron("@daily", CronDialect.SPRING, BERLIN),
            Trigger.cron("0 0 3 * * ? 2030", CronDialect.QUARTZ, BERLIN))) {
      Job job = Job.builder("c").handler("h").trigger(trigger).build();
      assertThat(RoundTrip.back(job)).isEqualTo(job);
    }
  }

  private static Object cronSpec(Trigger trigger) {
    return JobSpecs.toSpec(Job.builder("c").handler("h").trigger(trigger).build()).get("trigger");
  }

  @Test
  void aBadSizeIsListedOnce() {
    assertThat(errors("id: k\ntrigger: {every: 1m}\ncommand: {argv: [a], output_limit: lots}\n"))
        .containsExactly(
            "jobs.yaml:3: command.output_limit: 'lots' is not a size: use bytes or a unit, like 64KB,"
                + " 500MB or 2GiB");
  }

  @Test
  void instantsDurationsAndNestingBeyondWhatStoresHoldAreErrorsAtTheirField() {
    assertThat(errors("id: k\ntrigger: {every: 36501d}\ncommand: [a]\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.every: must be at most 36500 days (100 years), was 36501d");
    assertThat(errors("id: k\ntrigger: {at: '+10000-01-01T00:00:00Z'}\ncommand: [a]\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.at: must be 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, was"
                + " +10000-01-01T00:00:00Z");
    assertThat(
            errors(
                "id: k\ntrigger: {every: 1m, end: '-999999999-01-01T00:00:00Z'}\ncommand: [a]\n"))
        .containsExactly(
            "jobs.yaml:2: trigger.end: must be 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, was"
                + " -999999999-01-01T00:00:00Z");
    String deep = "[".repeat(40) + "]".repeat(40);
    assertThat(errors("id: k\ntrigger: {every: 1m}\nhandler: h\nparams: {a: " + deep + "}\n"))
        .containsExactly(
            "jobs.yaml:4: params.a"
                + "[0]".repeat(30)
                + ": arrays and objects may nest at most 32 levels deep");
    String fine = "[".repeat(29) + "]".repeat(29);
    assertThat(yaml("id: k\ntrigger: {every: 1m}\nhandler: h\nparams: {a: " + fine + "}\n"))
        .hasSize(1);
  }
}
