package dev.chime.internal.engine;

import dev.chime.Event;
import dev.chime.JobId;
import dev.chime.Trigger;
import dev.chime.internal.timer.Nanos;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file triggers of one scheduler: a {@link WatchService} (made with the first file job) and one
 * thread that takes its events, keeps the changes each job's trigger counts, and sets the job's
 * debounce deadline, on the engine's clock, to the last change plus the debounce. The engine's
 * cycle takes the jobs whose deadline has passed ({@link #takeDue}) and starts their runs, so the
 * debounce is timed like every other deadline (a test moves a fake clock and runs a cycle).
 *
 * <p>Guarded by this object's monitor; the engine calls in with its own lock held, the thread never
 * takes the engine's lock (it only wakes the dispatcher), so the two locks cannot deadlock.
 */
final class FileWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);

  /** A job's watch and the changes gathered for its next run. */
  private static final class Watch {
    final Trigger.OnFile trigger;
    final PathMatcher names;
    final Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
    boolean truncated;
    long dueNanos = Long.MAX_VALUE;

    Watch(Trigger.OnFile trigger) {
      this.trigger = trigger;
      this.names =
          trigger.glob() == null
              ? null
              : FileSystems.getDefault().getPathMatcher("glob:" + trigger.glob());
    }

    void add(Trigger.OnFile.Change kind, Path name, long nowNanos) {
      if (!trigger.on().contains(kind) || names != null && !names.matches(name)) {
        return;
      }
      String kindName = kind.name().toLowerCase(Locale.ROOT);
      String key = kindName + ":" + name;
      if (!changes.containsKey(key)) {
        if (changes.size() < Trigger.OnFile.MAX_CHANGES) {
          Map<String, Object> change = new LinkedHashMap<>(); // in this order in the JSON
          change.put("path", name.toString());
          change.put("kind", kindName);
          changes.put(key, change);
        } else {
          truncated = true;
        }
      }
      dueNanos = nowNanos + trigger.debounce().toNanos();
    }

    /** The event of the changes gathered, which are then forgotten. */
    Event take() {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("path", trigger.path().toString());
      payload.put("changes", new ArrayList<>(changes.values()));
      if (truncated) {
        payload.put("truncated", true);
      }
      changes.clear();
      truncated = false;
      dueNanos = Long.MAX_VALUE;
      return new Event(Trigger.OnFile.EVENT, payload);
    }
  }

  private final Clock clock;
  private final Runnable wake;
  private final Map<JobId, Watch> watches = new HashMap<>();
  private final Map<Path, WatchKey> keys = new HashMap<>();
  // Directories of watched jobs that went away (their key no longer valid): watched again, with a
  // log line, once they exist again (looked for every RETRY_SECONDS).
  private final java.util.Set<Path> lost = new java.util.HashSet<>();
  private WatchService service;
  private boolean closed;
  // Set by the first watch and never cleared: until then (most schedulers never watch a file) the
  // calls the engine makes on every schedule and every cycle return without taking the monitor.
  private volatile boolean used;

  FileWatch(Clock clock, Runnable wake) {
    this.clock = clock;
    this.wake = wake;
  }

  /** Watches the trigger's directory for the job (replacing an earlier watch of the job). */
  synchronized void watch(JobId job, Trigger.OnFile trigger) throws IOException {
    drop(job);
    if (closed) {
      return;
    }
    if (service == null) {
      service = FileSystems.getDefault().newWatchService();
      WatchService taken = service;
      Thread.ofPlatform().name("chime-files").daemon(true).start(() -> loop(taken));
    }
    WatchKey known = keys.get(trigger.path());
    if (known == null || !known.isValid()) { // invalid: the directory was deleted and made again
      keys.put(trigger.path(), register(trigger.path(), service));
    }
    lost.remove(trigger.path());
    watches.put(job, new Watch(trigger));
    used = true;
  }

  /** Stops watching for the job; its gathered changes are dropped. */
  void unwatch(JobId job) {
    if (used) {
      drop(job);
    }
  }

  private synchronized void drop(JobId job) {
    Watch gone = watches.remove(job);
    if (gone == null) {
      return;
    }
    Path directory = gone.trigger.path();
    if (watches.values().stream().noneMatch(w -> w.trigger.path().equals(directory))) {
      WatchKey key = keys.remove(directory);
      if (key != null) {
        key.cancel();
      }
      lost.remove(directory);
    }
  }

  /** The earliest debounce deadline (epoch nanos on the engine's clock), or Long.MAX_VALUE. */
  long nextDue() {
    return used ? earliest() : Long.MAX_VALUE;
  }

  private synchronized long earliest() {
    long next = Long.MAX_VALUE;
    for (Watch watch : watches.values()) {
      next = Math.min(next, watch.dueNanos);
    }
    return next;
  }

  /** The jobs whose debounce has passed, each with the event of its changes, in job-id order. */
  List<Map.Entry<JobId, Event>> takeDue(long nowNanos) {
    return used ? passed(nowNanos) : List.of();
  }

  private synchronized List<Map.Entry<JobId, Event>> passed(long nowNanos) {
    List<Map.Entry<JobId, Event>> due = new ArrayList<>();
    for (Map.Entry<JobId, Watch> entry : watches.entrySet()) {
      if (entry.getValue().dueNanos <= nowNanos) {
        due.add(Map.entry(entry.getKey(), entry.getValue().take()));
      }
    }
    due.sort(Map.Entry.comparingByKey(Dependencies.BY_ID));
    return due;
  }

  /** How many changes are gathered for the job's next run (tests await this). */
  synchronized int pending(JobId job) {
    Watch watch = watches.get(job);
    return watch == null ? 0 : watch.changes.size();
  }

  @Override
  public void close() {
    WatchService stopping;
    synchronized (this) {
      closed = true;
      stopping = service;
      watches.clear();
      keys.clear();
      lost.clear();
    }
    if (stopping != null) {
      try {
        stopping.close(); // ends the thread's take()
      } catch (IOException e) {
        LOG.warn("closing the file watch service failed: {}", e.toString());
      }
    }
  }

  private static WatchKey register(Path directory, WatchService service) throws IOException {
    return directory.register(
        service,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
  }

  /** How often directories that went away are looked for again. */
  private static final long RETRY_SECONDS = 1;

  private void loop(WatchService taken) {
    while (true) {
      WatchKey key;
      try {
        key = taken.poll(RETRY_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      if (key != null) {
        gathered(key);
        if (!key.reset()) {
          lost((Path) key.watchable());
        }
        wake.run();
      }
      try {
        rewatch(taken);
      } catch (ClosedWatchServiceException e) {
        return;
      }
    }
  }

  private synchronized void lost(Path directory) {
    if (closed || keys.get(directory) == null || keys.get(directory).isValid()) {
      return; // closed, unwatched, or already watched again (an update re-registered it)
    }
    keys.remove(directory);
    lost.add(directory);
    LOG.warn(
        "{} can no longer be watched (deleted?): its file triggers wait until it exists again",
        directory);
  }

  /**
   * Watches again the lost directories that exist again. The file system is asked outside the
   * monitor (a slow one must not hold up the engine's calls), the watch made under it.
   */
  private void rewatch(WatchService taken) {
    List<Path> back;
    synchronized (this) {
      if (lost.isEmpty()) {
        return;
      }
      back = new ArrayList<>(lost);
    }
    back.removeIf(directory -> !Files.isDirectory(directory));
    if (!back.isEmpty()) {
      watchAgain(taken, back);
    }
  }

  private synchronized void watchAgain(WatchService taken, List<Path> back) {
    for (Path directory : back) {
      if (closed || !lost.contains(directory)) {
        continue;
      }
      try {
        keys.put(directory, register(directory, taken));
        lost.remove(directory);
        LOG.info("{} exists again: its file triggers watch it again", directory);
      } catch (IOException e) {
        // not yet (or not readable): tried again in a second
      }
    }
  }

  private synchronized void gathered(WatchKey key) {
    Path directory = (Path) key.watchable();
    long now = Nanos.of(clock.instant());
    for (WatchEvent<?> event : key.pollEvents()) {
      for (Watch watch : watches.values()) {
        if (!watch.trigger.path().equals(directory)) {
          continue;
        }
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
          watch.truncated = true; // the system dropped events: say some are missing
          watch.dueNanos = now + watch.trigger.debounce().toNanos();
        } else {
          watch.add(kind(event.kind()), (Path) event.context(), now);
        }
      }
    }
  }

  private static Trigger.OnFile.Change kind(WatchEvent.Kind<?> kind) {
    if (kind == StandardWatchEventKinds.ENTRY_CREATE) {
      return Trigger.OnFile.Change.CREATE;
    }
    return kind == StandardWatchEventKinds.ENTRY_DELETE
        ? Trigger.OnFile.Change.DELETE
        : Trigger.OnFile.Change.MODIFY;
  }
}
