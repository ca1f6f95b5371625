package dev.chime.bench.durable;

import dev.chime.jdbc.JdbcJobStore;
import dev.chime.spi.JobStore;
import java.nio.file.Path;

/** Chime's JDBC stores, with their defaults (a PostgreSQL pool of 4, a 10 s lease). */
final class JdbcStores implements ChimeStores {

  @Override
  public JobStore postgres(String url, String schema) {
    return JdbcJobStore.builder(url).schema(schema).open();
  }

  @Override
  public JobStore sqlite(Path file) {
    return JdbcJobStore.sqlite(file);
  }
}
