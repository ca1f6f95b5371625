package dev.chime.internal.engine;

import dev.chime.JobId;
import dev.chime.RunState;
import dev.chime.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dependency graph of {@link Trigger.After} jobs: which jobs wait for which, and what each
 * awaited job's latest occurrence ended as since the dependent last fired. Guarded by the engine's
 * lock.
 */
final class Dependencies {
  /** A dependent's verdict once every job it waits for has ended. */
  record Verdict(JobId dependent, boolean fire, String reason) {}

  /** Job ids in text order, so messages and firing order do not depend on hashing. */
  static final java.util.Comparator<JobId> BY_ID = java.util.Comparator.comparing(JobId::value);

  private final Map<JobId, Trigger.After> waitsFor = new HashMap<>();
  private final Map<JobId, Set<JobId>> dependents = new HashMap<>();
  private final Map<JobId, Map<JobId, RunState>> seen = new HashMap<>();

  /** The cycle adding {@code job} waiting for {@code after} would close, or null if none. */
  List<JobId> cycleIf(JobId job, Trigger.After after) {
    for (JobId first : sorted(after.jobs())) {
      List<JobId> path = pathTo(first, job, new ArrayList<>());
      if (path != null) {
        List<JobId> cycle = new ArrayList<>();
        cycle.add(job);
        cycle.addAll(path);
        return cycle;
      }
    }
    return null;
  }

  /** A path from {@code from} along what it waits for, ending at {@code target}, or null. */
  private List<JobId> pathTo(JobId from, JobId target, List<JobId> trail) {
    if (trail.contains(from)) {
      return null;
    }
    trail.add(from);
    if (from.equals(target)) {
      return new ArrayList<>(trail);
    }
    Trigger.After after = waitsFor.get(from);
    if (after != null) {
      for (JobId next : sorted(after.jobs())) {
        List<JobId> path = pathTo(next, target, trail);
        if (path != null) {
          return path;
        }
      }
    }
    trail.remove(trail.size() - 1);
    return null;
  }

  private static List<JobId> sorted(Set<JobId> jobs) {
    return jobs.stream().sorted(BY_ID).toList();
  }

  /** An updated job's trigger: with the same dependencies, what it has seen still counts. */
  void update(JobId job, Trigger trigger) {
    if (!trigger.equals(waitsFor.get(job))) {
      put(job, trigger);
    }
  }

  /** A job's trigger, afresh (a new job, or one read at start): nothing seen yet. */
  void put(JobId job, Trigger trigger) {
    remove(job);
    if (trigger instanceof Trigger.After after) {
      waitsFor.put(job, after);
      for (JobId awaited : after.jobs()) {
        dependents.computeIfAbsent(awaited, k -> new TreeSet<>(BY_ID)).add(job);
      }
    }
  }

  void remove(JobId job) {
    if (waitsFor.isEmpty() && seen.isEmpty()) {
      return; // no job waits for another: the usual case, on every schedule
    }
    Trigger.After old = waitsFor.remove(job);
    seen.remove(job);
    if (old != null) {
      for (JobId awaited : old.jobs()) {
        Set<JobId> set = dependents.get(awaited);
        if (set != null) {
          set.remove(job);
          if (set.isEmpty()) {
            dependents.remove(awaited);
          }
        }
      }
    }
  }

  /** The jobs that wait for {@code job}. */
  Set<JobId> dependentsOf(JobId job) {
    return dependents.getOrDefault(job, Set.of());
  }

  /** Notes how an occurrence of {@code job} ended; returns the dependents now ready to decide. */
  List<Verdict> ended(JobId job, RunState outcome) {
    if (dependents.isEmpty()) {
      return List.of(); // no job waits for any: no lookup, no list, once per run
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (JobId dependent : dependentsOf(job)) {
      Trigger.After after = waitsFor.get(dependent);
      Map<JobId, RunState> outcomes = seen.computeIfAbsent(dependent, k -> new LinkedHashMap<>());
      outcomes.put(job, outcome);
      if (outcomes.keySet().containsAll(after.jobs())) {
        seen.remove(dependent);
        verdicts.add(verdict(dependent, after, outcomes));
      }
    }
    return verdicts;
  }

  /**
   * What a dependent does once every job it waits for has ended: on success it runs if all
   * succeeded, else it is skipped naming the first (by id) that did not; on failure it runs if one
   * ended otherwise than succeeded or skipped (a skipped occurrence never ran, so it did not fail);
   * on completion it always runs.
   */
  private static Verdict verdict(JobId dependent, Trigger.After after, Map<JobId, RunState> ends) {
    JobId failed = null;
    boolean anyFailed = false;
    for (JobId awaited : sorted(after.jobs())) {
      RunState end = ends.get(awaited);
      if (end != RunState.SUCCEEDED && failed == null) {
        failed = awaited;
      }
      anyFailed |= end != RunState.SUCCEEDED && end != RunState.SKIPPED;
    }
    return switch (after.outcome()) {
      case COMPLETION -> new Verdict(dependent, true, null);
      case SUCCESS ->
          failed == null
              ? new Verdict(dependent, true, null)
              : new Verdict(
                  dependent,
                  false,
                  "dependency "
                      + failed
                      + " "
                      + ends.get(failed).name().toLowerCase(java.util.Locale.ROOT));
      case FAILURE -> new Verdict(dependent, anyFailed, null);
    };
  }
}
