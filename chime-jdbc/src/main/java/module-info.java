/**
 * Chime's durable store over JDBC: {@link dev.chime.jdbc.JdbcJobStore} on SQLite or PostgreSQL.
 * SQLite connections come from its driver directly (not through {@code DriverManager}, which would
 * load every driver on the class path first); PostgreSQL's pool finds its driver by the URL. The
 * migrations are resources in {@code db/migration}.
 */
@SuppressWarnings("requires-automatic") // pgjdbc has no module-info, only a module name
module dev.chime.jdbc {
  requires transitive dev.chime.core;
  requires java.sql;
  requires com.fasterxml.jackson.databind;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports dev.chime.jdbc;
}
