//! Workflow run writes (migration 0003): starting runs, claiming due runs under a lease, committing
//! history chunks (with their audit rows), leases. Multi-row statements chunked under the bind
//! limit, one transaction per call; on PostgreSQL, writes making runs due notify `storeops_runs`.

use std::collections::HashSet;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::QueryBuilder;

use super::insert::{chunk_rows, insert_values, Conn};
use super::{
    Db, Engine, BEGIN_LEASE, BEGIN_WRITE, CLAIM_GATE, CLAIM_LOCK, CLAIM_WITH, MAX_BINDS,
    NOTIFY_RUNS, WITH_WRITES,
};
use crate::error::StoreError;
use crate::workflow::{
    check_one_of, ClaimedRun, NewItem, RunUpdate, StoreEffect, ITEM_KINDS, RUN_STATUSES,
    TERMINAL_STATUSES,
};

/// Now, in whole microseconds (what PostgreSQL keeps), so a written value
/// equals what is read back.
pub(super) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Wakes listening workers (PostgreSQL; nothing on SQLite). Runs inside the
/// caller's transaction, so the notification goes out on commit.
pub(super) async fn notify_runs(conn: &mut Conn) -> Result<(), StoreError> {
    if let Some(sql) = NOTIFY_RUNS {
        sqlx::query::<Db>(sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The history chunks (`0, seq, events`, by seq) and inbox entries (`1,
/// id, event`, by id) of runs `ids`, fetched in one statement per chunk of
/// ids: `(run_id, 0 | 1, seq | id, text)`.
async fn histories_and_inboxes(
    conn: &mut Conn,
    ids: &[String],
) -> Result<Vec<(String, i64, i64, String)>, StoreError> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(MAX_BINDS / 2) {
        let mut sql = QueryBuilder::<Db>::new(
            "SELECT run_id, CAST(0 AS BIGINT), seq, events FROM wf_history WHERE run_id IN (",
        );
        let mut list = sql.separated(", ");
        for id in chunk {
            list.push_bind(id);
        }
        sql.push(
            ") UNION ALL SELECT run_id, CAST(1 AS BIGINT), id, event FROM wf_inbox WHERE run_id IN (",
        );
        let mut list = sql.separated(", ");
        for id in chunk {
            list.push_bind(id);
        }
        sql.push(") ORDER BY 2, 1, 3");
        rows.extend(sql.build_query_as().fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// `id, workflow, version, mode, input, next_seq, due_at, started,
/// has_inbox` of claimed runs (`started`: chunk 0, for runs started after
/// migration 0007).
type ClaimRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<DateTime<Utc>>,
    Option<String>,
    bool,
);

/// Whether a claimed run has more to read than its row: history chunks in
/// `wf_history` (chunk 0 of a run started before 0007, or later chunks) or
/// inbox entries.
fn needs_log(row: &ClaimRow) -> bool {
    row.5 > 1 || row.7.is_none() || row.8
}

/// Binds per row of the bulk run update.
const UPDATE_WIDTH: usize = 8;

impl Engine {
    /// Leases up to `limit` due runs to `owner`, oldest due first, with
    /// their history and inbox.
    pub(crate) async fn claim_runs(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
        paused_excluded: bool,
    ) -> Result<Vec<ClaimedRun>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut sql = QueryBuilder::<Db>::new(CLAIM_WITH);
        sql.push("SELECT r.id FROM wf_runs r WHERE r.due_at IS NOT NULL AND r.due_at <= ")
            .push_bind(now)
            .push(" AND (r.lease_until IS NULL OR r.lease_until < ")
            .push_bind(now)
            .push(")");
        if paused_excluded {
            sql.push(
                " AND NOT EXISTS (SELECT 1 FROM workflows w WHERE w.name = r.workflow AND w.paused)",
            );
        }
        sql.push(" ORDER BY r.due_at, r.id LIMIT ")
            .push_bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .push(CLAIM_LOCK)
            .push(") UPDATE wf_runs SET lease_owner = ")
            .push_bind(owner)
            .push(", lease_until = ")
            .push_bind(lease_until)
            .push(" WHERE id IN (SELECT id FROM due)")
            .push(CLAIM_GATE)
            .push(
                " RETURNING id, workflow, version, mode, input, next_seq, due_at, started, \
                 EXISTS (SELECT 1 FROM wf_inbox i WHERE i.run_id = wf_runs.id)",
            );
        // One statement, its own transaction: the lease is taken before the
        // logs are read, and nobody else commits to a run leased to us.
        let mut rows: Vec<ClaimRow> = sql.build_query_as().fetch_all(&self.writer).await?;
        rows.sort_by(|a, b| (a.6, &a.0).cmp(&(b.6, &b.0)));
        let ids: Vec<String> = rows
            .iter()
            .filter(|r| needs_log(r))
            .map(|r| r.0.clone())
            .collect();
        let logged = if ids.is_empty() {
            Vec::new()
        } else {
            let mut conn = self.reader.acquire().await?;
            histories_and_inboxes(&mut conn, &ids).await?
        };
        let mut claimed: Vec<ClaimedRun> = rows
            .into_iter()
            .map(
                |(id, workflow, version, mode, input, next_seq, _, started, _)| ClaimedRun {
                    id,
                    workflow,
                    version,
                    mode,
                    input,
                    history: started.into_iter().collect(),
                    next_seq,
                    inbox: Vec::new(),
                },
            )
            .collect();
        let index: std::collections::HashMap<String, usize> = claimed
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        for (run_id, inbox, n, text) in logged {
            if let Some(&i) = index.get(&run_id) {
                if inbox == 0 {
                    claimed[i].history.push(text);
                } else {
                    claimed[i].inbox.push((n, text));
                }
            }
        }
        Ok(claimed)
    }

    /// Applies the updates `owner` still holds the lease for (with their history chunks and
    /// consumed inbox entries), the store effects (`workflow_effects::apply`), the items and
    /// the audit entries (see `audit::append_for_runs` for which), in one transaction.
    pub(crate) async fn commit_runs(
        &self,
        owner: &str,
        updates: &[RunUpdate],
        effects: &[StoreEffect],
        items: &[NewItem],
        audit: &[storeops_domain::audit_chain::AuditEntry],
    ) -> Result<Vec<bool>, StoreError> {
        for update in updates {
            check_one_of("status", &update.status, &RUN_STATUSES)?;
        }
        for item in items {
            check_one_of("kind", &item.kind, &ITEM_KINDS)?;
        }
        let at = now();
        // One update per run: later ones for the same run do not apply.
        let mut seen = HashSet::with_capacity(updates.len());
        let candidates: Vec<&RunUpdate> =
            updates.iter().filter(|u| seen.insert(&u.run_id)).collect();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut applied: HashSet<String> = HashSet::with_capacity(candidates.len());
        let mut rest = candidates.as_slice();
        while !rest.is_empty() {
            let (chunk, after) = rest.split_at(chunk_rows(rest.len(), UPDATE_WIDTH));
            rest = after;
            applied.extend(update_chunk(&mut tx, owner, at, chunk).await?);
        }
        let result: Vec<bool> = updates.iter().map(|u| applied.remove(&u.run_id)).collect();
        let done: Vec<&RunUpdate> = updates
            .iter()
            .zip(&result)
            .filter(|(_, &ok)| ok)
            .map(|(u, _)| u)
            .collect();
        if !WITH_WRITES {
            insert_values(
                &mut tx,
                "INSERT INTO wf_history (run_id, seq, events, at) ",
                4,
                "",
                &done,
                |values, u| {
                    values
                        .push_bind(&u.run_id)
                        .push_bind(u.seq)
                        .push_bind(&u.events)
                        .push_bind(at);
                },
            )
            .await?;
        }
        let consumed: Vec<i64> = done
            .iter()
            .flat_map(|u| u.consumed_inbox.iter().copied())
            .collect();
        for chunk in consumed.chunks(1024) {
            let mut sql = QueryBuilder::<Db>::new("DELETE FROM wf_inbox WHERE id IN (");
            let mut list = sql.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            sql.push(")");
            sql.build().execute(&mut *tx).await?;
        }
        // An inbox entry that arrived after the worker read the run (a
        // decision made while it was being released) keeps the run due; a
        // finished run has nothing left to read its inbox.
        let released: Vec<String> = done
            .iter()
            .filter(|u| !u.keep_lease && !TERMINAL_STATUSES.contains(&u.status.as_str()))
            .map(|u| u.run_id.clone())
            .collect();
        for chunk in released.chunks(1024) {
            let mut sql = QueryBuilder::<Db>::new("UPDATE wf_runs SET due_at = ");
            sql.push_bind(at)
                .push(" WHERE (due_at IS NULL OR due_at > ")
                .push_bind(at)
                .push(") AND status NOT IN ('completed', 'failed', 'cancelled') AND id IN (SELECT run_id FROM wf_inbox WHERE run_id IN (");
            let mut list = sql.separated(", ");
            for id in chunk {
                list.push_bind(id);
            }
            sql.push("))");
            sql.build().execute(&mut *tx).await?;
        }
        super::workflow_effects::apply(&mut tx, effects, updates, &result, at).await?;
        insert_values(
            &mut tx,
            "INSERT INTO wf_items (key, kind, run_id, workflow, step, role, title, options, \
             context, status, created_at, due_at) ",
            12,
            " ON CONFLICT (key) DO NOTHING",
            items,
            |values, i| {
                values
                    .push_bind(&i.key)
                    .push_bind(&i.kind)
                    .push_bind(&i.run_id)
                    .push_bind(&i.workflow)
                    .push_bind(&i.step)
                    .push_bind(&i.role)
                    .push_bind(&i.title)
                    .push_bind(&i.options)
                    .push_bind(&i.context)
                    .push_bind("open")
                    .push_bind(at)
                    .push_bind(i.due_at);
            },
        )
        .await?;
        super::workflow_links::apply_links(&mut tx, &done, at).await?;
        super::audit::append_for_runs(&mut tx, audit, updates, &result).await?;
        if done.iter().any(|u| u.due_at.is_some_and(|due| due <= at)) {
            notify_runs(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(result)
    }

    /// Moves `owner`'s leases on `run_ids` to `lease_until`; how many it
    /// still held.
    pub(crate) async fn extend_leases(
        &self,
        owner: &str,
        run_ids: &[String],
        lease_until: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut extended = 0;
        let mut tx = self.writer.begin_with(BEGIN_LEASE).await?;
        for chunk in run_ids.chunks(1024) {
            let mut sql = QueryBuilder::<Db>::new("UPDATE wf_runs SET lease_until = ");
            sql.push_bind(lease_until)
                .push(" WHERE lease_owner = ")
                .push_bind(owner)
                .push(" AND id IN (");
            let mut list = sql.separated(", ");
            for id in chunk {
                list.push_bind(id);
            }
            sql.push(")");
            extended += sql.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(extended)
    }

    /// Releases every lease `owner` holds; how many.
    pub(crate) async fn release_leases(&self, owner: &str) -> Result<u64, StoreError> {
        let done = sqlx::query::<Db>(
            "UPDATE wf_runs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
        )
        .bind(owner)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }
}

/// The bulk run update, up to its `updated_at` value; `FROM` the rows `v`
/// (`run_id, seq, status, due_at, output, error, keep_lease`, and `events`
/// where `WITH` holds writes) follows.
const UPDATE_RUNS: &str = "UPDATE wf_runs SET status = v.column3, due_at = v.column4, \
     output = v.column5, error = v.column6, next_seq = v.column2 + 1, \
     lease_owner = CASE WHEN v.column7 THEN lease_owner ELSE NULL END, \
     lease_until = CASE WHEN v.column7 THEN lease_until ELSE NULL END, updated_at = ";

/// One bulk `UPDATE … FROM (VALUES …)` of runs `owner` holds whose
/// `next_seq` is the update's `seq`; the ids it updated.
async fn update_chunk(
    conn: &mut Conn,
    owner: &str,
    at: DateTime<Utc>,
    chunk: &[&RunUpdate],
) -> Result<Vec<String>, StoreError> {
    // VALUES columns are column1… on both backends. Where WITH may hold
    // writes (PostgreSQL), the applied updates' history chunks are inserted
    // by the same statement (one round trip less per commit).
    let mut sql = QueryBuilder::<Db>::new(if WITH_WRITES { "WITH v AS (" } else { "" });
    if !WITH_WRITES {
        sql.push(UPDATE_RUNS).push_bind(at).push(" FROM (");
    }
    sql.push_values(chunk, |mut values, u| {
        values
            .push_bind(&u.run_id)
            .push_bind(u.seq)
            .push_bind(&u.status)
            .push_bind(u.due_at)
            .push_bind(&u.output)
            .push_bind(&u.error)
            .push_bind(u.keep_lease);
        if WITH_WRITES {
            values.push_bind(&u.events);
        }
    });
    if WITH_WRITES {
        sql.push("), u AS (")
            .push(UPDATE_RUNS)
            .push_bind(at)
            .push(" FROM v");
    } else {
        sql.push(") AS v");
    }
    sql.push(
        " WHERE wf_runs.id = v.column1 AND wf_runs.next_seq = v.column2 AND wf_runs.lease_owner = ",
    )
    .push_bind(owner);
    if WITH_WRITES {
        sql.push(
            " RETURNING wf_runs.id, v.column2 AS seq, v.column8 AS events), \
             h AS (INSERT INTO wf_history (run_id, seq, events, at) SELECT id, seq, events, ",
        )
        .push_bind(at)
        .push(" FROM u) SELECT id FROM u");
    } else {
        sql.push(" RETURNING id");
    }
    let ids: Vec<(String,)> = sql.build_query_as().fetch_all(&mut *conn).await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}
