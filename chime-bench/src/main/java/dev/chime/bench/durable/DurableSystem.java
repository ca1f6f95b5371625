package dev.chime.bench.durable;

import dev.chime.bench.engine.EngineSystem;
import java.util.List;

/**
 * One scheduler on a database, started and ready: the engine scenario's calls plus the system's own
 * batch call. Every execution of a job must call {@code Sink.ran} first thing, with the due instant
 * as the system itself knows it. {@link #close} stops the scheduler and closes its pool.
 *
 * @param <J> the job as the system's API takes it, built by {@link #prepare} outside timed calls
 */
interface DurableSystem<J> extends EngineSystem<J> {

  /** Hands every job over in the system's own batch call, returning once they are stored. */
  void scheduleBatch(List<J> jobs) throws Exception;
}
