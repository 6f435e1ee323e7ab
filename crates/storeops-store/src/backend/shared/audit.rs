//! The hash-chained audit log (tables of migration 0004): appending inside
//! any write transaction, reading rows and heads, verifying the whole log.
//! Hashes are computed in Rust (`storeops_domain::audit_chain`); the
//! database only stores them.
//!
//! Appending locks and advances each chain's `audit_heads` row with one
//! upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`: on PostgreSQL the
//! row stays locked until commit, on SQLite the write transaction holds the
//! database's one write lock), in chain-name order so two transactions never
//! wait on each other crosswise. Writers with their own chains never wait on
//! each other at all.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::QueryBuilder;
use storeops_domain::audit_chain::{
    chain_rows, AuditEntry, AuditHead, AuditRow, Verification, Verifier, GENESIS,
};

use super::insert::{insert_values_after, Conn};
use super::{Db, Engine, BEGIN_WRITE, WITH_WRITES};
use crate::error::StoreError;
use crate::workflow::RunUpdate;

/// Rows per page when verifying.
const PAGE: usize = 10_000;

/// Columns of an audit row, in [`RowTuple`] order.
const SELECT_ROWS: &str = "SELECT chain, seq, prev_hash, hash, actor, action, subject, \
     inputs_digest, output, version, reason, at FROM audit_log";

/// One `audit_log` row as selected by [`SELECT_ROWS`].
type RowTuple = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    DateTime<Utc>,
);

/// Builds an [`AuditRow`] from its columns.
fn to_row(t: RowTuple) -> AuditRow {
    let (
        chain,
        seq,
        prev_hash,
        hash,
        actor,
        action,
        subject,
        inputs_digest,
        output,
        version,
        reason,
        at,
    ) = t;
    AuditRow {
        seq,
        prev_hash,
        hash,
        entry: AuditEntry {
            chain,
            actor,
            action,
            subject,
            inputs_digest,
            output,
            version,
            reason,
            at,
        },
    }
}

