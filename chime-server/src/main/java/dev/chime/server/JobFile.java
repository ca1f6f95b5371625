package dev.chime.server;

import dev.chime.Job;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.Scheduler;
import dev.chime.SchedulerException;
import dev.chime.jdbc.AppliedJobFile;
import dev.chime.jdbc.JdbcJobStore;
import dev.chime.server.spec.JobSpecs;
import dev.chime.server.spec.Plan;
import dev.chime.server.spec.SpecError;
import dev.chime.server.spec.SpecException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a job file at start-up ({@code chime serve --config}): its jobs are owned by {@code
 * file:PATH} (absolute, normalised); the {@link Plan} adds, changes and removes (prunes) only this
 * file's jobs, and a listed id that another owner holds is an error. An invalid file is rejected
 * whole, every error listed as {@code file:line: field: message}.
 *
 * <p>Cluster-aware: the file is applied holding the store's job-file lock ({@link
 * JdbcJobStore#withJobFileLock}), and the plan is computed inside it, so nodes that start together
 * apply one after another and the later ones find nothing left to do. The store keeps each version
 * (SHA-256 of the file's bytes) applied per owner ({@code chime_job_files}). The rule: a file whose
 * version was applied before but is no longer the newest is an <em>older copy</em> and is not
 * applied (a warning says which versions, when and by which node); any other file (a version never
 * seen, or the newest) is applied and becomes the newest. So a node started with a stale copy never
 * reverts a newer one; going back to an old version on purpose takes an edit of the file (any byte
 * makes a new version).
 */
final class JobFile {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobFile.class);

  private JobFile() {}

  /** What start-up did with the file. */
  enum Status {
    /** Applied: the plan's changes were made and the version recorded as the newest. */
    APPLIED,
    /** Not applied: the version was applied before and a newer one since. */
    OLDER_COPY
  }

  /**
   * The outcome.
   *
   * @param file the file as given
   * @param owner {@code file:PATH}
   * @param sha256 the file's version
   * @param status applied or not
   * @param plan what was done (empty when not applied)
   * @param newest the newest version the store has recorded, after this start-up
   * @param thisVersion this version as recorded (for an older copy: when it was last applied)
   */
  record Outcome(
      Path file,
      String owner,
      String sha256,
      Status status,
      Plan plan,
      AppliedJobFile newest,
      AppliedJobFile thisVersion) {
    /** One line for the log that says what happened and why. */
    String message() {
      if (status == Status.APPLIED) {
        return String.format(
            Locale.ROOT,
            "job file %s (version %s): added %s, changed %s, removed %s",
            file,
            shortSha(sha256),
            ids(Plan.Action.ADD),
            ids(Plan.Action.CHANGE),
            ids(Plan.Action.REMOVE));
      }
      return String.format(
          Locale.ROOT,
          "job file %s is an older copy, NOT applied: its version %s was applied at %s by node"
              + " %s, and a newer version %s at %s by node %s; the jobs of %s stay as the newer"
              + " version made them. Give every node the same file; to go back to this version on"
              + " purpose, change the file (any byte makes a new version)",
          file,
          shortSha(sha256),
          thisVersion.appliedAt(),
          thisVersion.node(),
          shortSha(newest.sha256()),
          newest.appliedAt(),
          newest.node(),
          owner);
    }

    private List<String> ids(Plan.Action action) {
      return plan.with(action).stream().map(change -> change.id().value()).toList();
    }
  }

  /**
   * Reads the file and applies it under the store's job-file lock; throws {@link
   * IllegalArgumentException} listing every error.
   */
  static Outcome apply(Path file, Scheduler scheduler, JdbcJobStore store) {
    String owner = "file:" + file.toAbsolutePath().normalize();
    byte[] bytes = read(file);
    String sha256 = sha256(bytes);
    List<Job> desired = parse(file, bytes, owner);
    return store.withJobFileLock(
        () -> {
          List<AppliedJobFile> versions = store.appliedJobFiles(owner);
          Optional<AppliedJobFile> seen =
              versions.stream().filter(v -> v.sha256().equals(sha256)).findFirst();
          if (seen.isPresent() && !versions.get(0).sha256().equals(sha256)) {
            return new Outcome(
                file,
                owner,
                sha256,
                Status.OLDER_COPY,
                new Plan(List.of()),
                versions.get(0),
                seen.get());
          }
          List<Job> current = scheduler.list(JobQuery.ALL).stream().map(JobInfo::job).toList();
          Plan plan = plan(file, bytes, current, desired, owner);
          List<SpecError> blockers = plan.blockers(current, file.toString(), true);
          if (!blockers.isEmpty()) {
            throw invalid(file, located(file, bytes, blockers), null); // before any change
          }
          make(file, bytes, plan, scheduler);
          AppliedJobFile newest = store.recordJobFile(owner, sha256).get(0);
          return new Outcome(file, owner, sha256, Status.APPLIED, plan, newest, newest);
        });
  }

  /** Reads and parses the file without applying it; throws as {@link #apply} does. */
  static void check(Path file) {
    parse(file, read(file), "file:" + file.toAbsolutePath().normalize());
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw invalid(
          file,
          List.of(
              new SpecError(
                  file.toString(), 0, "", "cannot be read: " + JobSpecs.unreadable(file, e))),
          e);
    }
  }

  private static List<Job> parse(Path file, byte[] bytes, String owner) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return JobSpecs.read(file.toString(), text, owner);
    } catch (CharacterCodingException e) {
      throw invalid(
          file, List.of(new SpecError(file.toString(), 0, "", "cannot be read: not UTF-8")), e);
    } catch (SpecException e) {
      throw invalid(file, e.errors(), e);
    }
  }

  private static Plan plan(
      Path file, byte[] bytes, List<Job> current, List<Job> desired, String owner) {
    try {
      return Plan.of(current, desired, owner, true);
    } catch (SpecException e) {
      throw invalid(file, located(file, bytes, e.errors()), e);
    }
  }

  /**
   * The plan's errors, which name a job by id in their field, at the job's line and path in the
   * file, as parse errors are; a job the file does not list (another owner's) has no line.
   */
  private static List<SpecError> located(Path file, byte[] bytes, List<SpecError> errors) {
    Map<String, JobSpecs.Place> places = places(file, bytes);
    List<SpecError> located = new ArrayList<>();
    for (SpecError error : errors) {
      located.add(
          places.containsKey(error.field())
              ? at(file, places, error.field(), "id", error.message())
              : new SpecError(file.toString(), 0, "", error.message()));
    }
    return located;
  }

  /** An error of the job {@code id} at its line, its field under the job's path in the file. */
  private static SpecError at(
      Path file, Map<String, JobSpecs.Place> places, String id, String field, String message) {
    JobSpecs.Place place = places.getOrDefault(id, new JobSpecs.Place(0, ""));
    String path =
        place.path().isEmpty()
            ? field
            : field.isEmpty() ? place.path() : place.path() + "." + field;
    return new SpecError(file.toString(), place.line(), path, message);
  }

  private static Map<String, JobSpecs.Place> places(Path file, byte[] bytes) {
    return JobSpecs.places(file.toString(), new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Makes the plan's changes, dependencies first, or none: what only the scheduler refuses (a
   * handler not registered, a dependency that does not exist, a watched path that is gone) is
   * collected for every job, and the changes already made are undone before the file is refused
   * with all of them. Removals come last, once every job of the file was taken.
   */
  private static void make(Path file, byte[] bytes, Plan plan, Scheduler scheduler) {
    List<Plan.Change> made = new ArrayList<>();
    List<SpecError> refused = new ArrayList<>();
    Map<String, JobSpecs.Place> places = null;
    for (Plan.Change change : plan.inOrder()) {
      if (change.action() == Plan.Action.KEEP
          || change.action() == Plan.Action.REMOVE && !refused.isEmpty()) {
        continue;
      }
      try {
        switch (change.action()) {
          case ADD -> scheduler.schedule(change.after());
          case CHANGE -> scheduler.update(change.after());
          case REMOVE -> scheduler.delete(change.id());
          case KEEP -> {}
        }
        made.add(change);
      } catch (SchedulerException | IllegalArgumentException e) {
        if (places == null) {
          places = places(file, bytes);
        }
        String field = e instanceof SchedulerException s && s.field() != null ? s.field() : "";
        refused.add(at(file, places, change.id().value(), field, e.getMessage()));
      }
    }
    if (refused.isEmpty()) {
      return;
    }
    for (Plan.Change change : made.reversed()) {
      try {
        switch (change.action()) {
          case ADD -> scheduler.delete(change.id());
          case CHANGE -> scheduler.update(change.before());
          default -> {}
        }
      } catch (RuntimeException e) {
        LOG.error(
            "undoing the job file {}: job {} is left as the file made it", file, change.id(), e);
      }
    }
    throw invalid(file, refused, null);
  }

  private static IllegalArgumentException invalid(
      Path file, List<SpecError> errors, Exception cause) {
    return new IllegalArgumentException(
        "the job file "
            + file
            + " is invalid ("
            + errors.size()
            + " error(s)):\n  "
            + String.join("\n  ", errors.stream().map(SpecError::toString).toList()),
        cause);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The first 12 hex digits, enough to tell versions apart in a log. */
  static String shortSha(String sha256) {
    return sha256.substring(0, 12);
  }
}
