//! Writes that link runs to the outside (migration 0005): starting runs
//! inside a caller's transaction, a commit's wait changes, child starts and
//! messages to other runs, offering events to triggers and waits, trigger
//! counts and schedule marks.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::insert::{chunk_rows, insert_returning, Conn};
use super::workflow_read::enqueue_in;
use super::{Db, Engine, BEGIN_WRITE, STARTED_WOKE, START_WAKE};
use crate::error::StoreError;
use crate::workflow::{check_one_of, NewRun, RunUpdate, MODES};
use crate::workflow_links::{EventDispatch, PendingEvent, TriggerCount, WaitChange, WaitRow};

/// Binds per row of the run insert.
const START_WIDTH: usize = 11;

/// Inserts new runs with their history chunk 0 (kept on the run's row,
/// `started`) in the caller's transaction; `true` per run that was new (the
/// first occurrence of an id in `runs` that was not stored).
pub(super) async fn start_runs_in(
    conn: &mut Conn,
    runs: &[NewRun],
) -> Result<Vec<bool>, StoreError> {
    if runs.is_empty() {
        return Ok(Vec::new());
    }
    for run in runs {
        check_one_of("mode", &run.mode, &MODES)?;
    }
    let mut seen = HashSet::with_capacity(runs.len());
    let candidates: Vec<&NewRun> = runs.iter().filter(|r| seen.insert(&r.id)).collect();
    // Workers are woken by the insert itself where it can (`START_WAKE`).
    let inserted: Vec<(String, bool)> = insert_returning(
        conn,
        &format!(
            "{START_WAKE}INSERT INTO wf_runs (id, workflow, version, mode, status, input, \
             created_at, updated_at, due_at, next_seq, started) "
        ),
        START_WIDTH,
        &format!(" ON CONFLICT (id) DO NOTHING RETURNING id, {STARTED_WOKE}"),
        &candidates,
        |values, run| {
            values
                .push_bind(&run.id)
                .push_bind(&run.workflow)
                .push_bind(&run.version)
                .push_bind(&run.mode)
                .push_bind("running")
                .push_bind(&run.input)
                .push_bind(run.at)
                .push_bind(run.at)
                .push_bind(run.at)
                .push_bind(1_i64)
                .push_bind(&run.events);
        },
    )
    .await?;
    let mut fresh: HashSet<String> = inserted.into_iter().map(|(id, _)| id).collect();
    // `remove` answers true once per id: for its first occurrence.
    let result: Vec<bool> = runs.iter().map(|r| fresh.remove(&r.id)).collect();
    Ok(result)
}

