package dev.chime.server;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The API over a SQLite file in a temporary directory. */
class SqliteApiTest extends ApiContractTest {
  @TempDir static Path dir;

  @Override
  ServerSettings.Builder settings() {
    return ServerSettings.builder().dataDir(dir.resolve("data"));
  }
}
