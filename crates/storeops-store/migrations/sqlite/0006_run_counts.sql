-- Run counts that survive retention, SQLite flavour (twin:
-- migrations/postgres/0006_run_counts.sql; same table and columns). When
-- finished runs are pruned (`Store::prune_runs`), they are counted here per
-- workflow, version, status and UTC day of creation (`YYYY-MM-DD`) in the
-- same transaction that deletes them; run counts add these to the live rows.

CREATE TABLE wf_run_counts (
    workflow TEXT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL,
    day TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (workflow, version, status, day)
);
