package dev.chime.internal.engine;

import dev.chime.SchedulerEvent;
import dev.chime.SchedulerListener;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners in the order the engine produced them, one at a time, outside the
 * engine's lock. Events are queued under the lock (which fixes their order) and delivered by
 * whichever thread calls {@link #deliver} first; the others return at once. With no listener,
 * nothing is queued, so the hot path pays one volatile read.
 */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
  private final Queue<SchedulerEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean delivering = new AtomicBoolean();
  private volatile boolean any;

  void add(SchedulerListener listener) {
    listeners.add(listener);
    any = true;
  }

  boolean wanted() {
    return any;
  }

  /** Queues an event; call under the engine's lock. */
  void emit(SchedulerEvent event) {
    if (any) {
      queue.add(event);
    }
  }

  /** Delivers queued events unless another thread is delivering; call outside the lock. */
  void deliver() {
    while (any && !queue.isEmpty() && delivering.compareAndSet(false, true)) {
      try {
        SchedulerEvent event;
        while ((event = queue.poll()) != null) {
          for (SchedulerListener listener : listeners) {
            notify(listener, event);
          }
        }
      } finally {
        delivering.set(false);
      }
    }
  }

  private static void notify(SchedulerListener listener, SchedulerEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("listener {} failed on {}", listener, event, e);
    }
  }
}
