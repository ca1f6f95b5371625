package dev.chime.jdbc;

import dev.chime.RunId;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Run ids handed out from blocks reserved in the database (a sequence with a large increment on
 * PostgreSQL, a counter row on SQLite), so an id costs a round trip once per block, not per run,
 * and stores sharing a database never hand out the same id. The unused rest of a block is lost when
 * the store closes: ids have gaps, never repeats.
 */
final class RunIds {
  private final Dialect db;
  private final ReentrantLock lock = new ReentrantLock();
  private long next = 1;
  private long last;

  RunIds(Dialect db) {
    this.db = db;
  }

  RunId next() {
    return RunId.of(nextValue());
  }

  long nextValue() {
    lock.lock();
    try {
      if (next > last) {
        long[] block = db.autocommit("reserve run ids", db::reserveRunIds);
        next = block[0];
        last = block[1];
      }
      return next++;
    } finally {
      lock.unlock();
    }
  }
}
