-- Chime schema, version 1, SQLite. Every instant is INTEGER microseconds since 1970-01-01 UTC.
-- Statements end with a semicolon at the end of a line (the store splits the file there).

CREATE TABLE chime_jobs (
  id             TEXT PRIMARY KEY,
  definition     TEXT NOT NULL,
  state          TEXT NOT NULL,
  note           TEXT,
  next_fire_at   INTEGER,
  run_count      INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL,
  token          INTEGER NOT NULL,
  lease_until    INTEGER,
  quarantine     TEXT,
  quarantined_at INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;

-- The claim and nextDue scan: due active jobs, earliest first.
CREATE INDEX chime_jobs_due ON chime_jobs (next_fire_at)
  WHERE state = 'active' AND quarantine IS NULL;

CREATE TABLE chime_runs (
  id               INTEGER PRIMARY KEY,
  job_id           TEXT NOT NULL,
  scheduled_for    INTEGER NOT NULL,
  attempt          INTEGER NOT NULL,
  state            TEXT NOT NULL,
  reason           TEXT,
  started_at       INTEGER,
  finished_at      INTEGER,
  node             TEXT,
  error            TEXT,
  log              TEXT,
  progress         INTEGER NOT NULL DEFAULT 0,
  progress_message TEXT,
  result           TEXT,
  updated_at       INTEGER NOT NULL
) STRICT;

-- A job's history, newest first (runs(job, limit), run queries, pruning).
CREATE INDEX chime_runs_job ON chime_runs (job_id, id DESC);

-- Runs that have not ended: what a process left behind when it died.
CREATE INDEX chime_runs_unfinished ON chime_runs (job_id, id)
  WHERE state IN ('scheduled', 'claimed', 'running', 'retrying');

CREATE TABLE chime_nodes (
  id           TEXT PRIMARY KEY,
  host         TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
) STRICT;

-- Counters bumped a block at a time: run ids are reserved 1000 per update.
CREATE TABLE chime_counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

INSERT INTO chime_counters (name, value) VALUES ('run_id', 0);
