-- Chime schema, version 4, SQLite: event triggers.

-- The event a job listens to (its trigger is {"kind": "event"}), or NULL: a publish finds its
-- jobs through the index instead of reading every definition.
ALTER TABLE chime_jobs ADD COLUMN event TEXT;

CREATE INDEX chime_jobs_event ON chime_jobs (event, id) WHERE event IS NOT NULL;

-- The published event that started a run ({"name": ..., "payload": ...}), or NULL: a run
-- recovered or retried after a crash still gets it.
ALTER TABLE chime_runs ADD COLUMN event TEXT;
