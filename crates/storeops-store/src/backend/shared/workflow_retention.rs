//! Run retention and version migration (tables of migrations 0003 and
//! 0006): pruning finished runs after counting them in `wf_run_counts`, the
//! unfinished runs of a workflow, and moving one run to another version
//! while no worker holds it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::insert::{delete_in, select_in};
use super::workflow::now;
use super::workflow_read::RUN_COLUMNS;
use super::{Db, Engine, BEGIN_WRITE, CLAIM_LOCK};
use crate::error::StoreError;
use crate::retention::{Pruned, PrunedGroup, RunMigration};
use crate::workflow::RunRow;

/// Runs pruned per transaction.
const PRUNE_BATCH: i64 = 1000;

/// `id, workflow, version, status, created_at` of a run to prune.
type PruneRow = (String, String, String, String, DateTime<Utc>);

impl Engine {
    /// Removes terminal runs last updated before `finished_before` — rows,
    /// history, inbox and review items — in batches; each batch is counted
    /// into `wf_run_counts` in the transaction that deletes it.
    pub(crate) async fn prune_runs(
        &self,
        finished_before: DateTime<Utc>,
    ) -> Result<Pruned, StoreError> {
        let mut groups: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut runs = 0_u64;
        loop {
            let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
            // PostgreSQL: rows another pruner holds are skipped, so two
            // pruners take disjoint batches instead of waiting on each other.
            let mut sql = QueryBuilder::<Db>::new(
                "SELECT r.id FROM wf_runs r WHERE r.status IN ('completed', 'failed', \
                 'cancelled') AND r.updated_at < ",
            );
            sql.push_bind(finished_before)
                .push(" ORDER BY r.updated_at, r.id LIMIT ")
                .push_bind(PRUNE_BATCH)
                .push(CLAIM_LOCK);
            let candidates: Vec<String> = sql
                .build_query_scalar::<String>()
                .fetch_all(&mut *tx)
                .await?;
            // Only what this transaction deleted is counted, so a run is
            // never counted twice. History and inbox go by cascade.
            let batch: Vec<PruneRow> = select_in(
                &mut tx,
                "DELETE FROM wf_runs WHERE id IN ",
                &candidates,
                " RETURNING id, workflow, version, status, created_at",
            )
            .await?;
            let ids: Vec<&str> = batch.iter().map(|(id, ..)| id.as_str()).collect();
            delete_in(&mut tx, "DELETE FROM wf_items WHERE run_id IN ", &ids).await?;
            let mut counts: BTreeMap<(&str, &str, &str, String), i64> = BTreeMap::new();
            for (_, workflow, version, status, created_at) in &batch {
                let day = created_at.format("%Y-%m-%d").to_string();
                let key = (workflow.as_str(), version.as_str(), status.as_str(), day);
                *counts.entry(key).or_default() += 1;
                *groups
                    .entry((workflow.clone(), status.clone()))
                    .or_default() += 1;
            }
            for ((workflow, version, status, day), count) in &counts {
                sqlx::query::<Db>(
                    "INSERT INTO wf_run_counts (workflow, version, status, day, count) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workflow, version, status, day) \
                     DO UPDATE SET count = wf_run_counts.count + excluded.count",
                )
                .bind(*workflow)
                .bind(*version)
                .bind(*status)
                .bind(day)
                .bind(*count)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            runs += u64::try_from(batch.len()).unwrap_or(0);
            if i64::try_from(candidates.len()).unwrap_or(0) < PRUNE_BATCH {
                break;
            }
        }
        let groups = groups
            .into_iter()
            .map(|((workflow, status), runs)| PrunedGroup {
                workflow,
                status,
                runs,
            })
            .collect();
        Ok(Pruned { runs, groups })
    }

    /// The runs of `workflow` that are not finished, oldest first.
    pub(crate) async fn unfinished_runs(&self, workflow: &str) -> Result<Vec<RunRow>, StoreError> {
        let mut sql = QueryBuilder::<Db>::new(RUN_COLUMNS);
        sql.push(" WHERE workflow = ").push_bind(workflow).push(
            " AND status NOT IN ('completed', 'failed', 'cancelled') \
                 ORDER BY created_at, id",
        );
        Ok(sql.build_query_as().fetch_all(&self.reader).await?)
    }

    /// The run's `next_seq`, for the check of a migration; `None` when unknown.
    pub(crate) async fn run_next_seq(&self, run_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar::<Db, i64>("SELECT next_seq FROM wf_runs WHERE id = $1")
                .bind(run_id)
                .fetch_optional(&self.reader)
                .await?,
        )
    }

    /// Moves a run to `to` and appends the chunk (and the audit entry), in one transaction, only
    /// while it is on `from`, unfinished, at `seq` and not leased (no lease
    /// or one that ended before `at`); whether it moved.
    pub(crate) async fn migrate_run(&self, migration: &RunMigration) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let moved = sqlx::query::<Db>(
            "UPDATE wf_runs SET version = $1, next_seq = next_seq + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4 AND next_seq = $5 \
             AND status NOT IN ('completed', 'failed', 'cancelled') \
             AND (lease_until IS NULL OR lease_until < $6)",
        )
        .bind(&migration.to)
        .bind(now())
        .bind(&migration.run_id)
        .bind(&migration.from)
        .bind(migration.seq)
        .bind(migration.at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if moved {
            sqlx::query::<Db>(
                "INSERT INTO wf_history (run_id, seq, events, at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&migration.run_id)
            .bind(migration.seq)
            .bind(&migration.events)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            if let Some(entry) = &migration.audit {
                super::audit::append_in(&mut tx, &[entry]).await?;
            }
        }
        tx.commit().await?;
        Ok(moved)
    }
}
