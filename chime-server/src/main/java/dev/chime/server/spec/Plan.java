package dev.chime.server.spec;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.Trigger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What applying a job file would do: per job id, add, change, remove or keep. Only jobs the file's
 * owner owns are changed or removed, and removed only with {@code prune}; a file naming a job that
 * another owner (the API, another file, code) holds is an error, so a file never takes over a job.
 *
 * @param changes one per job, ordered by id
 */
public record Plan(List<Change> changes) {
  /** What happens to one job. */
  public enum Action {
    /** The file adds it. */
    ADD,
    /** The file changes it. */
    CHANGE,
    /** The file no longer lists it and prunes: it is deleted. */
    REMOVE,
    /** The file lists it as it is. */
    KEEP
  }

  /**
   * One job's change.
   *
   * @param action what happens
   * @param id the job
   * @param before as it is now, or null for an added job
   * @param after as the file has it, or null for a removed job
   */
  public record Change(Action action, JobId id, Job before, Job after) {
    /** The job-file keys whose values differ (empty unless changed), in the job-file order. */
    public List<String> fields() {
      if (before == null || after == null) {
        return List.of();
      }
      Map<String, Object> was = comparable(before);
      Map<String, Object> will = comparable(after);
      Set<String> keys = new LinkedHashSet<>(was.keySet());
      keys.addAll(will.keySet());
      return keys.stream().filter(k -> !Objects.equals(was.get(k), will.get(k))).toList();
    }
  }

  /** Copies the changes. */
  public Plan {
    changes = List.copyOf(changes);
  }

  /**
   * The plan for making {@code desired} (the file's jobs, owned by {@code owner}) true of {@code
   * current} (the jobs there are now, of every owner).
   *
   * @throws SpecException naming every listed job that another owner holds or that is listed twice
   */
  public static Plan of(Collection<Job> current, List<Job> desired, String owner, boolean prune) {
    Map<JobId, Job> now = new HashMap<>();
    for (Job job : current) {
      now.put(job.id(), job);
    }
    List<SpecError> conflicts = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    Set<JobId> listed = new LinkedHashSet<>();
    for (Job job : desired) {
      if (!listed.add(job.id())) {
        conflicts.add(
            new SpecError(owner, 0, job.id().value(), "job " + job.id() + " is listed twice"));
        continue;
      }
      Job existing = now.get(job.id());
      if (existing == null) {
        changes.add(new Change(Action.ADD, job.id(), null, job));
      } else if (!existing.owner().equals(owner)) {
        conflicts.add(
            new SpecError(
                owner,
                0,
                job.id().value(),
                "job "
                    + job.id()
                    + " exists and is owned by "
                    + existing.owner()
                    + ": a file does not take over another owner's job (delete it first or rename"
                    + " this one)"));
      } else {
        changes.add(
            new Change(same(existing, job) ? Action.KEEP : Action.CHANGE, job.id(), existing, job));
      }
    }
    if (!conflicts.isEmpty()) {
      throw new SpecException(conflicts);
    }
    if (prune) {
      for (Job job : current) {
        if (job.owner().equals(owner) && !listed.contains(job.id())) {
          changes.add(new Change(Action.REMOVE, job.id(), job, null));
        }
      }
    }
    changes.sort(Comparator.comparing((Change c) -> c.id().value()));
    return new Plan(changes);
  }

  /**
   * The changes in the order to make them: jobs added or changed after the jobs of the plan their
   * {@code after} triggers name (so a file may list a dependent before its dependency), then the
   * removals, dependents first; otherwise by id. A cycle is placed in some order: {@link #blockers}
   * names it before any change is made.
   */
  public List<Change> inOrder() {
    Map<JobId, Change> made = new java.util.TreeMap<>(Comparator.comparing(JobId::value));
    List<Change> removed = new ArrayList<>();
    for (Change change : changes) {
      if (change.action() == Action.REMOVE) {
        removed.add(change);
      } else {
        made.put(change.id(), change);
      }
    }
    List<Change> ordered = new ArrayList<>(changes.size());
    Set<JobId> placed = new java.util.HashSet<>();
    for (Change change : made.values()) {
      place(change, made, placed, new java.util.HashSet<>(), ordered);
    }
    List<Change> removals = new ArrayList<>();
    Set<JobId> gone = new java.util.HashSet<>();
    Map<JobId, Change> byId = new java.util.TreeMap<>(Comparator.comparing(JobId::value));
    removed.forEach(change -> byId.put(change.id(), change));
    for (Change change : byId.values()) {
      place(change, byId, gone, new java.util.HashSet<>(), removals);
    }
    ordered.addAll(removals.reversed()); // a removal after those of the jobs that depend on it
    return ordered;
  }

