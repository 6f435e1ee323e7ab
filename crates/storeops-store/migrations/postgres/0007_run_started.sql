-- A run's first history chunk kept on its row, PostgreSQL flavour (twin:
-- migrations/sqlite/0007_run_started.sql; same column). Runs started from now
-- on store chunk 0 (`run_started`) in `wf_runs.started` instead of a
-- `wf_history` row: one row less per run, and a claim reads it with the run.
-- Older runs keep their chunk 0 in `wf_history` (`started` NULL).
ALTER TABLE wf_runs ADD COLUMN started TEXT;

-- A claim only moves the lease columns, which no index covers: with room left
-- on the page it is a heap-only update (no index entries). Half-full pages
-- leave that room for the claim of every row on them.
ALTER TABLE wf_runs SET (fillfactor = 50);
