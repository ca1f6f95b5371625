/**
 * Chime's durable store over JDBC: {@link dev.chime.jdbc.JdbcJobStore} on SQLite or PostgreSQL. The
 * drivers are found as {@code java.sql.Driver} services, so neither is required here; the
 * migrations are resources in {@code db/migration}.
 */
@SuppressWarnings("requires-automatic") // pgjdbc has no module-info, only a module name
module dev.chime.jdbc {
  requires transitive dev.chime.core;
  requires java.sql;
  requires com.fasterxml.jackson.databind;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.chime.jdbc;
}
