package dev.chime.jdbc;

import dev.chime.spi.JobStore;
import java.util.List;

/** The crash test on a SQLite file. */
class SqliteCrashTest extends CrashTest {
  @Override
  List<String> store() {
    return List.of("sqlite", dir.resolve("chime.db").toString());
  }

  @Override
  JobStore open() {
    return JdbcJobStore.builder("jdbc:sqlite:" + dir.resolve("chime.db")).open();
  }
}
