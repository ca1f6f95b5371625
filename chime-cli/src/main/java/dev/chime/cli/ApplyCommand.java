package dev.chime.cli;

import dev.chime.server.spec.Plan;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chime apply FILE... [--prune]}: makes the server's jobs match the files. Each file owns
 * its jobs ({@code file:PATH}); {@code --prune} deletes only jobs the file owns and no longer
 * lists, never jobs made through the API or by another file. Jobs are created and replaced with PUT
 * {@code ?owner=file:PATH}, which the server does atomically and refuses (409) for a job of another
 * owner, so two applies of one file at once both succeed.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Apply job files: create new jobs and replace changed ones.",
      "With --prune, also delete the jobs a file owns and no longer lists. Prints what it did."
    })
final class ApplyCommand extends ClientCommand {
  @Mixin JobFileArguments input;

  @Option(names = "--prune", description = "Delete the jobs a file owns and no longer lists.")
  boolean prune;

  @Mixin PluginsOption plugins;

  ApplyCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    return plugins.around(this::run);
  }

  private Integer run() {
    List<JobFiles.Desired> desired = input.read();
    List<dev.chime.Job> current = JobFiles.current(this, desired);
    List<JobFiles.Step> steps =
        JobFiles.inOrder(JobFiles.plan(desired, current, environment.clock().instant(), zone()));
    // What would stop the apply part way (a removal another job depends on, a cycle) is refused
    // before any change.
    List<String> blockers = JobFiles.blockers(steps, current, prune);
    if (!blockers.isEmpty()) {
      throw new Main.UsageError(String.join("\n", blockers) + "; nothing was changed");
    }
    List<String> done = new ArrayList<>();
    RuntimeException refused = null;
    int requests = (int) steps.stream().filter(this::sends).count();
    try (Progress progress = progress("applying", requests, true)) {
      for (JobFiles.Step step : steps) {
        try {
          done.add(apply(step));
        } catch (Main.UsageError | Main.Failure e) {
          refused = e;
          break;
        }
        if (sends(step)) {
          progress.step();
        }
      }
    }
    if (refused != null) {
      throw undone(steps.subList(0, done.size()), done, refused);
    }
    // Printed only now that every step is made: a refusal part way undoes the steps before it, and
    // stdout must not have claimed them.
    print(steps, done);
    if (!options.json && steps.isEmpty()) {
      out().println("the files list no jobs and own none on the server");
    }
    return Main.OK;
  }

  /** Whether the step changes the server (a kept job, or a removal without --prune, does not). */
  private boolean sends(JobFiles.Step step) {
    return switch (step.change().action()) {
      case ADD, CHANGE -> true;
      case REMOVE -> prune;
      case KEEP -> false;
    };
  }

  /** The steps made, each with what it did: a line each, or {@code {"changes": [...]}}. */
  private void print(List<JobFiles.Step> steps, List<String> done) {
    if (options.json) {
      printedJson(JobFiles.json(steps, done));
      return;
    }
    int width =
        steps.stream().mapToInt(step -> step.change().id().value().length()).max().orElse(0);
    for (int i = 0; i < steps.size(); i++) {
      out().println(line(steps.get(i), done.get(i), width));
    }
  }

  /**
   * Undoes what this apply made before a change the server refused (a created job deleted, a
   * replaced one put back), newest first, so the files are applied whole or not at all; the
   * refusal, with what was undone, keeps its exit code. A deletion (removals come last) is not
   * undone: it and any step that could not be undone are what stdout lists, as they remain.
   */
  private RuntimeException undone(
      List<JobFiles.Step> made, List<String> done, RuntimeException refusal) {
    Undo undo = new Undo();
    int requests = (int) made.stream().filter(ApplyCommand::undoable).count();
    try (Progress progress = progress("undoing", requests, true)) {
      for (int i = made.size() - 1; i >= 0; i--) {
        undo(made.get(i), done.get(i), undo);
        if (undoable(made.get(i))) {
          progress.step();
        }
      }
    }
    if (!undo.remaining.isEmpty()) {
      print(undo.remaining.reversed(), undo.remainingDone.reversed());
    }
    String message = refusal.getMessage() + undo.summary();
    return refusal instanceof Main.UsageError
        ? new Main.UsageError(message)
        : new Main.Failure(message);
  }

  /** Whether undoing the step sends a request: a creation or a replacement. */
  private static boolean undoable(JobFiles.Step step) {
    return step.change().action() == Plan.Action.ADD
        || step.change().action() == Plan.Action.CHANGE;
  }

  private void undo(JobFiles.Step step, String done, Undo undo) {
    Plan.Change change = step.change();
    String id = change.id().value();
    String owner = "?owner=" + ApiClient.segment(step.file().owner());
    try {
      switch (change.action()) {
        case ADD -> api().delete(job(id, ""));
        case CHANGE -> api().put(job(id, owner), JobFiles.body(change.before()));
        case REMOVE -> {
          if (prune) {
            undo.deleted.add(id);
            undo.remains(step, done);
          }
          return;
        }
        case KEEP -> {
          return; // changed nothing
        }
      }
      undo.undone.add(id);
    } catch (Main.UsageError | Main.Failure e) {
      undo.left.add(id + " (" + e.getMessage() + ")");
      undo.remains(step, done + " (could not undo it)");
    }
  }

  /** What undoing found, newest step first. */
  private static final class Undo {
    final List<String> undone = new ArrayList<>();
    final List<String> left = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    final List<JobFiles.Step> remaining = new ArrayList<>();
    final List<String> remainingDone = new ArrayList<>();

    void remains(JobFiles.Step step, String done) {
      remaining.add(step);
      remainingDone.add(done);
    }

    String summary() {
      return (undone.isEmpty() ? "" : "; undone: " + String.join(", ", undone))
          + (left.isEmpty() ? "" : "; could not undo: " + String.join(", ", left))
          + (deleted.isEmpty()
              ? ""
              : "; deleted before the refusal (not undone): " + String.join(", ", deleted));
    }
  }

  private static String line(JobFiles.Step step, String done, int width) {
    String id = step.change().id().value();
    String next = step.next().isEmpty() ? "" : "  next " + String.join(", ", step.next());
    return (JobFiles.sign(step) + " " + id + " ".repeat(width - id.length()) + "  " + done + next)
        .stripTrailing();
  }

  private String apply(JobFiles.Step step) {
    Plan.Change change = step.change();
    String owner = "?owner=" + ApiClient.segment(step.file().owner());
    return switch (change.action()) {
      case ADD -> {
        // PUT, not POST: atomic on the server, so an apply of the same file that created the job
        // meanwhile is replaced (200) rather than a failure, and any other owner's job is a 409.
        int status =
            api().put(job(change.id().value(), owner), JobFiles.body(change.after())).status();
        yield status == 201 ? "created" : "updated (it was created meanwhile by this file)";
      }
      case CHANGE -> {
        api().put(job(change.id().value(), owner), JobFiles.body(change.after()));
        yield "updated " + String.join(", ", step.fields());
      }
      case REMOVE -> {
        if (!prune) {
          yield "kept (not in the file; --prune removes it)";
        }
        api().delete(job(change.id().value(), ""));
        yield "deleted";
      }
      case KEEP -> "unchanged";
    };
  }
}
