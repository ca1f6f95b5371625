package dev.chime.jdbc;

import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
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
 * checksum ({@link #CHECKSUMS}). A recorded file whose checksum differs, or a version this code
 * does not know, stops the store from opening. The dialect's migration lock (an advisory lock on
 * PostgreSQL, the write lock on SQLite) makes a second store that opens at the same time wait, then
 * find the work done.
 */
final class Migrations {
  /** Every migration file, oldest first; the same names in every dialect's folder. */
  static final List<String> FILES =
      List.of(
          "V1__init.sql",
          "V2__leader.sql",
          "V3__job_files.sql",
          "V4__events.sql",
          "V5__run_occurrences.sql");

  /**
   * What each file of {@link #FILES} adds, in the same order: a table, or a {@code table.column}. A
   * store opened without applying migrations probes them with queries that read nothing, so a
   * schema a tool brought only part of the way up is named by the first file it lacks at open,
   * rather than failing later on the statement that needs it.
   */
  static final List<List<String>> PROBES =
      List.of(
          List.of("chime_jobs", "chime_runs", "chime_nodes"),
          List.of("chime_leader"),
          List.of("chime_job_files"),
          List.of("chime_jobs.event", "chime_runs.event"),
          List.of("chime_runs.fired"));

  private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

  /**
   * Each file's SHA-256 (of its text with Windows line ends made Unix ones) by dialect folder and
   * name, written down here rather than computed at open: hashing at open loaded the JDK's security
   * providers into every server for the life of the process, even one that never hashes anything
   * else (a job file or a token check does; docs/benchmarks.md, Server). MigrationsTest checks
   * every value against its file and prints the right one when they differ; a released file never
   * changes, since databases recorded its checksum.
   */
  static final Map<String, String> CHECKSUMS =
      Map.ofEntries(
          Map.entry(
              "postgresql/V1__init.sql",
              "e011b67bd690c1d02144eb566473bd70c6747d82cd3a9a75a2c781b348d72059"),
          Map.entry(
              "postgresql/V2__leader.sql",
              "7f4b871848d5fce3044518a31f1fb17fc49416e62bdfd2d1b1ff7df240b6fb73"),
          Map.entry(
              "postgresql/V3__job_files.sql",
              "e13e522f88f0ce55d8ff9698cf74c6481e725077c277834c57f6a93a38fdc78e"),
          Map.entry(
              "postgresql/V4__events.sql",
              "3a7a921f8dea24baa71900bcbf1413418cc3ae9a95687fd0959bb05b84144aa1"),
          Map.entry(
              "postgresql/V5__run_occurrences.sql",
              "0bfd2a8d4e4935c946565ab379a7eed09f59da43eba53d7585eb1f9c96df34b7"),
          Map.entry(
              "sqlite/V1__init.sql",
              "e696e7eba2fa9a3eff8055faffc984b19baca3e904f0c1423b631e0e42301d10"),
          Map.entry(
              "sqlite/V2__leader.sql",
              "47e4c70309e4d0e9c3fc8a1e2a70373851c6ad57fdafd43e4ff6797c78b50270"),
          Map.entry(
              "sqlite/V3__job_files.sql",
              "36814e4f042314974f54da234b33a4df64a70a4cb1cb66049eab2891a990c6ac"),
          Map.entry(
              "sqlite/V4__events.sql",
              "8ae7f839c49c46f05549dcd218b475af42d667ab616a240ce26cf621f0e0a1c7"),
          Map.entry(
              "sqlite/V5__run_occurrences.sql",
              "7f5416aec33bc924392b66ecb71468d663b4d3ab4fcca944e6c8b5cc6d60f329"));

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
      String checksum = CHECKSUMS.get(folder + "/" + file);
      if (checksum == null) {
        throw new IllegalStateException(
            "no checksum is written down for the migration " + path + " (Migrations.CHECKSUMS)");
      }
      migrations.add(
          new Migration(Integer.parseInt(name.group(1)), name.group(2), path, sql, checksum));
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
