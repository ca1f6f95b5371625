-- Chime schema, version 5, SQLite: one run record per fired occurrence and attempt.

-- True for a run the firing of a claimed occurrence made (run, skipped, or the summary of a long
-- catch-up), written so by the store with the advance that fired it. False for runs nothing
-- schedules (run now, an event, a dependency, a pipeline: they happen at the instant they are
-- asked for, so two in one microsecond share it), for retries, for the runs of a deleted job,
-- and for every run recorded before this file (they cannot be told apart: none is dropped).
ALTER TABLE chime_runs ADD COLUMN fired INTEGER NOT NULL DEFAULT 0;

-- The run key: a fired occurrence of a job is recorded once per attempt. A firing of an occurrence
-- already on record is written without its runs, which do not start (docs/schema.md).
CREATE UNIQUE INDEX chime_runs_occurrence ON chime_runs (job_id, scheduled_for, attempt)
  WHERE fired;
