-- Hash-chained audit log, PostgreSQL flavour (twin: migrations/sqlite/0004_audit.sql;
-- same tables and columns). One row per decision, numbered per chain (a
-- writer's stream) from 1; `hash` chains each row to the previous one (see
-- storeops_domain::audit_chain). `audit_heads` holds each chain's last seq
-- and hash: appenders lock and advance it, so they never scan the log.
-- Timestamps are TIMESTAMPTZ as in 0001.

CREATE TABLE audit_log (
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    inputs_digest TEXT NOT NULL,
    output TEXT NOT NULL,
    version TEXT NOT NULL,
    reason TEXT,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chain, seq)
);

CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
