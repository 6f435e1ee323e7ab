//! Workflow runs and items seen from outside the worker (tables of
//! migration 0003): run and history reads, listings and counts, the inbox of
//! outside events (which makes a run due), closing approval/exception
//! items and outcomes. Pruning and migrating runs: `workflow_retention.rs`.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::insert::Conn;
use super::workflow::notify_runs;
use super::{Db, Engine, BEGIN_WRITE};
use crate::error::StoreError;
use crate::workflow::{is_terminal, ItemFilter, ItemRow, RunFilter, RunRow};

/// Columns of [`RunRow`].
pub(super) const RUN_COLUMNS: &str =
    "SELECT id, workflow, version, mode, status, input, output, error, \
     created_at, updated_at, due_at FROM wf_runs";

/// Columns of [`ItemRow`].
const ITEM_COLUMNS: &str = "key, kind, run_id, workflow, step, role, title, options, context, \
     status, created_at, due_at, closed_at, decision, actor, reason";

/// Inserts an inbox entry for `run_id` and makes the run due at `at` (or
/// keeps an earlier due time) unless it is terminal; `NotFound` for an
/// unknown run. Runs in the caller's write transaction.
pub(super) async fn enqueue_in(
    conn: &mut Conn,
    run_id: &str,
    event: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let status: Option<String> =
        sqlx::query_scalar::<Db, String>("SELECT status FROM wf_runs WHERE id = $1")
            .bind(run_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(status) = status else {
        return Err(StoreError::NotFound {
            what: "run",
            key: run_id.to_string(),
        });
    };
    let id: i64 = sqlx::query_scalar::<Db, i64>(
        "INSERT INTO wf_inbox (run_id, event, at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(run_id)
    .bind(event)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    if !is_terminal(&status) {
        sqlx::query::<Db>(
            "UPDATE wf_runs SET due_at = $1 WHERE id = $2 AND (due_at IS NULL OR due_at > $1)",
        )
        .bind(at)
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
        notify_runs(conn).await?;
    }
    Ok(id)
}

impl Engine {
    /// Stores an outside event for a run and makes it due; the inbox id.
    pub(crate) async fn enqueue_inbox(
        &self,
        run_id: &str,
        event: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let id = enqueue_in(&mut tx, run_id, event, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One run.
    pub(crate) async fn run(&self, id: &str) -> Result<Option<RunRow>, StoreError> {
        let mut sql = QueryBuilder::<Db>::new(RUN_COLUMNS);
        sql.push(" WHERE id = ").push_bind(id);
        Ok(sql.build_query_as().fetch_optional(&self.reader).await?)
    }

    /// A run's history chunks `(seq, at, events)` in order.
    pub(crate) async fn run_history(
        &self,
        id: &str,
    ) -> Result<Vec<(i64, DateTime<Utc>, String)>, StoreError> {
        Ok(sqlx::query_as::<Db, (i64, DateTime<Utc>, String)>(
            "SELECT CAST(0 AS BIGINT), created_at, started FROM wf_runs WHERE id = $1 AND started IS NOT NULL \
             UNION ALL SELECT seq, at, events FROM wf_history WHERE run_id = $1 ORDER BY 1",
        )
        .bind(id)
        .fetch_all(&self.reader)
        .await?)
    }

    /// Runs matching `filter`, newest first.
    pub(crate) async fn list_runs(&self, filter: &RunFilter) -> Result<Vec<RunRow>, StoreError> {
        if !(1..=1000).contains(&filter.limit) {
            return Err(StoreError::invalid("limit", "must be 1 to 1000"));
        }
        let mut sql = QueryBuilder::<Db>::new(RUN_COLUMNS);
        sql.push(" WHERE 1 = 1");
        if let Some(workflow) = &filter.workflow {
            sql.push(" AND workflow = ").push_bind(workflow);
        }
        if let Some(status) = &filter.status {
            sql.push(" AND status = ").push_bind(status);
        }
        if let Some(cursor) = &filter.before {
            sql.push(" AND (created_at < ")
                .push_bind(cursor.created_at)
                .push(" OR (created_at = ")
                .push_bind(cursor.created_at)
                .push(" AND id < ")
                .push_bind(&cursor.id)
                .push("))");
        }
        sql.push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(filter.limit));
        Ok(sql.build_query_as().fetch_all(&self.reader).await?)
    }

    /// Number of runs per status (of one workflow, or all), by status,
    /// pruned runs included.
    pub(crate) async fn count_runs_by_status(
        &self,
        workflow: Option<&str>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        // Live rows plus the counts of pruned runs (migration 0006).
        let mut sql = QueryBuilder::<Db>::new(
            "SELECT status, CAST(SUM(n) AS BIGINT) FROM (SELECT status, COUNT(*) AS n FROM wf_runs",
        );
        if let Some(workflow) = workflow {
            sql.push(" WHERE workflow = ").push_bind(workflow);
        }
        sql.push(" GROUP BY status UNION ALL SELECT status, SUM(count) AS n FROM wf_run_counts");
        if let Some(workflow) = workflow {
            sql.push(" WHERE workflow = ").push_bind(workflow);
        }
        sql.push(" GROUP BY status) AS counted GROUP BY status ORDER BY status");
        Ok(sql.build_query_as().fetch_all(&self.reader).await?)
    }

    /// One item.
    pub(crate) async fn item(&self, key: &str) -> Result<Option<ItemRow>, StoreError> {
        let mut sql = QueryBuilder::<Db>::new("SELECT ");
        sql.push(ITEM_COLUMNS)
            .push(" FROM wf_items WHERE key = ")
            .push_bind(key);
        Ok(sql.build_query_as().fetch_optional(&self.reader).await?)
    }

    /// Items matching `filter`, oldest first.
    pub(crate) async fn list_items(&self, filter: &ItemFilter) -> Result<Vec<ItemRow>, StoreError> {
        let mut sql = QueryBuilder::<Db>::new("SELECT ");
        sql.push(ITEM_COLUMNS).push(" FROM wf_items WHERE 1 = 1");
        if let Some(kind) = &filter.kind {
            sql.push(" AND kind = ").push_bind(kind);
        }
        if let Some(status) = &filter.status {
            sql.push(" AND status = ").push_bind(status);
        }
        if let Some(workflow) = &filter.workflow {
            sql.push(" AND workflow = ").push_bind(workflow);
        }
        if let Some(role) = &filter.role {
            sql.push(" AND role = ").push_bind(role);
        }
        sql.push(" ORDER BY created_at, key");
        Ok(sql.build_query_as().fetch_all(&self.reader).await?)
    }

    /// Closes an open item and enqueues `event` for its run (and appends
    /// `audit`), in one transaction; `Conflict` when it is closed,
    /// `NotFound` when absent.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn close_item(
        &self,
        key: &str,
        decision: &str,
        actor: &str,
        reason: Option<&str>,
        event: &str,
        at: DateTime<Utc>,
        audit: Option<&storeops_domain::audit_chain::AuditEntry>,
    ) -> Result<ItemRow, StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut sql =
            QueryBuilder::<Db>::new("UPDATE wf_items SET status = 'closed', closed_at = ");
        sql.push_bind(at)
            .push(", decision = ")
            .push_bind(decision)
            .push(", actor = ")
            .push_bind(actor)
            .push(", reason = ")
            .push_bind(reason)
            .push(" WHERE key = ")
            .push_bind(key)
            .push(" AND status = 'open' RETURNING ")
            .push(ITEM_COLUMNS);
        let row: Option<ItemRow> = sql.build_query_as().fetch_optional(&mut *tx).await?;
        let Some(row) = row else {
            let exists: Option<String> =
                sqlx::query_scalar::<Db, String>("SELECT status FROM wf_items WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict {
                    what: "closed item",
                    key: key.to_string(),
                },
                None => StoreError::NotFound {
                    what: "item",
                    key: key.to_string(),
                },
            });
        };
        enqueue_in(&mut tx, &row.run_id, event, at).await?;
        if let Some(entry) = audit {
            super::audit::append_in(&mut tx, &[entry]).await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    /// Outcome rows `(key, fields)` of an entity, by key.
    pub(crate) async fn outcomes(&self, entity: &str) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as::<Db, (String, String)>(
            "SELECT key, fields FROM wf_outcomes WHERE entity = $1 ORDER BY key",
        )
        .bind(entity)
        .fetch_all(&self.reader)
        .await?)
    }

    /// Number of outcome rows of an entity.
    pub(crate) async fn count_outcomes(&self, entity: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<Db, i64>("SELECT COUNT(*) FROM wf_outcomes WHERE entity = $1")
                .bind(entity)
                .fetch_one(&self.reader)
                .await?,
        )
    }
}
