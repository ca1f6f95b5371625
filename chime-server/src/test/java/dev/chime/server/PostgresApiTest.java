package dev.chime.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The API over the local PostgreSQL, in a schema of its own. Skipped with the reason when the
 * server cannot be reached, except under {@code CI=true}, where it fails.
 */
class PostgresApiTest extends ApiContractTest {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private String schema;

  @Override
  ServerSettings.Builder settings() {
    schema = "server_api_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    execute("CREATE SCHEMA " + schema);
    return ServerSettings.builder().dbUrl(URL + "?user=postgres&currentSchema=" + schema);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  static void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(URL, "postgres", null);
        var statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      String why = "PostgreSQL is not reachable at " + URL + " as postgres: " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI=true: the PostgreSQL tests must run)");
      }
      Assumptions.abort(why + " (skipped; with CI=true this fails)");
    }
  }
}
