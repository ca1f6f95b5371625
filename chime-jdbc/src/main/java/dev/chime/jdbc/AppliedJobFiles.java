package dev.chime.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code chime_job_files}: per owner, each version (SHA-256) of its job file that was
 * applied, when and by which node. Re-applying a version moves it to the front; only the newest
 * {@value #KEPT} versions of an owner are kept.
 */
final class AppliedJobFiles {
  /** Versions kept per owner. */
  static final int KEPT = 100;

  private final Dialect db;
  private final Clock clock;

  AppliedJobFiles(Dialect db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The owner's versions, newest first. */
  List<AppliedJobFile> list(String owner) {
    return db.autocommit(
        "read the applied versions of " + owner,
        session -> {
          PreparedStatement select =
              session.prepare(
                  "SELECT owner, sha256, applied_at, node FROM chime_job_files WHERE owner = ?"
                      + " ORDER BY applied_at DESC, sha256");
          select.setString(1, owner);
          List<AppliedJobFile> versions = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              versions.add(
                  new AppliedJobFile(
                      rows.getString("owner"),
                      rows.getString("sha256"),
                      db.instant(rows, "applied_at"),
                      rows.getString("node")));
            }
          }
          return versions;
        });
  }

  /** Records that {@code node} applied the version now; returns the versions, newest first. */
  List<AppliedJobFile> record(String owner, String sha256, String node) {
    db.transaction(
        "record the applied version of " + owner,
        session -> {
          PreparedStatement upsert =
              session.prepare(
                  "INSERT INTO chime_job_files (owner, sha256, applied_at, node) VALUES (?, ?, "
                      + db.nowPlus()
                      + ", ?) ON CONFLICT (owner, sha256) DO UPDATE SET applied_at ="
                      + " excluded.applied_at, node = excluded.node");
          upsert.setString(1, owner);
          upsert.setString(2, sha256);
          db.bindNowPlus(upsert, 3, clock.instant(), Duration.ZERO);
          upsert.setString(4, node);
          upsert.executeUpdate();
          PreparedStatement trim =
              session.prepare(
                  "DELETE FROM chime_job_files WHERE owner = ? AND sha256 NOT IN (SELECT sha256"
                      + " FROM chime_job_files WHERE owner = ? ORDER BY applied_at DESC LIMIT "
                      + KEPT
                      + ")");
          trim.setString(1, owner);
          trim.setString(2, owner);
          return trim.executeUpdate();
        });
    return list(owner);
  }
}
