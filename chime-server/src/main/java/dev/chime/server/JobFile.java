package dev.chime.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chime.Job;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a job file at start-up: its jobs are owned by {@code file:PATH} (absolute, normalised);
 * jobs it lists are added or replaced, jobs it owned and no longer lists are removed, and jobs of
 * other owners are never touched (a clash of ids is an error). An invalid file is rejected whole,
 * every error listed. PROVISIONAL: reads entries with {@link JobBodies} until the job-file reader
 * ({@code JobSpecs}, with line numbers and {@code Plan}) is merged.
 */
final class JobFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private JobFile() {}

  /** What applying changed: ids added, replaced and removed. */
  record Applied(List<String> added, List<String> replaced, List<String> removed) {}

  /** Reads the file and applies it; throws {@link IllegalArgumentException} listing every error. */
  static Applied apply(Path file, Scheduler scheduler) {
    Path path = file.toAbsolutePath().normalize();
    String owner = "file:" + path;
    List<Job> jobs = read(path, owner);
    Set<String> listed = jobs.stream().map(j -> j.id().value()).collect(Collectors.toSet());
    List<String> errors = new ArrayList<>();
    for (Job job : jobs) {
      scheduler
          .get(job.id())
          .filter(existing -> !existing.job().owner().equals(owner))
          .ifPresent(
              existing ->
                  errors.add(
                      path
                          + ": "
                          + job.id()
                          + ": id is taken by a job owned by "
                          + existing.job().owner()));
    }
    fail(errors);
    Applied applied = new Applied(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Job job : jobs) {
      if (scheduler.get(job.id()).isPresent()) {
        scheduler.update(job);
        applied.replaced().add(job.id().value());
      } else {
        scheduler.schedule(job);
        applied.added().add(job.id().value());
      }
    }
    for (JobInfo existing : scheduler.list(JobQuery.ALL)) {
      if (existing.job().owner().equals(owner) && !listed.contains(existing.id().value())) {
        scheduler.delete(existing.id());
        applied.removed().add(existing.id().value());
      }
    }
    return applied;
  }

  @SuppressWarnings("unchecked")
  private static List<Job> read(Path path, String owner) {
    Object tree;
    try {
      tree = YAML.readValue(Files.readString(path), Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot read the job file: " + e.getMessage(), e);
    }
    List<Object> entries;
    if (tree instanceof Map<?, ?> map && map.containsKey("jobs") && map.size() == 1) {
      entries = map.get("jobs") instanceof List<?> list ? (List<Object>) list : null;
    } else {
      entries = tree instanceof Map<?, ?> ? List.of(tree) : null;
    }
    if (entries == null) {
      throw new IllegalArgumentException(path + ": expected one job or jobs: [...]");
    }
    List<Job> jobs = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = path + ": jobs[" + i + "]";
      try {
        if (!(entries.get(i) instanceof Map<?, ?> entry)) {
          throw ApiException.invalid(null, "a job must be a mapping");
        }
        Job job = JobBodies.read(new LinkedHashMap<>((Map<String, Object>) entry), owner);
        if (!seen.add(job.id().value())) {
          throw ApiException.invalid("id", "id " + job.id() + " is listed twice");
        }
        jobs.add(job);
      } catch (ApiException e) {
        errors.add(where + (e.field() == null ? "" : "." + e.field()) + ": " + e.getMessage());
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        errors.add(where + ": " + e.getMessage());
      }
    }
    fail(errors);
    return jobs;
  }

  private static void fail(List<String> errors) {
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "the job file is invalid ("
              + errors.size()
              + " error(s)):\n  "
              + String.join("\n  ", errors));
    }
  }
}
