-- Chime schema, version 3, SQLite: the versions of job files that servers applied
-- (chime serve --config), so a server started with an older copy does not revert a newer one.

CREATE TABLE chime_job_files (
  owner      TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  node       TEXT NOT NULL,
  PRIMARY KEY (owner, sha256)
);

CREATE INDEX chime_job_files_newest ON chime_job_files (owner, applied_at);
