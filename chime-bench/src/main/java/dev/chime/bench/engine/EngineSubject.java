package dev.chime.bench.engine;

import dev.chime.bench.harness.Sink;

/** A system the engine scenario measures: its name, settings and how to start one. */
public interface EngineSubject {

  /** The system name in the results, per the benchmark contract ("chime", "quartz"...). */
  String name();

  /** A line for the table: version and settings that matter. */
  String describe(int threads);

  /**
   * How many jobs each measurement uses, given the sizes every system should use. A peer that
   * cannot get through them in reasonable time returns smaller ones (the table says so).
   */
  default Sizes sizes(Sizes standard) {
    return standard;
  }

  /** A started scheduler with {@code threads} worker threads whose jobs report to {@code sink}. */
  EngineSystem<?> open(int threads, Sink sink) throws Exception;
}
