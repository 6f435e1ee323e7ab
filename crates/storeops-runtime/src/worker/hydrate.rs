//! Rebuilding a claimed run: its pinned plan (cached per version) and the
//! fold of its history chunks, then of its inbox.

use std::sync::Arc;

use storeops_engine::{HistoryEvent, Plan};
use storeops_store::ClaimedRun;

use super::active::Active;
use super::links::awaits_event;
use super::{corrupt, Worker};
use crate::error::RuntimeError;

impl Worker {
    /// Builds a held run from a claim: folds the history, then the inbox.
    pub(super) async fn hydrate(&mut self, claimed: ClaimedRun) -> Result<Active, RuntimeError> {
        let plan = self.plan(&claimed.workflow, &claimed.version).await?;
        let mut run = Active::new(
            claimed.id.clone(),
            plan,
            claimed.mode == "shadow",
            claimed.next_seq,
        );
        for chunk in &claimed.history {
            let events: Vec<HistoryEvent> =
                serde_json::from_str(chunk).map_err(|e| corrupt("history", &claimed.id, e))?;
            for event in &events {
                run.replay(event);
            }
        }
        if awaits_event(&run.state) {
            // Its waits may be stored or not: the commit stores them again.
            run.stored_waits = None;
        }
        for (id, text) in &claimed.inbox {
            match serde_json::from_str::<HistoryEvent>(text) {
                Ok(event) => {
                    run.push(event);
                }
                Err(e) => {
                    tracing::warn!(run = %claimed.id, inbox = id, error = %e, "unreadable inbox event dropped")
                }
            }
            run.consumed_inbox.push(*id);
        }
        Ok(run)
    }

    /// The plan of a version (cached process-wide by `launch::load_plan`).
    pub(super) async fn plan(
        &self,
        workflow: &str,
        version: &str,
    ) -> Result<Arc<Plan>, RuntimeError> {
        crate::launch::load_plan(&self.store, workflow, version).await
    }
}
