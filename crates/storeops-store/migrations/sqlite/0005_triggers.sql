-- Workflow triggers and event waits, sqlite flavour (twin:
-- migrations/postgres/0005_triggers.sql; same tables and columns).
-- `events.dispatched`: whether the dispatcher has offered an event to the
-- workflows' event triggers and to runs waiting for an event (events stored
-- before this migration count as offered). `wf_waits`: the one event a
-- waiting run awaits, with the predicate and the variables it reads.
-- `wf_trigger_counts`: triggers per workflow and outcome (started,
-- filtered, out_of_scope, error). `wf_schedules`: the last fire time each
-- scheduled workflow has been started for.

ALTER TABLE events ADD COLUMN dispatched BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE events SET dispatched = TRUE;
CREATE INDEX events_undispatched ON events (id) WHERE NOT dispatched;

CREATE TABLE wf_waits (
    run_id TEXT PRIMARY KEY NOT NULL REFERENCES wf_runs (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    topic TEXT NOT NULL,
    predicate TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX wf_waits_topic ON wf_waits (topic);

CREATE TABLE wf_trigger_counts (
    workflow TEXT NOT NULL,
    outcome TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (workflow, outcome)
);

CREATE TABLE wf_schedules (
    workflow TEXT PRIMARY KEY NOT NULL,
    last_fire TEXT NOT NULL
);