/// The links of applied run updates: wait changes, child runs, messages.
pub(super) async fn apply_links(
    conn: &mut Conn,
    done: &[&RunUpdate],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for update in done {
        if let WaitChange::Replace(waits) = &update.wait {
            sqlx::query::<Db>("DELETE FROM wf_waits WHERE run_id = $1")
                .bind(&update.run_id)
                .execute(&mut *conn)
                .await?;
            for wait in waits {
                sqlx::query::<Db>(
                    "INSERT INTO wf_waits (run_id, step, topic, predicate, context, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&update.run_id)
                .bind(&wait.step)
                .bind(&wait.topic)
                .bind(&wait.predicate)
                .bind(&wait.context)
                .bind(at)
                .execute(&mut *conn)
                .await?;
            }
        }
        start_runs_in(conn, &update.starts).await?;
        for message in &update.messages {
            match enqueue_in(conn, &message.run_id, &message.event, message.due_at).await {
                // A parent pruned or deleted meanwhile has nobody to tell.
                Ok(_) | Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// Adds `n` to `workflow`'s count of `outcome` in the caller's transaction.
async fn count_in(
    conn: &mut Conn,
    workflow: &str,
    outcome: &str,
    n: i64,
) -> Result<(), StoreError> {
    sqlx::query::<Db>(
        "INSERT INTO wf_trigger_counts (workflow, outcome, count) VALUES ($1, $2, $3) \
         ON CONFLICT (workflow, outcome) DO UPDATE SET count = wf_trigger_counts.count + $3",
    )
    .bind(workflow)
    .bind(outcome)
    .bind(n)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Engine {
    /// Inserts new runs with their history chunk 0. Runs that fit one
    /// statement are inserted by that statement alone (its own transaction:
    /// one round trip on PostgreSQL, waking workers included).
    pub(crate) async fn start_runs(&self, runs: &[NewRun]) -> Result<Vec<bool>, StoreError> {
        let distinct = runs.iter().map(|r| &r.id).collect::<HashSet<_>>().len();
        if chunk_rows(distinct, START_WIDTH) >= distinct {
            let mut conn = self.writer.acquire().await?;
            return start_runs_in(&mut conn, runs).await;
        }
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let result = start_runs_in(&mut tx, runs).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// Up to `limit` events not yet offered, oldest first; an unreadable
    /// `records` column is an error naming the event.
    pub(crate) async fn pending_events(&self, limit: i64) -> Result<Vec<PendingEvent>, StoreError> {
        type Row = (
            i64,
            String,
            String,
            String,
            sqlx::types::Json<serde_json::Value>,
            DateTime<Utc>,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as::<Db, Row>(
            "SELECT id, source, topic, external_id, payload, received_at, records FROM events \
             WHERE NOT dispatched ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(
                |(id, source, topic, external_id, payload, received_at, records)| {
                    let records = match records {
                        None => serde_json::Map::new(),
                        Some(text) => match serde_json::from_str(&text) {
                            Ok(serde_json::Value::Object(map)) => map,
                            Ok(_) => return Err(corrupt_records(id, "not a JSON object")),
                            Err(e) => return Err(corrupt_records(id, &e.to_string())),
                        },
                    };
                    Ok(PendingEvent {
                        id,
                        source,
                        topic,
                        external_id,
                        payload: payload.0,
                        received_at,
                        records,
                    })
                },
            )
            .collect()
    }

    /// The waits on any of `topics`.
    pub(crate) async fn waits(&self, topics: &[String]) -> Result<Vec<WaitRow>, StoreError> {
        if topics.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = QueryBuilder::<Db>::new(
            "SELECT run_id, step, topic, predicate, context FROM wf_waits WHERE topic IN (",
        );
        let mut list = sql.separated(", ");
        for topic in topics {
            list.push_bind(topic);
        }
        sql.push(") ORDER BY created_at, run_id");
        Ok(sql.build_query_as().fetch_all(&self.reader).await?)
    }

    /// Marks the events offered and applies what offering them came to, in
    /// one transaction; an event another dispatcher marked first is skipped
    /// whole. The ids this call marked.
    pub(crate) async fn dispatch_events(
        &self,
        dispatches: &[EventDispatch],
    ) -> Result<Vec<i64>, StoreError> {
        if dispatches.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let mut sql = QueryBuilder::<Db>::new(
            "UPDATE events SET dispatched = TRUE WHERE NOT dispatched AND id IN (",
        );
        let mut list = sql.separated(", ");
        for d in dispatches {
            list.push_bind(d.event_id);
        }
        sql.push(") RETURNING id");
        let marked: Vec<(i64,)> = sql.build_query_as().fetch_all(&mut *tx).await?;
        let marked: HashSet<i64> = marked.into_iter().map(|(id,)| id).collect();
        let mut counts: HashMap<&(String, String), i64> = HashMap::new();
        for d in dispatches.iter().filter(|d| marked.contains(&d.event_id)) {
            start_runs_in(&mut tx, &d.starts).await?;
            for (wait, message) in &d.matches {
                let removed =
                    sqlx::query::<Db>("DELETE FROM wf_waits WHERE run_id = $1 AND step = $2")
                        .bind(&wait.run_id)
                        .bind(&wait.step)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                if removed == 1 {
                    enqueue_in(&mut tx, &wait.run_id, message, d.due_at).await?;
                }
            }
            for key in &d.counts {
                *counts.entry(key).or_insert(0_i64) += 1;
            }
        }
        for ((workflow, outcome), n) in counts {
            count_in(&mut tx, workflow, outcome, n).await?;
        }
        tx.commit().await?;
        let mut ids: Vec<i64> = marked.into_iter().collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// Adds `n` to a workflow's count of `outcome`.
    pub(crate) async fn count_trigger(
        &self,
        workflow: &str,
        outcome: &str,
        n: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        count_in(&mut tx, workflow, outcome, n).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Trigger counts, by workflow and outcome.
    pub(crate) async fn trigger_counts(&self) -> Result<Vec<TriggerCount>, StoreError> {
        Ok(sqlx::query_as::<Db, TriggerCount>(
            "SELECT workflow, outcome, count FROM wf_trigger_counts ORDER BY workflow, outcome",
        )
        .fetch_all(&self.reader)
        .await?)
    }

    /// The last fire time a scheduled workflow was started for.
    pub(crate) async fn schedule_mark(
        &self,
        workflow: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(sqlx::query_scalar::<Db, DateTime<Utc>>(
            "SELECT last_fire FROM wf_schedules WHERE workflow = $1",
        )
        .bind(workflow)
        .fetch_optional(&self.reader)
        .await?)
    }

    /// Moves a schedule's mark from `previous` to `fire`, starts `runs` and
    /// counts the trigger's `outcome`, in one transaction; false (and nothing written) when the mark is no
    /// longer `previous` (another worker fired it).
    pub(crate) async fn fire_schedule(
        &self,
        workflow: &str,
        previous: Option<DateTime<Utc>>,
        fire: DateTime<Utc>,
        runs: &[NewRun],
        outcome: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let moved = match previous {
            None => sqlx::query::<Db>(
                "INSERT INTO wf_schedules (workflow, last_fire) VALUES ($1, $2) \
                 ON CONFLICT (workflow) DO NOTHING",
            )
            .bind(workflow)
            .bind(fire)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Some(previous) => sqlx::query::<Db>(
                "UPDATE wf_schedules SET last_fire = $1 WHERE workflow = $2 AND last_fire = $3",
            )
            .bind(fire)
            .bind(workflow)
            .bind(previous)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        if moved != 1 {
            return Ok(false);
        }
        start_runs_in(&mut tx, runs).await?;
        if let Some(outcome) = outcome {
            count_in(&mut tx, workflow, outcome, 1).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

fn corrupt_records(id: i64, message: &str) -> StoreError {
    StoreError::Corrupt {
        table: "events",
        key: format!("id {id}, column records"),
        message: message.to_string(),
    }
}
