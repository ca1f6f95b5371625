package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.Job;
import dev.chime.server.spec.FireTimes;
import dev.chime.server.spec.JobSpecs;
import dev.chime.server.spec.Plan;
import dev.chime.server.spec.SpecError;
import dev.chime.server.spec.SpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code chime plan} and {@code chime apply} share: reading the job files (all of them, every
 * error listed before anything is sent), the server's jobs, one {@link Plan} per file owner, and
 * the lines that show it.
 */
final class JobFiles {
  static final int UPCOMING = 3;

  private JobFiles() {}

  /** One file's desired jobs and its owner. */
  record Desired(Path file, String owner, List<Job> jobs) {}

  /** One change of a file's plan, with the fields that differ and the next fire times. */
  record Step(Desired file, Plan.Change change, List<String> fields, List<String> next) {}

  /**
   * Reads every file; any invalid file: every error as file:line: field: message, exit 2. Each
   * file's jobs are owned by the file ({@link #owner}), or by {@code owner} when given (only with
   * one file). A file that is not a regular file (a pipe: {@code <(...)}, {@code /dev/stdin}, a
   * FIFO) needs {@code owner}: its path names the pipe, which the next pipe may get too, so as an
   * owner it would let {@code --prune} delete another file's jobs.
   */
  static List<Desired> read(List<Path> files, Path owner) {
    if (owner != null && files.size() > 1) {
      throw new Main.UsageError("--owner: names the owner of one FILE, not of " + files.size());
    }
    List<Desired> desired = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    java.util.Set<String> owners = new java.util.HashSet<>();
    java.util.Map<dev.chime.JobId, Path> fileOf = new java.util.HashMap<>();
    for (Path file : files) {
      String refusal = unreadable(file, owner);
      if (refusal != null) {
        errors.add(file + ": " + refusal);
        continue;
      }
      String by = owner(owner == null ? file : owner);
      if (!owners.add(by)) {
        errors.add(file + ": the file is given twice");
        continue;
      }
      try {
        List<Job> jobs = JobSpecs.read(file.toString(), Files.readString(file), by);
        for (Job job : jobs) {
          // Each file owns its jobs: the second would be refused midway, half applied.
          Path other = fileOf.putIfAbsent(job.id(), file);
          if (other != null) {
            errors.add(
                file + ": job " + job.id() + " is in " + other + " too: a job belongs to one file");
          }
        }
        desired.add(new Desired(file, by, jobs));
      } catch (SpecException e) {
        e.errors().forEach(error -> errors.add(line(error)));
      } catch (IOException | UncheckedIOException e) {
        // as JobSpecs.read(Path) says it, and the server of its --config file
        errors.add(
            line(
                new SpecError(
                    file.toString(), 0, "", "cannot be read: " + JobSpecs.unreadable(file, e))));
      }
    }
    if (!errors.isEmpty()) {
      throw new Main.UsageError(
          errors.size() == 1
              ? errors.get(0)
              : "the job files are invalid:\n" + String.join("\n", errors));
    }
    return desired;
  }

  /** Why the file cannot be read as a job file, or null when it can be. */
  private static String unreadable(Path file, Path owner) {
    if (Files.isDirectory(file)) {
      return "is a directory";
    }
    if (!Files.exists(file)) {
      return "no such file";
    }
    if (!Files.isRegularFile(file) && owner == null) {
      return "is not a regular file (a pipe?): its path names no job file, so give --owner FILE,"
          + " the job file whose jobs these are";
    }
    return null;
  }

  /** file:line: field: message (without the field when the error is the file's as a whole). */
  static String line(SpecError error) {
    return error.toString();
  }

  /** The owner of the file's jobs, as {@code JobSpecs.read} and the server's --config give it. */
  static String owner(Path file) {
    return "file:" + file.toAbsolutePath().normalize();
  }

  /**
   * The server's jobs, as definitions. A job of another program (a handler the file format cannot
   * express) is left out: no file owns it. A job a file owns that cannot be read is an error.
   */
  static List<Job> current(ClientCommand command, List<Desired> files) {
    List<JsonNode> items = command.api().all(ClientCommand.API + "/jobs");
    try (Progress progress = command.progress("reading the server's jobs", items.size(), false)) {
      List<Job> jobs = new ArrayList<>();
      for (JsonNode item : items) {
        readable(item, files).ifPresent(jobs::add);
        progress.step();
      }
      return jobs;
    }
  }

  /** The server's job as a definition; empty for one no file owns that cannot be read. */
  private static Optional<Job> readable(JsonNode item, List<Desired> files) {
    String owner = item.path("owner").asText("api");
    try {
      return Optional.of(JobSpecs.readJson(fileForm(item).toString(), owner));
    } catch (SpecException | IllegalArgumentException e) {
      if (files.stream().anyMatch(file -> file.owner().equals(owner))) {
        throw new Main.Failure(
            "cannot read job "
                + item.path("id").asText()
                + " as the server shows it: "
                + e.getMessage());
      }
      return Optional.empty();
    }
  }

