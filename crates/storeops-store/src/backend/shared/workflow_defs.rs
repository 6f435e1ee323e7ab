//! Workflow definitions (tables `workflow_versions` and `workflows` of
//! migration 0003): deploying versions, reading them, mode and pause.

use chrono::{DateTime, Utc};
use storeops_domain::audit_chain::AuditEntry;

use super::audit::append_in;
use super::workflow::now;
use super::{Db, Engine, BEGIN_WRITE};
use crate::error::StoreError;
use crate::workflow::{check_one_of, ControlChange, WorkflowRow, WorkflowVersion, MODES};

impl Engine {
    /// Stores a version (if new) and makes it the workflow's active one.
    pub(crate) async fn deploy_workflow(
        &self,
        version: &WorkflowVersion,
        mode_if_new: &str,
    ) -> Result<bool, StoreError> {
        check_one_of("mode", mode_if_new, &MODES)?;
        let at = now();
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let inserted = sqlx::query::<Db>(
            "INSERT INTO workflow_versions (workflow, version, source, plan, deployed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workflow, version) DO NOTHING",
        )
        .bind(&version.workflow)
        .bind(&version.version)
        .bind(&version.source)
        .bind(&version.plan)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        sqlx::query::<Db>(
            "INSERT INTO workflows (name, active_version, mode, paused, updated_at) \
             VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (name) DO UPDATE \
             SET active_version = excluded.active_version, updated_at = excluded.updated_at \
             WHERE workflows.active_version <> excluded.active_version",
        )
        .bind(&version.workflow)
        .bind(&version.version)
        .bind(mode_if_new)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(inserted)
    }

    /// Every workflow, by name.
    pub(crate) async fn workflows(&self) -> Result<Vec<WorkflowRow>, StoreError> {
        Ok(sqlx::query_as::<Db, WorkflowRow>(
            "SELECT name, active_version, mode, paused, updated_at FROM workflows ORDER BY name",
        )
        .fetch_all(&self.reader)
        .await?)
    }

    /// One workflow.
    pub(crate) async fn workflow(&self, name: &str) -> Result<Option<WorkflowRow>, StoreError> {
        Ok(sqlx::query_as::<Db, WorkflowRow>(
            "SELECT name, active_version, mode, paused, updated_at FROM workflows WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.reader)
        .await?)
    }

    /// One stored version of a workflow.
    pub(crate) async fn workflow_version(
        &self,
        name: &str,
        version: &str,
    ) -> Result<Option<WorkflowVersion>, StoreError> {
        let row: Option<(String, String)> = sqlx::query_as::<Db, (String, String)>(
            "SELECT source, plan FROM workflow_versions WHERE workflow = $1 AND version = $2",
        )
        .bind(name)
        .bind(version)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|(source, plan)| WorkflowVersion {
            workflow: name.to_string(),
            version: version.to_string(),
            source,
            plan,
        }))
    }

    /// A workflow's versions with their deployment times, oldest first.
    pub(crate) async fn workflow_versions(
        &self,
        name: &str,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        Ok(sqlx::query_as::<Db, (String, DateTime<Utc>)>(
            "SELECT version, deployed_at FROM workflow_versions WHERE workflow = $1 \
             ORDER BY deployed_at, version",
        )
        .bind(name)
        .fetch_all(&self.reader)
        .await?)
    }

    /// Sets a workflow's mode; `NotFound` for an unknown name.
    pub(crate) async fn set_workflow_mode(&self, name: &str, mode: &str) -> Result<(), StoreError> {
        check_one_of("mode", mode, &MODES)?;
        let done =
            sqlx::query::<Db>("UPDATE workflows SET mode = $1, updated_at = $2 WHERE name = $3")
                .bind(mode)
                .bind(now())
                .bind(name)
                .execute(&self.writer)
                .await?;
        found(done.rows_affected(), "workflow", name)
    }

    /// Pauses or resumes a workflow; `NotFound` for an unknown name.
    pub(crate) async fn set_workflow_paused(
        &self,
        name: &str,
        paused: bool,
    ) -> Result<(), StoreError> {
        let done =
            sqlx::query::<Db>("UPDATE workflows SET paused = $1, updated_at = $2 WHERE name = $3")
                .bind(paused)
                .bind(now())
                .bind(name)
                .execute(&self.writer)
                .await?;
        found(done.rows_affected(), "workflow", name)
    }
}

impl Engine {
    /// Compare-and-set of a workflow's mode or pause flag with its audit
    /// entry in one transaction; false (nothing written) when the current
    /// value is no longer `change`'s `from`.
    pub(crate) async fn swap_workflow_control(
        &self,
        name: &str,
        change: &ControlChange,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let done = match change {
            ControlChange::Mode { from, to } => {
                check_one_of("mode", to, &MODES)?;
                sqlx::query::<Db>(
                    "UPDATE workflows SET mode = $1, updated_at = $2 WHERE name = $3 AND mode = $4",
                )
                .bind(to)
                .bind(now())
                .bind(name)
                .bind(from)
                .execute(&mut *tx)
                .await?
            }
            ControlChange::Paused { from, to } => {
                sqlx::query::<Db>(
                    "UPDATE workflows SET paused = $1, updated_at = $2 WHERE name = $3 \
                     AND paused = $4",
                )
                .bind(to)
                .bind(now())
                .bind(name)
                .bind(from)
                .execute(&mut *tx)
                .await?
            }
        };
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        append_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// `Ok` when a statement changed a row, `NotFound { what, key }` otherwise.
pub(super) fn found(rows: u64, what: &'static str, key: &str) -> Result<(), StoreError> {
    if rows > 0 {
        Ok(())
    } else {
        Err(StoreError::NotFound {
            what,
            key: key.to_string(),
        })
    }
}
