package dev.chime.bench.durable;

import dev.chime.bench.harness.Sink;

/** A system the durable scenario measures: its name, settings and how to start one. */
interface DurableSubject {

  /** The system name in the results, per the benchmark contract ("chime", "quartz"...). */
  String name();

  /** A line for the table: version and settings that matter. */
  String describe(int threads);

  /** How many jobs each pass uses, given the standard ones; a far slower peer may take fewer. */
  default DurableSizes sizes(DurableSizes standard) {
    return standard;
  }

  /** Whether the system keeps its jobs in the PostgreSQL schema (not elsewhere, like SQLite). */
  default boolean usesPostgres() {
    return true;
  }

  /**
   * A started scheduler on the (empty) schema of {@code database} with {@code threads} worker
   * threads whose jobs report to {@code sink}. Throws {@link UnsupportedOperationException} when
   * the system cannot be built in this tree: the scenario then reports it as not measured.
   */
  DurableSystem<?> open(Database database, int threads, Sink sink) throws Exception;
}
