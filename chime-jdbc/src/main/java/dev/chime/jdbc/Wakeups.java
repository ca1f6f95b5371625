package dev.chime.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL wake-ups between nodes: a node that adds or moves a job so that it is due within the
 * look-ahead sends {@code NOTIFY} on the schema's channel; every other node listens on a connection
 * of its own (outside the pool) and claims at once instead of at its next poll (at most {@code
 * claimAhead / 2}, one second, away).
 *
 * <p>NOTIFY takes a database-wide lock when its transaction commits, so it is sent sparingly: at
 * most one per {@value #DEBOUNCE_MILLIS} ms per node, however many jobs came due (a batch of 10,000
 * jobs is one notification), from a thread of its own after the jobs' transaction, never inside the
 * claim/fire path. A lost notification costs only latency: the poll still finds the work. The
 * listener reconnects after a failure (a terminated backend, a restart).
 */
final class Wakeups implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);

  /** The least time between two notifications of one node. */
  static final long DEBOUNCE_MILLIS = 20;

  /** How long the listener waits for a notification before it looks whether it should stop. */
  private static final int LISTEN_POLL_MILLIS = 500;

  private final PostgresDialect db;
  private final String node;
  private final String channel;
  private final ScheduledExecutorService sender;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Thread listener;
  private volatile long lastSent =
      System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MILLIS);
  private volatile Runnable wake;
  private volatile boolean closed;
  private volatile Connection listening;

  Wakeups(PostgresDialect db, String node) {
    this.db = db;
    this.node = node;
    this.channel = db.channel();
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chime-notify").daemon(true).factory());
    this.listener =
        Thread.ofPlatform().name("chime-listen").daemon(true).unstarted(this::listenForever);
  }

  /** Starts listening; {@code wake} is called (on the listener's thread) per notification. */
  void onWake(Runnable action) {
    this.wake = action;
    if (listener.getState() == Thread.State.NEW) {
      listener.start();
    }
  }

  /** Says that work is due now: one NOTIFY soon, shared with every other call meanwhile. */
  void due() {
    if (closed || !pending.compareAndSet(false, true)) {
      return;
    }
    long wait = lastSent + TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MILLIS) - System.nanoTime();
    try {
      sender.schedule(this::send, Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending.set(false); // closing
    }
  }

  private void send() {
    pending.set(false); // a due() from now on sends again (after the debounce)
    lastSent = System.nanoTime();
    try {
      db.autocommit(
          "notify the other nodes",
          session -> {
            PreparedStatement notify = session.prepare("SELECT pg_notify(?, ?)");
            notify.setString(1, channel);
            notify.setString(2, node);
            return notify.execute();
          });
    } catch (RuntimeException e) {
      LOG.debug("cannot notify the other nodes (they find the work at their next poll): {}", e);
    }
  }

  private void listenForever() {
    while (!closed) {
      try (Connection connection = db.connectOutsideThePool();
          Statement statement = connection.createStatement()) {
        listening = connection;
        statement.execute("LISTEN \"" + channel + "\"");
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] got = pg.getNotifications(LISTEN_POLL_MILLIS);
          if (got != null && fromOthers(got)) {
            Runnable action = wake;
            if (action != null) {
              action.run();
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          LOG.debug("the wake-up listener lost its connection; reconnecting in a second: {}", e);
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
      } finally {
        listening = null;
      }
    }
  }

  private boolean fromOthers(PGNotification[] got) {
    for (PGNotification notification : got) {
      if (!node.equals(notification.getParameter())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    sender.shutdownNow();
    Connection connection = listening;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the wake-up listener: {}", e.toString());
      }
    }
  }
}
