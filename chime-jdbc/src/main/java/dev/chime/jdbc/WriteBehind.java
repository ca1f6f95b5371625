package dev.chime.jdbc;

import dev.chime.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run records that need not be durable before the caller goes on (a run's end: if the process dies
 * first, the run is found unfinished and recovered as interrupted), written by one thread in
 * batches: at most {@value #LINGER_MILLIS} ms after the first record, so the engine's locked
 * section never waits for the database on the completion path. Records are written in the order
 * they came; {@link #writeOrdered} is the one way records reach the table, so a synchronous write
 * (an advance with its runs) first takes what is queued and nothing is overtaken. A failed write
 * keeps its records queued and is retried after {@value #RETRY_MILLIS} ms.
 */
final class WriteBehind implements AutoCloseable {
  static final long LINGER_MILLIS = 5;
  static final long RETRY_MILLIS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);

  /** A write of queued records plus more, in one transaction. */
  @FunctionalInterface
  interface Write<T> {
    T apply(List<Run> queued);
  }

  private final ReentrantLock queueLock = new ReentrantLock();
  private final Condition queued = queueLock.newCondition();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Runs runs;
  private final Thread writer;
  private List<Run> pending = new ArrayList<>();
  private volatile boolean closed;
  private boolean failing;

  WriteBehind(Runs runs) {
    this.runs = runs;
    this.writer = Thread.ofPlatform().name("chime-run-writer").daemon(true).start(this::loop);
  }

  /** Queues the records; the writer writes them soon. */
  void add(List<Run> records) {
    if (records.isEmpty()) {
      return;
    }
    queueLock.lock();
    try {
      boolean wake = pending.isEmpty();
      pending.addAll(records);
      if (wake) {
        queued.signal();
      }
    } finally {
      queueLock.unlock();
    }
  }

  /**
   * Runs the write with everything queued so far, writers excluded meanwhile; if it fails, the
   * queued records go back to the front of the queue.
   */
  <T> T writeOrdered(Write<T> write) {
    writeLock.lock();
    try {
      List<Run> batch = take();
      try {
        return write.apply(batch);
      } catch (RuntimeException e) {
        putBack(batch);
        throw e;
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Writes what is queued now (reads call this first, so they see every record given). */
  void flush() {
    writeOrdered(
        batch -> {
          runs.record(batch);
          return null;
        });
  }

  private List<Run> take() {
    queueLock.lock();
    try {
      List<Run> batch = pending;
      pending = new ArrayList<>();
      return batch;
    } finally {
      queueLock.unlock();
    }
  }

  private void putBack(List<Run> batch) {
    queueLock.lock();
    try {
      batch.addAll(pending);
      pending = batch;
    } finally {
      queueLock.unlock();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        awaitRecords();
        TimeUnit.MILLISECONDS.sleep(LINGER_MILLIS); // gather a batch: one statement, not many
        flush();
        if (failing) {
          LOG.info("run records are written again");
          failing = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!failing) {
          LOG.warn("cannot write run records (kept, retrying every second): {}", e.getMessage());
          failing = true;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private void awaitRecords() throws InterruptedException {
    queueLock.lock();
    try {
      while (pending.isEmpty() && !closed) {
        queued.await();
      }
    } finally {
      queueLock.unlock();
    }
  }

  /** Stops the writer and writes what is left (failing if the database cannot take it). */
  @Override
  public void close() {
    closed = true;
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
