package dev.chime;

/**
 * Receives every change, one event at a time and in order, on a scheduler thread. Keep it quick: a
 * slow listener delays the next event (never the jobs). An exception it throws is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface SchedulerListener {
  /** One change. */
  void onEvent(SchedulerEvent event);
}
