package dev.chime.bench.durable;

import dev.chime.spi.JobStore;
import java.nio.file.Path;

/** Chime's durable stores as the durable scenario opens them (see {@link JdbcStores}). */
interface ChimeStores {

  /**
   * A store on PostgreSQL whose tables live in {@code schema} (empty when called).
   *
   * @param url a JDBC URL of the database with the user, without a schema
   */
  JobStore postgres(String url, String schema);

  /** A store in the SQLite database file {@code file} (new, empty). */
  JobStore sqlite(Path file);
}
