package dev.chime.jdbc;

import dev.chime.spi.JobStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The crash test on the local PostgreSQL, in a schema of its own. */
class PostgresCrashTest extends CrashTest {
  private static String schema;

  @BeforeAll
  static void createSchema() {
    schema = PostgresServer.createSchema("chime_crash");
  }

  @AfterAll
  static void dropSchema() {
    PostgresServer.drop(schema);
  }

  @Override
  List<String> store() {
    return List.of("postgres", schema);
  }

  @Override
  JobStore open() {
    return PostgresServer.store(schema).open();
  }
}
