//! The `store.update` effects a worker commits with its runs' results
//! (`commit_runs`): outcome rows, return statuses and order tags, written in
//! the commit's transaction so each happens exactly once. A return's status
//! and an order's tags live in the stored record (`data`), which is read,
//! changed and written back under a row lock (PostgreSQL), in key order so
//! concurrent commits lock rows in the same order. The content hash is kept:
//! re-importing the unchanged source record does not undo the change.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use storeops_domain::{Order, ReturnRequest, ReturnStatus};

use super::insert::{from_json, insert_values, Conn};
use super::{Db, ROW_LOCK};
use crate::error::StoreError;
use crate::workflow::{Outcome, RunUpdate, StoreEffect};

/// Applies `effects`, except those of runs among `updates` none of whose
/// updates applied (`applied`, one bool per update): a worker that lost a run's
/// lease writes nothing of it. Effects of other runs are always applied.
pub(super) async fn apply(
    tx: &mut Conn,
    effects: &[StoreEffect],
    updates: &[RunUpdate],
    applied: &[bool],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let done: HashSet<&str> = updates
        .iter()
        .zip(applied)
        .filter(|(_, &ok)| ok)
        .map(|(u, _)| u.run_id.as_str())
        .collect();
    let lost: HashSet<&str> = updates
        .iter()
        .map(|u| u.run_id.as_str())
        .filter(|id| !done.contains(id))
        .collect();
    let kept = || effects.iter().filter(|e| !lost.contains(e.run_id()));
    let inserts: Vec<&Outcome> = kept()
        .filter_map(|e| match e {
            StoreEffect::Insert(outcome) => Some(outcome),
            _ => None,
        })
        .collect();
    insert_values(
        tx,
        "INSERT INTO wf_outcomes (entity, key, fields, run_id, step, created_at) ",
        6,
        " ON CONFLICT (entity, key) DO NOTHING",
        &inserts,
        |values, o| {
            values
                .push_bind(&o.entity)
                .push_bind(&o.key)
                .push_bind(&o.fields)
                .push_bind(&o.run_id)
                .push_bind(&o.step)
                .push_bind(at);
        },
    )
    .await?;
    let mut statuses: Vec<(&str, ReturnStatus)> = kept()
        .filter_map(|e| match e {
            StoreEffect::SetReturnStatus {
                return_id, status, ..
            } => Some((return_id.as_str(), *status)),
            _ => None,
        })
        .collect();
    // Stable: of two effects on one return, the later one wins.
    statuses.sort_by_key(|(id, _)| *id);
    for (id, status) in statuses {
        set_return_status(tx, id, status).await?;
    }
    let mut tags: Vec<(&str, &str)> = kept()
        .filter_map(|e| match e {
            StoreEffect::TagOrder { order, tag, .. } => Some((order.as_str(), tag.as_str())),
            _ => None,
        })
        .collect();
    tags.sort_by_key(|(order, _)| *order);
    for (order, tag) in tags {
        tag_order(tx, order, tag).await?;
    }
    Ok(())
}

/// Reads the `data` of one row under the row lock.
async fn locked_data(
    tx: &mut Conn,
    select: &'static str,
    key: &str,
) -> Result<Option<String>, StoreError> {
    let mut sql = QueryBuilder::<Db>::new(select);
    sql.push_bind(key).push(ROW_LOCK);
    Ok(sql
        .build_query_scalar::<String>()
        .fetch_optional(&mut *tx)
        .await?)
}

/// Sets a return's status (column and record); a missing return is left
/// alone (the action checked it exists when it ran).
async fn set_return_status(
    tx: &mut Conn,
    id: &str,
    status: ReturnStatus,
) -> Result<(), StoreError> {
    let Some(data) = locked_data(tx, "SELECT data FROM returns WHERE id = ", id).await? else {
        return Ok(());
    };
    let mut record: ReturnRequest = from_json("returns", id, &data)?;
    record.status = status;
    let data = serde_json::to_string(&record).map_err(|e| StoreError::Corrupt {
        table: "returns",
        key: id.to_string(),
        message: e.to_string(),
    })?;
    sqlx::query::<Db>("UPDATE returns SET status = $1, data = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(data)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Adds a tag to an order's record unless it has it; a missing order is
/// left alone.
async fn tag_order(tx: &mut Conn, name: &str, tag: &str) -> Result<(), StoreError> {
    let Some(data) = locked_data(tx, "SELECT data FROM orders WHERE name = ", name).await? else {
        return Ok(());
    };
    let mut record: Order = from_json("orders", name, &data)?;
    if record.tags.iter().any(|t| t == tag) {
        return Ok(());
    }
    record.tags.push(tag.to_string());
    let data = serde_json::to_string(&record).map_err(|e| StoreError::Corrupt {
        table: "orders",
        key: name.to_string(),
        message: e.to_string(),
    })?;
    sqlx::query::<Db>("UPDATE orders SET data = $1 WHERE name = $2")
        .bind(data)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
