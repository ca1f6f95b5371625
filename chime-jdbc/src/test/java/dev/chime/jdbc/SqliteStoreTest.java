package dev.chime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobId;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real SQLite file: the contract, the JDBC checks, and what is SQLite's own. */
class SqliteStoreTest extends JdbcStoreTest {
  @TempDir Path dir;

  private String url() {
    return "jdbc:sqlite:" + dir.resolve("chime.db");
  }

  @Override
  protected JdbcJobStore.Builder builder() {
    return JdbcJobStore.builder(url());
  }

  @Override
  protected JdbcJobStore.Builder emptyDatabase() {
    return JdbcJobStore.builder("jdbc:sqlite:" + dir.resolve("empty.db"));
  }

  @Override
  protected Connection raw() throws SQLException {
    return DriverManager.getConnection(url());
  }

  @Override
  protected void awaitWaitingForTheJobFileLock(Thread waiter) {
    Await.until(
        () -> waiter.getState() == Thread.State.TIMED_WAITING, "the thread to wait for the lock");
  }

  @Override
  protected String migrationFolder() {
    return "sqlite";
  }

  @Override
  protected String epochMicros(String column) {
    return column;
  }

  @Override
  protected String instantLiteral(Instant instant) {
    return Long.toString(SqliteDialect.micros(instant));
  }

  @Override
  protected Map<String, String> unreadableDefinitions() {
    Map<String, String> bad = super.unreadableDefinitions();
    bad.put("{not json", "definition is not readable JSON");
    bad.put("[1, 2]", "must be a JSON object, was array");
    return bad;
  }

  @Test
  void theFileIsInWalModeAndItsFoldersAreCreated() throws SQLException {
    Path nested = dir.resolve("a/b/chime.db");
    try (JdbcJobStore opened = JdbcJobStore.sqlite(nested)) {
      assertThat(opened.find(JobId.of("x"))).isEmpty();
    }
    assertThat(Files.isRegularFile(nested)).isTrue();
    assertThat(rawString("PRAGMA journal_mode")).isEqualTo("wal");
  }

  @Test
  void aFileThatCannotBeOpenedIsNamed() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("folder.db"));
    assertThatThrownBy(() -> JdbcJobStore.sqlite(folder))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining(folder.toString());
    Path blocked = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> JdbcJobStore.sqlite(blocked.resolve("chime.db")))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("cannot create the folder " + blocked);
  }

  @Test
  void badUrlsAndOptionsAreNamed() {
    assertThatThrownBy(() -> JdbcJobStore.builder("jdbc:mysql://db/x?password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a JDBC URL must start with jdbc:sqlite: or jdbc:postgresql:, was"
                + " 'jdbc:mysql://db/x?password=***'");
    assertThatThrownBy(() -> JdbcJobStore.builder("jdbc:sqlite:"))
        .hasMessageContaining("a SQLite URL must name a file");
    assertThatThrownBy(() -> builder().schema("chime"))
        .hasMessage("schema applies to PostgreSQL only, not to " + url());
    assertThatThrownBy(() -> builder().poolSize(2)).hasMessageContaining("PostgreSQL only");
    assertThatThrownBy(() -> builder().user("u")).hasMessageContaining("PostgreSQL only");
    assertThatThrownBy(() -> builder().password("p")).hasMessageContaining("PostgreSQL only");
  }

  @Test
  void instantsConvertToMicrosecondsBothWays() {
    Instant before1970 = Instant.parse("1969-12-31T23:59:59.999999Z");
    assertThat(SqliteDialect.micros(before1970)).isEqualTo(-1);
    assertThat(SqliteDialect.instant(-1)).isEqualTo(before1970);
    assertThat(SqliteDialect.instant(SqliteDialect.micros(NOW))).isEqualTo(NOW);
  }

  @Override
  protected String minusSeconds(String column, int seconds) {
    return column + " - " + seconds + " * 1000000";
  }
}
