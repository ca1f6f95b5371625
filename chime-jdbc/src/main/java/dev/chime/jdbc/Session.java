package dev.chime.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection lent to one piece of work, with its prepared statements by SQL text. SQLite keeps
 * one session (and so its statements) for the store's life; PostgreSQL lends a pooled connection
 * per piece of work and closes the statements after it (pgjdbc keeps the server-side prepared
 * statements per connection by SQL text, so they are parsed and planned once all the same).
 */
final class Session implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  Session(Connection connection) {
    this.connection = connection;
  }

  /** The statement for the SQL, prepared once per session. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** Runs SQL without parameters or results (DDL), unprepared. */
  void execute(String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  Connection connection() {
    return connection;
  }

  /** Closes the statements (not the connection). */
  @Override
  public void close() throws SQLException {
    SQLException failure = null;
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        failure = failure == null ? e : failure;
      }
    }
    statements.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