/// Appends `entries` inside the caller's write transaction: per chain (in
/// name order) the head row is locked and advanced, the rows are hashed in
/// Rust and inserted with multi-row statements. Times are truncated to
/// microseconds (what both databases keep) before hashing.
pub(crate) async fn append_in(conn: &mut Conn, entries: &[&AuditEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut by_chain: BTreeMap<String, Vec<AuditEntry>> = BTreeMap::new();
    for entry in entries {
        let mut entry = (*entry).clone();
        entry.at = entry.at.trunc_subsecs(6);
        by_chain.entry(entry.chain.clone()).or_default().push(entry);
    }
    let mut rows = Vec::with_capacity(entries.len());
    let mut heads: Vec<(String, String)> = Vec::new();
    for (chain, list) in by_chain {
        let n = i64::try_from(list.len()).unwrap_or(i64::MAX);
        let (end, hash): (i64, String) = sqlx::query_as::<Db, (i64, String)>(
            "INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, $2, $3) \
             ON CONFLICT (chain) DO UPDATE SET seq = audit_heads.seq + excluded.seq \
             RETURNING seq, hash",
        )
        .bind(&chain)
        .bind(n)
        .bind(GENESIS)
        .fetch_one(&mut *conn)
        .await?;
        let chained = chain_rows(end - n, &hash, list);
        if let Some(last) = chained.last() {
            heads.push((chain, last.hash.clone()));
        }
        rows.extend(chained);
    }
    // Where WITH may hold writes, the heads move in the first insert.
    if !WITH_WRITES {
        for (chain, hash) in &heads {
            let mut sql = QueryBuilder::<Db>::new("");
            push_head_update(&mut sql, chain, hash);
            sql.build().execute(&mut *conn).await?;
        }
    }
    let first = |sql: &mut QueryBuilder<Db>| {
        if WITH_WRITES {
            for (i, (chain, hash)) in heads.iter().enumerate() {
                sql.push(if i == 0 { "WITH " } else { ", " })
                    .push(format!("head{i} AS ("));
                push_head_update(sql, chain, hash);
                sql.push(") ");
            }
        }
    };
    insert_values_after(
        conn,
        first,
        "INSERT INTO audit_log (chain, seq, prev_hash, hash, actor, action, subject, \
         inputs_digest, output, version, reason, at) ",
        12,
        "",
        &rows,
        |values, r| {
            values
                .push_bind(&r.entry.chain)
                .push_bind(r.seq)
                .push_bind(&r.prev_hash)
                .push_bind(&r.hash)
                .push_bind(&r.entry.actor)
                .push_bind(&r.entry.action)
                .push_bind(&r.entry.subject)
                .push_bind(&r.entry.inputs_digest)
                .push_bind(&r.entry.output)
                .push_bind(&r.entry.version)
                .push_bind(&r.entry.reason)
                .push_bind(r.entry.at);
        },
    )
    .await
}

/// Moves `chain`'s head hash to `hash`.
fn push_head_update(sql: &mut QueryBuilder<Db>, chain: &str, hash: &str) {
    sql.push("UPDATE audit_heads SET hash = ")
        .push_bind(hash.to_string())
        .push(" WHERE chain = ")
        .push_bind(chain.to_string());
}

/// Appends the entries of a run commit: an entry whose `subject` is the run
/// id of an update in `updates` is written only if an update of that run
/// applied (a worker that lost its lease records nothing); every other
/// entry is written.
pub(crate) async fn append_for_runs(
    conn: &mut Conn,
    audit: &[AuditEntry],
    updates: &[RunUpdate],
    applied: &[bool],
) -> Result<(), StoreError> {
    let updated: HashSet<&str> = updates.iter().map(|u| u.run_id.as_str()).collect();
    let done: HashSet<&str> = updates
        .iter()
        .zip(applied)
        .filter(|(_, &ok)| ok)
        .map(|(u, _)| u.run_id.as_str())
        .collect();
    let kept: Vec<&AuditEntry> = audit
        .iter()
        .filter(|e| !updated.contains(e.subject.as_str()) || done.contains(e.subject.as_str()))
        .collect();
    append_in(conn, &kept).await
}

impl Engine {
    /// Appends `entries` in one write transaction.
    pub(crate) async fn append_audit(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let refs: Vec<&AuditEntry> = entries.iter().collect();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        append_in(&mut tx, &refs).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rows after `after_seq` (of one chain, or of every chain), in chain
    /// and seq order, at most `limit` (1–10,000).
    pub(crate) async fn audit_rows(
        &self,
        chain: Option<&str>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditRow>, StoreError> {
        if !(1..=10_000).contains(&limit) {
            return Err(StoreError::invalid("limit", "must be 1 to 10000"));
        }
        let mut sql = QueryBuilder::<Db>::new(SELECT_ROWS);
        sql.push(" WHERE seq > ").push_bind(after_seq);
        if let Some(chain) = chain {
            sql.push(" AND chain = ").push_bind(chain);
        }
        sql.push(" ORDER BY chain, seq LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<RowTuple> = sql.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows.into_iter().map(to_row).collect())
    }

    /// Every chain's last seq and hash, by chain.
    pub(crate) async fn audit_heads(&self) -> Result<Vec<AuditHead>, StoreError> {
        let rows: Vec<(String, i64, String)> = sqlx::query_as::<Db, (String, i64, String)>(
            "SELECT chain, seq, hash FROM audit_heads ORDER BY chain",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(chain, seq, hash)| AuditHead { chain, seq, hash })
            .collect())
    }

    /// Verifies the whole log, read in (chain, seq) order in pages of
    /// 10,000 rows, against `heads` recorded earlier (may be empty).
    pub(crate) async fn verify_audit(
        &self,
        heads: &[AuditHead],
    ) -> Result<Verification, StoreError> {
        let mut verifier = Verifier::with_heads(heads);
        let mut after: Option<(String, i64)> = None;
        loop {
            let mut sql = QueryBuilder::<Db>::new(SELECT_ROWS);
            if let Some((chain, seq)) = &after {
                sql.push(" WHERE (chain, seq) > (")
                    .push_bind(chain)
                    .push(", ")
                    .push_bind(*seq)
                    .push(")");
            }
            sql.push(" ORDER BY chain, seq LIMIT ")
                .push_bind(i64::try_from(PAGE).unwrap_or(i64::MAX));
            let rows: Vec<RowTuple> = sql.build_query_as().fetch_all(&self.reader).await?;
            let full = rows.len() == PAGE;
            for row in rows.into_iter().map(to_row) {
                verifier.push(&row);
                after = Some((row.entry.chain, row.seq));
            }
            if !full {
                return Ok(verifier.finish());
            }
        }
    }
}
