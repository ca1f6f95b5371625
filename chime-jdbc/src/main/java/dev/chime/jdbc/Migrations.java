package dev.chime.jdbc;

import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema's numbered SQL files ({@code db/migration/DIALECT/V<n>__<description>.sql}), applied
 * in order at open inside one transaction and recorded in {@code chime_migrations} with a SHA-256
 * checksum. A recorded file whose checksum differs, or a version this code does not know, stops the
 * store from opening. The dialect's migration lock (an advisory lock on PostgreSQL, the write lock
 * on SQLite) makes a second store that opens at the same time wait, then find the work done.
 */
final class Migrations {
  /** Every migration file, oldest first; the same names in every dialect's folder. */
  static final List<String> FILES =
      List.of("V1__init.sql", "V2__leader.sql", "V3__job_files.sql", "V4__events.sql");

  private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

  /** One migration file. */
  record Migration(int version, String description, String file, String sql, String checksum) {
    /** Its statements: the SQL split at semicolons that end a line, comments dropped. */
    List<String> statements() {
      List<String> statements = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : sql.split("\n")) {
        String code = line.strip();
        if (code.isEmpty() || code.startsWith("--")) {
          continue;
        }
        current.append(line).append('\n');
        if (code.endsWith(";")) {
          statements.add(current.toString().strip().replaceAll(";$", ""));
          current.setLength(0);
        }
      }
      if (!current.isEmpty()) {
        statements.add(current.toString().strip());
      }
      return statements;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** The dialect's migrations, read from the class path. */
  static List<Migration> load(String folder) {
    List<Migration> migrations = new ArrayList<>();
    for (String file : FILES) {
      Matcher name = NAME.matcher(file);
      if (!name.matches()) {
        throw new IllegalStateException("migration file name " + file + " is not V<n>__<name>.sql");
      }
      String path = "db/migration/" + folder + "/" + file;
      String sql = new String(read(path), StandardCharsets.UTF_8).replace("\r\n", "\n");
      migrations.add(
          new Migration(
              Integer.parseInt(name.group(1)),
              name.group(2),
              path,
              sql,
              sha256(sql.getBytes(StandardCharsets.UTF_8))));
    }
    return migrations;
  }

  private static byte[] read(String path) {
    try (InputStream in = Migrations.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalStateException("the migration " + path + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration " + path, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Applies what is missing, in one transaction; returns the versions it applied. */
  static List<Integer> apply(Dialect dialect, Clock clock) {
    List<Migration> known = load(dialect.migrationFolder());
    List<Integer> applied = transaction(dialect, known, clock);
    if (!applied.isEmpty()) {
      LOG.info("applied schema migrations {} to {}", applied, dialect.describe());
    }
    return applied;
  }

  private static List<Integer> transaction(Dialect dialect, List<Migration> known, Clock clock) {
    return dialect.transaction(
        "apply the schema migrations",
        session -> {
          dialect.lockForMigrations(session);
          session.execute(
              "CREATE TABLE IF NOT EXISTS chime_migrations (version INTEGER PRIMARY KEY,"
                  + " description TEXT NOT NULL, checksum TEXT NOT NULL, applied_at "
                  + dialect.instantType()
                  + " NOT NULL)");
          Map<Integer, String> applied = applied(session);
          check(dialect, known, applied);
          List<Integer> done = new ArrayList<>();
          for (Migration migration : known) {
            if (!applied.containsKey(migration.version())) {
              run(dialect, session, migration, clock);
              done.add(migration.version());
            }
          }
          return done;
        });
  }

  private static Map<Integer, String> applied(Session session) throws SQLException {
    Map<Integer, String> applied = new LinkedHashMap<>();
    try (ResultSet rows =
        session
            .prepare("SELECT version, checksum FROM chime_migrations ORDER BY version")
            .executeQuery()) {
      while (rows.next()) {
        applied.put(rows.getInt(1), rows.getString(2));
      }
    }
    return applied;
  }

  private static void check(Dialect dialect, List<Migration> known, Map<Integer, String> applied) {
    int newest = known.getLast().version();
    for (Map.Entry<Integer, String> entry : applied.entrySet()) {
      if (entry.getKey() > newest) {
        throw new SchedulerException(
            Kind.CONFLICT,
            "the schema in "
                + dialect.describe()
                + " has migration "
                + entry.getKey()
                + ", newer than this Chime knows (up to "
                + newest
                + "): run a newer Chime");
      }
    }
    for (Migration migration : known) {
      String checksum = applied.get(migration.version());
      if (checksum != null && !checksum.equals(migration.checksum())) {
        throw new SchedulerException(
            Kind.CONFLICT,
            "migration "
                + migration.file()
                + " was changed after it was applied to "
                + dialect.describe()
                + " (checksum "
                + checksum
                + " recorded, "
                + migration.checksum()
                + " now): restore the file, or undo it in the database and delete its row in"
                + " chime_migrations");
      }
    }
  }

  private static void run(Dialect dialect, Session session, Migration migration, Clock clock)
      throws SQLException {
    for (String statement : migration.statements()) {
      try {
        session.execute(statement);
      } catch (SQLException e) {
        throw new SQLException(
            "migration " + migration.file() + " failed at: " + statement + ": " + e.getMessage(),
            e.getSQLState(),
            e);
      }
    }
    PreparedStatement record =
        session.prepare(
            "INSERT INTO chime_migrations (version, description, checksum, applied_at)"
                + " VALUES (?, ?, ?, ?)");
    record.setInt(1, migration.version());
    record.setString(2, migration.description());
    record.setString(3, migration.checksum());
    dialect.setInstant(record, 4, clock.instant());
    record.executeUpdate();
  }
}
