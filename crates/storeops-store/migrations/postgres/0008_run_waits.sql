-- Several event waits per run, PostgreSQL flavour (twin:
-- migrations/sqlite/0008_run_waits.sql; same key). The `parallel` branches
-- of a run execute concurrently, so each branch may wait for its own event:
-- a wait is now keyed by run and step instead of by run.
ALTER TABLE wf_waits DROP CONSTRAINT wf_waits_pkey, ADD PRIMARY KEY (run_id, step);
