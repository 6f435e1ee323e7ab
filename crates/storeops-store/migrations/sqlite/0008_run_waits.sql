-- Several event waits per run, SQLite flavour (twin:
-- migrations/postgres/0008_run_waits.sql; same key). The `parallel` branches
-- of a run execute concurrently, so each branch may wait for its own event:
-- a wait is now keyed by run and step instead of by run. SQLite cannot change
-- a primary key in place, so the table is rebuilt with its rows.
CREATE TABLE wf_waits_0008 (
    run_id TEXT NOT NULL REFERENCES wf_runs (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    topic TEXT NOT NULL,
    predicate TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
);
INSERT INTO wf_waits_0008 (run_id, step, topic, predicate, context, created_at)
    SELECT run_id, step, topic, predicate, context, created_at FROM wf_waits;
DROP TABLE wf_waits;
ALTER TABLE wf_waits_0008 RENAME TO wf_waits;
CREATE INDEX wf_waits_topic ON wf_waits (topic);
