package dev.chime.bench.durable;

import dev.chime.spi.JobStore;
import java.nio.file.Path;

/**
 * Chime's JDBC stores: the one seam to wire once chime-jdbc is merged (add the module to
 * chime-bench's pom, then build {@code dev.chime.jdbc.JdbcJobStore} in both methods). Until then
 * each throws {@link UnsupportedOperationException}, and the scenario reports chime and
 * chime-sqlite as not measured while it measures the peers.
 */
final class JdbcStores implements ChimeStores {
  static final String NOT_MERGED = "chime-jdbc is not merged into this branch yet";

  @Override
  public JobStore postgres(String url, String schema) {
    // TODO(merge): return the JdbcJobStore on PostgreSQL for url and schema.
    throw new UnsupportedOperationException(NOT_MERGED);
  }

  @Override
  public JobStore sqlite(Path file) {
    // TODO(merge): return the JdbcJobStore on the SQLite file.
    throw new UnsupportedOperationException(NOT_MERGED);
  }
}
