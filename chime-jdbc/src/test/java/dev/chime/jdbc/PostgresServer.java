package dev.chime.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL the tests use, and a fresh schema per test class. No session is in UTC, to
 * flush out code that leans on the session's zone: pgjdbc makes the JVM's zone the session's
 * (surefire runs the tests in America/Sao_Paulo; an {@code options=-c TimeZone=..} URL parameter
 * cannot override it), and the plain connections the tests read raw columns with are switched to
 * {@value #RAW_ZONE}. When the server cannot be reached, tests are skipped with the reason, except
 * under {@code CI=true}, where they fail.
 */
final class PostgresServer {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  /** The zone of the plain connections (the stores' sessions are in the JVM's zone). */
  static final String RAW_ZONE = "Asia/Kathmandu";

  private static String unreachable;
  private static boolean checked;

  private PostgresServer() {}

  /** Skips the calling test (fails it under CI=true) unless the server answers. */
  static synchronized void require() {
    if (!checked) {
      checked = true;
      try (Connection probe = DriverManager.getConnection(URL, USER, null)) {
        probe.isValid(5);
      } catch (SQLException e) {
        unreachable = e.getMessage();
      }
    }
    if (unreachable != null) {
      String why = "PostgreSQL is not reachable at " + URL + " as " + USER + ": " + unreachable;
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI=true: the PostgreSQL tests must run)");
      }
      Assumptions.abort(why + " (skipped; with CI=true this fails)");
    }
  }

  /** A plain connection in {@value #RAW_ZONE}, with the schema (if any) as search_path. */
  static Connection connect(String schema) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    if (schema != null) {
      properties.setProperty("currentSchema", schema);
    }
    Connection connection = DriverManager.getConnection(URL, properties);
    try (var statement = connection.createStatement()) {
      statement.execute("SET TIME ZONE '" + RAW_ZONE + "'");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** A new, empty schema with a random name; the caller drops it with {@link #drop}. */
  static String createSchema(String prefix) {
    require();
    String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    execute("CREATE SCHEMA " + name);
    return name;
  }

  static void drop(String schema) {
    if (schema != null) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** A builder for a store on the schema. */
  static JdbcJobStore.Builder store(String schema) {
    return JdbcJobStore.builder(URL).user(USER).schema(schema).poolSize(4);
  }

  private static void execute(String sql) {
    try (Connection connection = connect(null);
        var statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
