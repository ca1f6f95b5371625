package dev.chime.server;

import dev.chime.JobInfo;
import dev.chime.Run;
import dev.chime.server.spec.JobSpecs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What the API answers: jobs and runs as JSON-ready ordered maps. */
final class Views {
  private Views() {}

  /** The job in the job-file form, with a read-only {@code status} object. */
  static Map<String, Object> job(JobInfo info) {
    Map<String, Object> view = new LinkedHashMap<>(JobSpecs.toSpec(info.job()));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", lower(info.state()));
    status.put("note", info.note());
    status.put("nextFireAt", text(info.nextFireAt()));
    status.put("runCount", info.runCount());
    status.put("version", info.version());
    view.put("status", status);
    return view;
  }

  /** The run record, with its log tail, result and progress. */
  static Map<String, Object> run(Run run) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", run.id().toString());
    view.put("jobId", run.jobId().value());
    view.put("scheduledFor", text(run.scheduledFor()));
    view.put("attempt", run.attempt());
    view.put("state", lower(run.state()));
    view.put("reason", run.reason());
    view.put("startedAt", text(run.startedAt()));
    view.put("finishedAt", text(run.finishedAt()));
    view.put("node", run.node());
    view.put("error", run.error());
    view.put("progress", run.progress());
    view.put("progressMessage", run.progressMessage());
    view.put("result", run.result());
    view.put("log", run.log());
    return view;
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
