-- A run's first history chunk kept on its row, SQLite flavour (twin:
-- migrations/postgres/0007_run_started.sql; same column). Runs started from
-- now on store chunk 0 (`run_started`) in `wf_runs.started` instead of a
-- `wf_history` row: one row less per run, and a claim reads it with the run.
-- Older runs keep their chunk 0 in `wf_history` (`started` NULL).
ALTER TABLE wf_runs ADD COLUMN started TEXT;
