package dev.chime;

import java.time.Instant;
import java.util.Objects;

/**
 * A scheduler node sharing the store: one process, or one store opened in it. A store in memory has
 * one node, this one; a database store lists every node registered on the database.
 *
 * @param id the node's id ({@code host:pid:random})
 * @param startedAt when it registered
 * @param lastHeartbeat when it last said it is alive, by the database's clock
 * @param leader whether it holds the leader lease (it runs the chores one node should run)
 */
public record NodeInfo(String id, Instant startedAt, Instant lastHeartbeat, boolean leader) {
  /** Validates the parts. */
  public NodeInfo {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(startedAt, "startedAt must not be null");
    Objects.requireNonNull(lastHeartbeat, "lastHeartbeat must not be null");
  }
}
