package dev.chime.server.kinds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a process and everything it started: the descendants are listed while the root is still
 * alive (once it dies they are re-parented and can no longer be found from it), sent TERM deepest
 * first and then the root; whatever is still alive after the grace gets KILL, with the children its
 * processes forked meanwhile.
 */
final class ProcessTree {
  /** How long TERM gets before KILL. */
  static final Duration GRACE = Duration.ofSeconds(2);

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private ProcessTree() {}

  /**
   * Kills the tree and waits until every process of it has exited (or KILL had its grace too);
   * returns how many processes were signalled. Ignores interrupts meanwhile and restores the flag.
   */
  static int kill(ProcessHandle root) {
    boolean interrupted = Thread.interrupted();
    try {
      List<ProcessHandle> tree = treeOf(root);
      tree.forEach(ProcessHandle::destroy);
      if (!awaitExit(tree, GRACE)) {
        // Children forked since the first look, by any process of the tree still running: the
        // root may be gone (its children re-parented) while a descendant that ignores TERM forks.
        java.util.Set<ProcessHandle> rest = new java.util.LinkedHashSet<>();
        for (ProcessHandle known : tree.reversed()) { // the root first: one listing of a subtree
          if (running(known) && !rest.contains(known)) { // listed already through its parent
            List<ProcessHandle> under = new ArrayList<>();
            addDescendants(known, under);
            rest.addAll(under);
            rest.add(known);
          }
        }
        rest.stream().filter(ProcessTree::running).forEach(ProcessHandle::destroyForcibly);
        awaitExit(List.copyOf(rest), GRACE);
      }
      return tree.size();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The root's descendants, deepest first, then the root. */
  private static List<ProcessHandle> treeOf(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    if (root.isAlive()) {
      addDescendants(root, tree);
      tree.add(root);
    }
    return tree;
  }

  private static void addDescendants(ProcessHandle parent, List<ProcessHandle> into) {
    parent
        .children()
        .forEach(
            child -> {
              addDescendants(child, into);
              into.add(child);
            });
  }

  /**
   * Whether the process still runs: alive and, where {@code /proc} tells, not a zombie (an orphan
   * that has exited stays a zombie until init reaps it, which can take a second or more; the JDK
   * counts it as alive).
   */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int end = stat.lastIndexOf(')'); // the command name in parentheses may hold spaces
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return process.isAlive(); // no /proc (not Linux), or it has just gone
    }
  }

  /**
   * Polls until every process has exited or the grace is over (the JDK's {@code onExit} of a
   * process that is not our child polls with a back-off that reaches a second or more).
   */
  private static boolean awaitExit(List<ProcessHandle> processes, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    boolean interrupted = false;
    try {
      while (processes.stream().anyMatch(ProcessTree::running)) {
        if (System.nanoTime() - deadline > 0) {
          return false;
        }
        LockSupport.parkNanos(POLL_NANOS);
        interrupted |= Thread.interrupted(); // keep waiting: the tree must not outlive the run
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
