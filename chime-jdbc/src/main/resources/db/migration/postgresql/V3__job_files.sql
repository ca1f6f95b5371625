-- Chime schema, version 3, PostgreSQL: the versions of job files that servers applied
-- (chime serve --config), so a node started with an older copy does not revert a newer one.

CREATE TABLE chime_job_files (
  owner      text NOT NULL,
  sha256     text NOT NULL,
  applied_at timestamptz NOT NULL,
  node       text NOT NULL,
  PRIMARY KEY (owner, sha256)
);

CREATE INDEX chime_job_files_newest ON chime_job_files (owner, applied_at);
