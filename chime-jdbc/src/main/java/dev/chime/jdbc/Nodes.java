package dev.chime.jdbc;

import dev.chime.Run;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This store's node in {@code chime_nodes}: registered at open, its heartbeat written every third
 * of the lease by a daemon thread, removed at close. A node whose heartbeat is older than the lease
 * is dead: {@link #recover} takes over the runs it left unfinished (one UPDATE, so of two nodes
 * recovering at once only one gets each run) and forgets the dead node.
 */
final class Nodes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);

  private static final String UNFINISHED = "('scheduled', 'claimed', 'running', 'retrying')";

  private final Dialect db;
  private final Clock clock;
  private final Duration lease;
  private final Runs runs;
  private final String id;
  private final ScheduledExecutorService beat;

  Nodes(Dialect db, Clock clock, Duration lease, Runs runs, String id) {
    this.db = db;
    this.clock = clock;
    this.lease = lease;
    this.runs = runs;
    this.id = id;
    register();
    this.beat =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chime-heartbeat").daemon(true).factory());
    long every = Math.max(1, lease.toMillis() / 3);
    beat.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
  }

  /** A node id unique among the nodes of a database: host, process id and a random part. */
  static String newId() {
    return host()
        + ":"
        + ProcessHandle.current().pid()
        + ":"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  String id() {
    return id;
  }

  private void register() {
    Instant now = clock.instant();
    db.autocommit(
        "register node " + id,
        session -> {
          PreparedStatement insert =
              session.prepare(
                  "INSERT INTO chime_nodes (id, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?)");
          insert.setString(1, id);
          insert.setString(2, host());
          db.setInstant(insert, 3, now);
          db.setInstant(insert, 4, now);
          return insert.executeUpdate();
        });
  }

  /** Writes the heartbeat; registers again if another node forgot this one as dead. */
  void heartbeat() {
    try {
      int updated =
          db.autocommit(
              "write the heartbeat of node " + id,
              session -> {
                PreparedStatement update =
                    session.prepare("UPDATE chime_nodes SET heartbeat_at = ? WHERE id = ?");
                db.setInstant(update, 1, clock.instant());
                update.setString(2, id);
                return update.executeUpdate();
              });
      if (updated == 0) {
        LOG.warn("node {} was taken for dead (its runs may have been taken over); registering", id);
        register();
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot write the heartbeat of node {}: {}", id, e.getMessage());
    }
  }

  /**
   * Takes over the unfinished runs of dead nodes (heartbeat before {@code now - lease}, or no node
   * row at all), and forgets those nodes; returns the runs as they were recorded.
   */
  List<Run> recover(Instant now) {
    Instant cutoff = now.minus(lease);
    return db.transaction(
        "recover the runs of dead nodes",
        session -> {
          PreparedStatement take =
              session.prepare(
                  "UPDATE chime_runs SET node = ? WHERE state IN "
                      + UNFINISHED
                      + " AND (node IS NULL OR node <> ? AND node NOT IN"
                      + " (SELECT id FROM chime_nodes WHERE heartbeat_at >= ?))"
                      + " RETURNING "
                      + Runs.COLUMNS);
          take.setString(1, id);
          take.setString(2, id);
          db.setInstant(take, 3, cutoff);
          List<Run> taken = new ArrayList<>();
          try (ResultSet row = take.executeQuery()) {
            while (row.next()) {
              taken.add(runs.run(row));
            }
          }
          PreparedStatement forget =
              session.prepare("DELETE FROM chime_nodes WHERE heartbeat_at < ? AND id <> ?");
          db.setInstant(forget, 1, cutoff);
          forget.setString(2, id);
          int dead = forget.executeUpdate();
          if (dead > 0 || !taken.isEmpty()) {
            LOG.info("node {} took over {} run(s) of {} dead node(s)", id, taken.size(), dead);
          }
          return taken;
        });
  }

  /** Stops the heartbeat and removes the node (its runs have ended or were recorded as such). */
  @Override
  public void close() {
    beat.shutdownNow();
    try {
      db.autocommit(
          "remove node " + id,
          session -> {
            PreparedStatement delete = session.prepare("DELETE FROM chime_nodes WHERE id = ?");
            delete.setString(1, id);
            return delete.executeUpdate();
          });
    } catch (RuntimeException e) {
      LOG.warn("cannot remove node {}: {}", id, e.getMessage());
    }
  }
}
