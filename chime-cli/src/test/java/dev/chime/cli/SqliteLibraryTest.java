package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

class SqliteLibraryTest {
  @TempDir Path dir;

  @Test
  void copiesTheLibrarySqliteJdbcWouldLoadHere() throws Exception {
    Path target = dir.resolve("native/libsqlitejdbc");
    SqliteLibrary.extract(target);
    byte[] expected;
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(SqliteLibrary.resource())) {
      expected = in.readAllBytes();
    }
    assertThat(Files.readAllBytes(target)).isEqualTo(expected);
    assertThat(expected).hasSizeGreaterThan(100_000);
  }

  @Test
  void replacesAStaleCopyAndLeavesNoPartialFile() throws Exception {
    Path target = dir.resolve("libsqlitejdbc");
    Files.writeString(target, "not a library");
    SqliteLibrary.extract(target);
    assertThat(Files.size(target)).isGreaterThan(100_000);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }
}
