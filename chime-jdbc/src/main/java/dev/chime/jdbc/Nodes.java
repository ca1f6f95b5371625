package dev.chime.jdbc;

import dev.chime.NodeInfo;
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
 * recovering at once only one gets each run) and forgets the dead node. Heartbeats and their ages
 * are read on the database's clock (PostgreSQL's {@code now()}), so the nodes' clocks need not
 * agree.
 *
 * <p><b>Leader.</b> With each heartbeat the node also takes or renews the leader lease, one row in
 * {@code chime_leader} written by a conditional upsert (taken only if free, expired or already
 * ours), so at most one node holds an unexpired lease. The holder acts as leader for two thirds of
 * the lease after it asked for it (measured with {@code System.nanoTime}), so it stops before the
 * lease can pass to another node; a node that closes deletes its lease, handing over at once. No
 * consensus protocol: the database is the arbiter.
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
  private volatile boolean candidate; // set by the first leader() call (a running scheduler)
  private final Object election = new Object(); // candidate's changes and the votes they allow
  private volatile Long leaderUntil; // System.nanoTime() deadline; null: not the leader
  private final long beatNanos; // between heartbeats: a third of the lease
  // Until when (System.nanoTime()) no other node can take this one for dead: the last heartbeat
  // written plus the lease, less one beat for clock skew between nodes. Written by the heartbeat.
  private volatile long aliveUntil;
  private volatile long life; // see life()

  Nodes(Dialect db, Clock clock, Duration lease, Runs runs, String id) {
    this.db = db;
    this.clock = clock;
    this.lease = lease;
    this.runs = runs;
    this.id = id;
    long every = Math.max(1, lease.toMillis() / 3);
    this.beatNanos = TimeUnit.MILLISECONDS.toNanos(every);
    long sent = System.nanoTime();
    register();
    this.aliveUntil = sent + lease.toNanos() - beatNanos;
    this.beat =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chime-heartbeat").daemon(true).factory());
    beat.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * This node's life (see {@link dev.chime.spi.JobStore#life}): it changes with each heartbeat that
   * found the node forgotten as dead, or that was written after the node could have been taken for
   * dead; -1 from that moment until a heartbeat is written again. Measured on {@link
   * System#nanoTime}, so a clock moved by hand (tests, or a wall clock stepped) does not count.
   */
  long life() {
    return System.nanoTime() - aliveUntil >= 0 ? -1 : life;
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
                  "INSERT INTO chime_nodes (id, host, started_at, heartbeat_at) VALUES (?, ?, "
                      + db.nowPlus()
                      + ", "
                      + db.nowPlus()
                      + ")");
          insert.setString(1, id);
          insert.setString(2, host());
          db.bindNowPlus(insert, 3, now, Duration.ZERO);
          db.bindNowPlus(insert, 4, now, Duration.ZERO);
          return insert.executeUpdate();
        });
  }

  /**
   * Takes or renews the leader lease (the row {@code chores} of {@code chime_leader}) if it is
   * free, expired, or this node's; remembers until when this node may act as leader (a third of the
   * lease less than the lease it wrote, counted from before it asked, so it stops before another
   * node can start).
   */
  private void elect() {
    long startedNanos = System.nanoTime(); // elapsed time only: immune to clock steps
    Instant started = clock.instant();
    boolean won;
    try {
      won =
          db.autocommit(
              "elect the leader",
              session -> {
                PreparedStatement upsert =
                    session.prepare(
                        "INSERT INTO chime_leader (name, node, lease_until) VALUES ('chores', ?, "
                            + db.nowPlus()
                            + ") ON CONFLICT (name) DO UPDATE SET node = excluded.node,"
                            + " lease_until = excluded.lease_until"
                            + " WHERE chime_leader.node = excluded.node OR chime_leader.lease_until"
                            + " <= "
                            + db.nowPlus());
                upsert.setString(1, id);
                db.bindNowPlus(upsert, 2, started, lease);
                db.bindNowPlus(upsert, 3, started, Duration.ZERO);
                return upsert.executeUpdate() > 0;
              });
    } catch (RuntimeException e) {
      leaderUntil = null;
      throw e;
    }
    boolean was = leaderUntil != null;
    leaderUntil = won ? startedNanos + lease.minus(lease.dividedBy(3)).toNanos() : null;
    if (won != was) {
      LOG.info(won ? "node {} is the leader" : "node {} is no longer the leader", id);
    }
  }

  /**
   * Whether this node holds the leader lease now. The first call makes the node a candidate (it
   * asks for the lease now, then with every heartbeat): a store opened only to read or to add jobs
   * (a tool, a test) never asks, so it never takes the lead from the schedulers that do the chores.
   */
  boolean leader() {
    if (!candidate) {
      synchronized (election) {
        candidate = true;
        try {
          elect();
        } catch (RuntimeException e) {
          LOG.warn("node {} cannot take part in the leader election yet: {}", id, e.getMessage());
        }
      }
    }
    Long until = leaderUntil;
    return until != null && System.nanoTime() - until < 0;
  }

  /** The registered nodes, ordered by id, with who holds the leader lease. */
  List<NodeInfo> list() {
    return db.autocommit(
        "list the nodes",
        session -> {
          PreparedStatement select =
              session.prepare(
                  "SELECT n.id, n.started_at, n.heartbeat_at, l.node AS leader FROM chime_nodes n"
                      + " LEFT JOIN chime_leader l ON l.node = n.id AND l.name = 'chores'"
                      + " AND l.lease_until > "
                      + db.nowPlus()
                      + " ORDER BY n.id");
          db.bindNowPlus(select, 1, clock.instant(), Duration.ZERO);
          List<NodeInfo> found = new ArrayList<>();
          try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
              found.add(
                  new NodeInfo(
                      row.getString("id"),
                      db.instant(row, "started_at"),
                      db.instant(row, "heartbeat_at"),
                      row.getString("leader") != null));
            }
          }
          return found;
        });
  }

  /** Writes the heartbeat; registers again if another node forgot this one as dead. */
  void heartbeat() {
    try {
      long sent = System.nanoTime();
      int updated =
          db.autocommit(
              "write the heartbeat of node " + id,
              session -> {
                PreparedStatement update =
                    session.prepare(
                        "UPDATE chime_nodes SET heartbeat_at = " + db.nowPlus() + " WHERE id = ?");
                db.bindNowPlus(update, 1, clock.instant(), Duration.ZERO);
                update.setString(2, id);
                return update.executeUpdate();
              });
      if (updated == 0) {
        LOG.warn("node {} was taken for dead (its runs may have been taken over); registering", id);
        register();
        life++;
      } else if (System.nanoTime() - aliveUntil >= 0) {
        // Written after another node could have taken this one for dead: it may have taken runs.
        LOG.warn("node {}: its heartbeat came late; its unstarted runs are checked first", id);
        life++;
      }
      aliveUntil = sent + lease.toNanos() - beatNanos;
      synchronized (election) { // not after a resign() that came between the check and the vote
        if (candidate) {
          elect();
        }
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
    Instant present = clock.instant();
    Duration back = Duration.between(present, now).minus(lease); // the cutoff, from the present
    return db.transaction(
        "recover the runs of dead nodes",
        session -> {
          PreparedStatement take =
              session.prepare(
                  "UPDATE chime_runs SET node = ? WHERE state IN "
                      + UNFINISHED
                      + " AND (node IS NULL OR node <> ? AND node NOT IN"
                      + " (SELECT id FROM chime_nodes WHERE heartbeat_at >= "
                      + db.nowPlus()
                      + "))"
                      + " RETURNING "
                      + Runs.WRITTEN);
          take.setString(1, id);
          take.setString(2, id);
          db.bindNowPlus(take, 3, present, back);
          List<Run> taken = new ArrayList<>();
          try (ResultSet row = take.executeQuery()) {
            while (row.next()) {
              Run run = runs.recovered(row);
              if (run != null) {
                taken.add(run);
              }
            }
          }
          PreparedStatement forget =
              session.prepare(
                  "DELETE FROM chime_nodes WHERE heartbeat_at < " + db.nowPlus() + " AND id <> ?");
          db.bindNowPlus(forget, 1, present, back);
          forget.setString(2, id);
          int dead = forget.executeUpdate();
          if (dead > 0 || !taken.isEmpty()) {
            LOG.info("node {} took over {} run(s) of {} dead node(s)", id, taken.size(), dead);
          }
          return taken;
        });
  }

  /** Stops asking for the lead and hands it over if held (the node's scheduler stopped). */
  void resign() {
    synchronized (election) {
      if (!candidate) {
        return;
      }
      candidate = false;
      boolean held = leaderUntil != null;
      leaderUntil = null;
      try {
        db.autocommit(
            "hand the leader lease of node " + id + " over",
            session -> {
              PreparedStatement resign = session.prepare("DELETE FROM chime_leader WHERE node = ?");
              resign.setString(1, id);
              return resign.executeUpdate();
            });
        if (held) {
          LOG.info("node {} is no longer the leader: its scheduler stopped", id);
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "node {} cannot hand the leader lease over (it ends with its lease): {}",
            id,
            e.getMessage());
      }
    }
  }

  /** Stops the heartbeat and removes the node (its runs have ended or were recorded as such). */
  @Override
  public void close() {
    beat.shutdownNow();
    try {
      // A heartbeat under way when the node is removed would register it again (its update finds
      // no row) or take the lead back for a whole lease: the removal waits for it to end.
      if (!beat.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        LOG.warn("node {}: a heartbeat still runs after 5 s; removing the node anyway", id);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leaderUntil = null;
    try {
      db.autocommit(
          "remove node " + id,
          session -> {
            PreparedStatement delete = session.prepare("DELETE FROM chime_nodes WHERE id = ?");
            delete.setString(1, id);
            delete.executeUpdate();
            // Hands the leader lease over at once rather than when it expires.
            PreparedStatement resign = session.prepare("DELETE FROM chime_leader WHERE node = ?");
            resign.setString(1, id);
            return resign.executeUpdate();
          });
    } catch (RuntimeException e) {
      LOG.warn("cannot remove node {}: {}", id, e.getMessage());
    }
  }
}
