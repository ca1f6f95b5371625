package dev.chime.server.kinds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and everything it started: the descendants are listed while the root is still
 * alive (once it dies they are re-parented and can no longer be found from it), sent TERM deepest
 * first and then the root; whatever is still alive after the grace gets KILL.
 */
final class ProcessTree {
  /** How long TERM gets before KILL. */
  static final Duration GRACE = Duration.ofSeconds(2);

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
        List<ProcessHandle> rest = new ArrayList<>(tree);
        rest.addAll(0, treeOf(root)); // children forked since the first look
        rest.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitExit(rest, GRACE);
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

  private static boolean awaitExit(List<ProcessHandle> processes, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle process : processes) {
      CompletableFuture<ProcessHandle> exit = process.onExit();
      long left = deadline - System.nanoTime();
      while (true) {
        try {
          exit.get(Math.max(0, left), TimeUnit.NANOSECONDS);
          break;
        } catch (InterruptedException e) {
          left = deadline - System.nanoTime(); // keep waiting: the tree must not outlive us
        } catch (TimeoutException e) {
          return false;
        } catch (ExecutionException e) {
          break;
        }
      }
    }
    return true;
  }
}
