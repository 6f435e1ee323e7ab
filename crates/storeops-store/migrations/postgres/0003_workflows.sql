-- Workflow storage, PostgreSQL flavour (twin: migrations/sqlite/0003_workflows.sql;
-- same tables, columns and indexes). Definitions and their deployed versions,
-- runs with their append-only history (one chunk of events per commit), the
-- inbox of events from outside waiting for a run's lease holder, approval and
-- exception items, and the outcomes `store.update` writes. History events,
-- plans, inputs and outputs are opaque JSON text to the store. Timestamps are
-- TIMESTAMPTZ as in 0001.

CREATE TABLE workflow_versions (
    workflow TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    plan TEXT NOT NULL,
    deployed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workflow, version)
);

CREATE TABLE workflows (
    name TEXT PRIMARY KEY NOT NULL,
    active_version TEXT NOT NULL,
    mode TEXT NOT NULL,
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE wf_runs (
    id TEXT PRIMARY KEY NOT NULL,
    workflow TEXT NOT NULL,
    version TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- When a worker should look at the run; NULL = nothing to do.
    due_at TIMESTAMPTZ,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    -- Number of the next history chunk.
    next_seq BIGINT NOT NULL
);
CREATE INDEX wf_runs_due ON wf_runs (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX wf_runs_created ON wf_runs (created_at, id);
CREATE INDEX wf_runs_workflow_created ON wf_runs (workflow, created_at, id);
CREATE INDEX wf_runs_status_created ON wf_runs (status, created_at, id);

-- One row per commit per run: a JSON array of events.
CREATE TABLE wf_history (
    run_id TEXT NOT NULL REFERENCES wf_runs (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    events TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE wf_inbox (
    id BIGSERIAL PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES wf_runs (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX wf_inbox_run_id ON wf_inbox (run_id, id);

CREATE TABLE wf_items (
    key TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    run_id TEXT NOT NULL,
    workflow TEXT NOT NULL,
    step TEXT NOT NULL,
    role TEXT NOT NULL,
    title TEXT NOT NULL,
    options TEXT NOT NULL,
    context TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    due_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    decision TEXT,
    actor TEXT,
    reason TEXT
);
CREATE INDEX wf_items_status_kind ON wf_items (status, kind, created_at);
CREATE INDEX wf_items_run_id ON wf_items (run_id);

CREATE TABLE wf_outcomes (
    entity TEXT NOT NULL,
    key TEXT NOT NULL,
    fields TEXT NOT NULL,
    run_id TEXT NOT NULL,
    step TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entity, key)
);