  /** A built-in kind shown as {@code handler} + {@code params} in its job-file form. */
  private static JsonNode fileForm(JsonNode item) {
    String handler = item.path("handler").asText("");
    if (!Fields.KINDS.contains(handler) || !(item instanceof ObjectNode object)) {
      return item;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove("handler");
    copy.set(handler, copy.remove("params") == null ? copy.objectNode() : item.path("params"));
    return copy;
  }

  /**
   * The plan of each file against the server's jobs {@code current} (one fetch for a plan and its
   * checks), removals included (apply deletes them only with --prune, and says which it kept), with
   * changed fields and next fire times.
   */
  static List<Step> plan(List<Desired> files, List<Job> current, Instant now, ZoneId zone) {
    List<Step> steps = new ArrayList<>();
    for (Desired file : files) {
      for (Plan.Change change : of(current, file).changes()) {
        List<String> fields = change.fields();
        steps.add(new Step(file, change, fields, next(change, now, zone)));
      }
    }
    return steps;
  }

  /**
   * The steps in the order to make them (see {@link Plan#inOrder}), across the files: a job after
   * the jobs its {@code after} trigger names, removals last.
   */
  static List<Step> inOrder(List<Step> steps) {
    java.util.Map<dev.chime.JobId, Step> byId = new java.util.HashMap<>();
    steps.forEach(step -> byId.put(step.change().id(), step));
    return new Plan(steps.stream().map(Step::change).toList())
        .inOrder().stream().map(change -> byId.get(change.id())).toList();
  }

  /**
   * What would stop an apply of the steps part way (see {@link Plan#blockers}), each naming the
   * file of the job it points at when a file lists it.
   */
  static List<String> blockers(List<Step> steps, List<Job> current, boolean prune) {
    java.util.Map<String, Path> fileOf = new java.util.HashMap<>();
    steps.forEach(step -> fileOf.put(step.change().id().value(), step.file().file()));
    return new Plan(steps.stream().map(Step::change).toList())
        .blockers(current, "", prune).stream()
            .map(
                error ->
                    fileOf.containsKey(error.field())
                        ? fileOf.get(error.field()) + ": " + error.message()
                        : error.message())
            .toList();
  }

  /** The file's plan; a job another owner holds is an error of the file (exit 2). */
  private static Plan of(List<Job> current, Desired file) {
    try {
      return Plan.of(current, file.jobs(), file.owner(), true);
    } catch (SpecException e) {
      List<String> lines =
          e.errors().stream().map(error -> file.file() + ": " + error.message()).toList();
      throw new Main.UsageError(String.join("\n", lines));
    }
  }

  /**
   * The next fire times of the job as the file has it, computed here as the server computes them
   * for {@code GET /jobs/{id}/next} ({@link FireTimes}: the same times and DST marks): for a job
   * the server has, it has the same trigger unless the plan changes it. (One request per existing
   * job made a plan of 3,000 unchanged jobs take 12 s.)
   */
  private static List<String> next(Plan.Change change, Instant now, ZoneId zone) {
    return change.action() == Plan.Action.REMOVE ? List.of() : local(change.after(), now, zone);
  }

  /** The next fire times of the job, from its trigger keyed as the server keys it. */
  static List<String> local(Job job, Instant now, ZoneId zone) {
    return FireTimes.of(job, now, UPCOMING).stream()
        .map(time -> NextTimes.describe(time, zone))
        .toList();
  }

  /** The job-file body of a job for the API (without its owner: the query parameter says it). */
  static String body(Job job) {
    Map<String, Object> spec = new LinkedHashMap<>(JobSpecs.toSpec(job));
    spec.remove("owner");
    return ApiClient.JSON.valueToTree(spec).toString();
  }

  /** "+ id what next ..." for people. */
  static void print(PrintWriter out, List<Step> steps, boolean prune) {
    Path shown = null;
    Table table = null;
    for (Step step : steps) {
      if (!step.file().file().equals(shown)) {
        if (table != null) {
          table.print(out);
        }
        shown = step.file().file();
        out.println(shown + " (owner " + step.file().owner() + "):");
        table = Table.of("", "JOB", "CHANGE", "NEXT");
      }
      table.row(sign(step), step.change().id(), what(step, prune), String.join(", ", step.next()));
    }
    if (table != null) {
      table.print(out);
    }
    out.println(summary(steps, prune));
  }

  static String sign(Step step) {
    return switch (step.change().action()) {
      case ADD -> "+";
      case CHANGE -> "~";
      case REMOVE -> "-";
      case KEEP -> "=";
    };
  }

  static String what(Step step, boolean prune) {
    return switch (step.change().action()) {
      case ADD -> "add";
      case CHANGE -> "change " + String.join(", ", step.fields());
      case REMOVE -> prune ? "remove" : "no longer in the file (kept; --prune removes it)";
      case KEEP -> "unchanged";
    };
  }

  static String summary(List<Step> steps, boolean prune) {
    Map<Plan.Action, Integer> counts = new LinkedHashMap<>();
    for (Plan.Action action : Plan.Action.values()) {
      counts.put(action, 0);
    }
    steps.forEach(step -> counts.merge(step.change().action(), 1, Integer::sum));
    return counts.get(Plan.Action.ADD)
        + " to add, "
        + counts.get(Plan.Action.CHANGE)
        + " to change, "
        + counts.get(Plan.Action.REMOVE)
        + (prune ? " to remove, " : " to remove with --prune, ")
        + counts.get(Plan.Action.KEEP)
        + " unchanged";
  }

  /** The steps as JSON for --json. */
  static JsonNode json(List<Step> steps, List<String> done) {
    var array = ApiClient.JSON.createArrayNode();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      ObjectNode node = array.addObject();
      node.put("file", step.file().file().toString());
      node.put("owner", step.file().owner());
      node.put("id", step.change().id().value());
      node.put("action", step.change().action().name().toLowerCase(java.util.Locale.ROOT));
      node.set("fields", ApiClient.JSON.valueToTree(step.fields()));
      node.set("next", ApiClient.JSON.valueToTree(step.next()));
      if (done != null) {
        node.put("done", done.get(i));
      }
    }
    return ApiClient.JSON.createObjectNode().set("changes", array);
  }
}