  /**
   * What would stop the plan part way, checked before any change is made: a removal of a job that a
   * job still there afterwards runs after (the scheduler refuses that delete), and jobs of the plan
   * whose {@code after} triggers go round in a cycle (each would be refused as depending on one not
   * made yet). Each error names the jobs; {@code source} is the file.
   *
   * @param current the jobs there are now, of every owner
   * @param prune whether the removals will be made
   */
  public List<SpecError> blockers(Collection<Job> current, String source, boolean prune) {
    List<SpecError> errors = new ArrayList<>();
    Map<JobId, Job> after = new java.util.TreeMap<>(Comparator.comparing(JobId::value));
    current.forEach(job -> after.put(job.id(), job));
    Set<JobId> removed = new java.util.HashSet<>();
    for (Change change : changes) {
      if (change.action() == Action.REMOVE) {
        if (prune) {
          removed.add(change.id());
          after.remove(change.id());
        }
      } else {
        after.put(change.id(), change.after());
      }
    }
    for (Job job : after.values()) {
      for (JobId dependency : dependencies(job.trigger())) {
        if (removed.contains(dependency)) {
          errors.add(
              new SpecError(
                  source,
                  0,
                  job.id().value(),
                  "job "
                      + dependency
                      + " cannot be removed: job "
                      + job.id()
                      + " runs after it (change or remove "
                      + job.id()
                      + " first)"));
        }
      }
    }
    List<JobId> cycle = cycle(after);
    if (!cycle.isEmpty()) {
      errors.add(
          new SpecError(
              source,
              0,
              cycle.get(0).value(),
              "jobs run after each other in a cycle: "
                  + String.join(" -> ", cycle.stream().map(JobId::value).toList())));
    }
    return errors;
  }

  /** A cycle of after-dependencies among the jobs, as a path that ends where it began, or none. */
  private static List<JobId> cycle(Map<JobId, Job> jobs) {
    Set<JobId> done = new java.util.HashSet<>();
    for (JobId start : jobs.keySet()) {
      List<JobId> path = new ArrayList<>();
      List<JobId> found = cycleFrom(start, jobs, done, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static List<JobId> cycleFrom(
      JobId id, Map<JobId, Job> jobs, Set<JobId> done, List<JobId> path) {
    int at = path.indexOf(id);
    if (at >= 0) {
      List<JobId> cycle = new ArrayList<>(path.subList(at, path.size()));
      cycle.add(id);
      return cycle;
    }
    Job job = jobs.get(id);
    if (job == null || done.contains(id)) {
      return List.of();
    }
    path.add(id);
    for (JobId dependency : dependencies(job.trigger())) {
      List<JobId> found = cycleFrom(dependency, jobs, done, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    done.add(id);
    return List.of();
  }

  /** Adds the change after the changes (among {@code all}) of the jobs it depends on. */
  private static void place(
      Change change,
      Map<JobId, Change> all,
      Set<JobId> placed,
      Set<JobId> visiting,
      List<Change> out) {
    if (placed.contains(change.id()) || !visiting.add(change.id())) {
      return; // done, or a cycle: the scheduler names it
    }
    Job job = change.after() != null ? change.after() : change.before();
    for (JobId dependency : dependencies(job.trigger())) {
      Change first = all.get(dependency);
      if (first != null) {
        place(first, all, placed, visiting, out);
      }
    }
    if (placed.add(change.id())) {
      out.add(change);
    }
  }

  /** The jobs an after trigger names (the scheduler takes after only as a job's own trigger). */
  private static Set<JobId> dependencies(Trigger trigger) {
    Set<JobId> ids = new java.util.TreeSet<>(Comparator.comparing(JobId::value));
    if (trigger instanceof Trigger.After after) {
      ids.addAll(after.jobs());
    }
    return ids;
  }

  /**
   * Whether {@code after} leaves {@code before} as it is: their job-file forms are equal but for
   * the owner (the test of a {@link Action#KEEP}).
   */
  private static boolean same(Job before, Job after) {
    return new Change(Action.CHANGE, before.id(), before, after).fields().isEmpty();
  }

  /** The changes with the action. */
  public List<Change> with(Action action) {
    return changes.stream().filter(c -> c.action() == action).toList();
  }

  /** True when applying changes nothing. */
  public boolean isEmpty() {
    return changes.stream().allMatch(c -> c.action() == Action.KEEP);
  }

  /** The job-file form minus the owner, with JSON-equal values (numbers of any width compare). */
  private static Map<String, Object> comparable(Job job) {
    Map<String, Object> spec = new HashMap<>(JobSpecs.toSpec(job));
    spec.remove("owner");
    @SuppressWarnings("unchecked")
    Map<String, Object> normal = (Map<String, Object>) normalise(spec);
    return normal;
  }

  private static Object normalise(Object value) {
    return switch (value) {
      case Map<?, ?> map -> {
        Map<String, Object> out = new HashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
        yield out;
      }
      case List<?> list -> list.stream().map(Plan::normalise).toList();
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case null -> null;
      default -> value;
    };
  }
}
