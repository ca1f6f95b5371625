package dev.chime.bench.durable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The PostgreSQL of the durable scenario and one system's schema in it: {@code bench.pg.url}
 * (default {@value #DEFAULT_URL}) and {@code bench.pg.user} (default {@value #DEFAULT_USER}, no
 * password: trust authentication). Each system gets the schema {@code chime_bench_durable_SYSTEM},
 * dropped and created again before each of its passes.
 *
 * @param url the JDBC URL of the database, without a schema
 * @param user the role to connect as
 * @param schema this system's schema
 */
record Database(String url, String user, String schema) {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String DEFAULT_USER = "postgres";

  /** The database named by the system properties, with the schema of {@code system}. */
  static Database forSystem(String system) {
    return new Database(
        System.getProperty("bench.pg.url", DEFAULT_URL),
        System.getProperty("bench.pg.user", DEFAULT_USER),
        "chime_bench_durable_" + system.replace('-', '_'));
  }

  /** The URL with the user and this schema as the connection's search path. */
  String schemaUrl() {
    return userUrl() + "&currentSchema=" + schema;
  }

  /** The URL with the user, for a store that is told the schema separately. */
  String userUrl() {
    return url + (url.contains("?") ? "&" : "?") + "user=" + user;
  }

  /** Why the database cannot be reached, or null when it can. */
  String unreachable() {
    try (Connection c = DriverManager.getConnection(userUrl())) {
      return c.isValid(5) ? null : "the connection is not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** Drops the schema with all it holds and creates it empty. */
  void recreate() throws SQLException {
    try (Connection c = DriverManager.getConnection(userUrl());
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  /** Drops the schema with all it holds. */
  void drop() throws SQLException {
    try (Connection c = DriverManager.getConnection(userUrl());
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /**
   * Gathers the planner's statistics on every table of the schema, as autovacuum does on a live
   * database (it is off on the reference machine's PostgreSQL).
   */
  void analyze() throws SQLException {
    try (Connection c = DriverManager.getConnection(userUrl());
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        s.execute("ANALYZE " + schema + ".\"" + table + "\"");
      }
    }
  }

  /**
   * Runs a DDL script in the schema: statements end with {@code ;}, {@code --} comments and a final
   * {@code COMMIT} are left out (each statement commits on its own).
   */
  void runScript(String script) throws SQLException {
    StringBuilder text = new StringBuilder();
    script.lines().map(l -> l.replaceFirst("--.*$", "")).forEach(l -> text.append(l).append('\n'));
    List<String> statements =
        Arrays.stream(text.toString().split(";"))
            .map(String::strip)
            .filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("COMMIT"))
            .toList();
    try (Connection c = DriverManager.getConnection(schemaUrl());
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /**
   * A HikariCP pool of {@code size} connections into the schema, all opened at once and kept
   * (minimumIdle = maximumPoolSize), auto-commit on (each system sets its own transactions).
   */
  HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(schemaUrl());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    return new HikariDataSource(config);
  }
}
