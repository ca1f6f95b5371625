package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The migration files: all listed, numbered in order, split into statements. */
class MigrationsTest {
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void everyFileInTheFolderIsListedInOrder(String folder) throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", folder))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactlyElementsOf(Migrations.FILES);
    }
    List<Migrations.Migration> migrations = Migrations.load(folder);
    for (int i = 0; i < migrations.size(); i++) {
      assertThat(migrations.get(i).version()).isEqualTo(i + 1);
      assertThat(migrations.get(i).statements()).isNotEmpty().allMatch(s -> !s.endsWith(";"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void eachFileAddsWhatTheStoreProbesForIt(String folder) {
    List<Migrations.Migration> migrations = Migrations.load(folder);
    assertThat(Migrations.PROBES).hasSameSizeAs(migrations);
    for (int i = 0; i < migrations.size(); i++) {
      String sql = migrations.get(i).sql();
      for (String probe : Migrations.PROBES.get(i)) {
        String[] parts = probe.split("\\.");
        assertThat(sql)
            .as("%s adds %s", migrations.get(i).file(), probe)
            .contains(
                parts.length == 1
                    ? "CREATE TABLE " + parts[0] + " ("
                    : "ALTER TABLE " + parts[0] + " ADD COLUMN " + parts[1] + " ");
      }
    }
  }

  @Test
  void statementsEndAtSemicolonsThatEndALine() {
    Migrations.Migration migration =
        new Migrations.Migration(
            1,
            "t",
            "V1__t.sql",
            "-- a comment; not a statement\nCREATE TABLE a (\n  x text -- note; here\n);\n\n"
                + "INSERT INTO a VALUES ('x;y');\nSELECT 1",
            "c");
    assertThat(migration.statements())
        .containsExactly(
            "CREATE TABLE a (\n  x text -- note; here\n)",
            "INSERT INTO a VALUES ('x;y')",
            "SELECT 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void everyWrittenDownChecksumIsItsFilesSha256(String folder) {
    // The copies on the class path, which are what a store runs, with the line ends it reads.
    for (Migrations.Migration migration : Migrations.load(folder)) {
      String actual = sha256(migration.sql().getBytes(StandardCharsets.UTF_8));
      assertThat(migration.checksum())
          .as(
              "the checksum written down for %s (if the file was never released, write down %s)",
              migration.file(), actual)
          .isEqualTo(actual);
    }
  }

  @Test
  void checksumsAreWrittenDownForEveryFileAndNoOther() {
    assertThat(Migrations.CHECKSUMS.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Stream.of("sqlite", "postgresql")
                .flatMap(folder -> Migrations.FILES.stream().map(f -> folder + "/" + f))
                .toList());
  }

  @Test
  void theSqlIsReadWithUnixLineEnds() {
    assertThat(Migrations.load("sqlite").getFirst().sql()).doesNotContain("\r");
    assertThat(sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  /** The SHA-256 of the bytes, in lower-case hex (what chime_migrations records). */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
