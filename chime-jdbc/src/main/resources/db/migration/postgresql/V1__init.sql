-- Chime schema, version 1, PostgreSQL. Every instant is timestamptz (UTC).
-- Statements end with a semicolon at the end of a line (the store splits the file there).
-- Unqualified names: run it with the search_path set to the schema you want (docs/schema.md).

CREATE TABLE chime_jobs (
  id             text COLLATE "C" PRIMARY KEY,
  definition     json NOT NULL,
  state          text NOT NULL,
  note           text,
  next_fire_at   timestamptz,
  run_count      bigint NOT NULL DEFAULT 0,
  version        bigint NOT NULL,
  token          bigint NOT NULL,
  lease_until    timestamptz,
  quarantine     text,
  quarantined_at timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

-- The claim and nextDue scan: due active jobs, earliest first.
CREATE INDEX chime_jobs_due ON chime_jobs (next_fire_at)
  WHERE state = 'active' AND quarantine IS NULL;

CREATE TABLE chime_runs (
  id               bigint PRIMARY KEY,
  job_id           text COLLATE "C" NOT NULL,
  scheduled_for    timestamptz NOT NULL,
  attempt          integer NOT NULL,
  state            text NOT NULL,
  reason           text,
  started_at       timestamptz,
  finished_at      timestamptz,
  node             text,
  error            text,
  log              text,
  progress         integer NOT NULL DEFAULT 0,
  progress_message text,
  result           json,
  updated_at       timestamptz NOT NULL
);

-- A job's history, newest first (runs(job, limit), run queries, pruning).
CREATE INDEX chime_runs_job ON chime_runs (job_id, id DESC);

-- Runs that have not ended: what a node left behind when it died.
CREATE INDEX chime_runs_unfinished ON chime_runs (job_id, id)
  WHERE state IN ('scheduled', 'claimed', 'running', 'retrying');

CREATE TABLE chime_nodes (
  id           text PRIMARY KEY,
  host         text NOT NULL,
  started_at   timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL
);

-- Run ids in blocks (hi/lo): each nextval owns [value, value + 1000).
CREATE SEQUENCE chime_run_ids INCREMENT BY 1000 MINVALUE 1 START WITH 1;
