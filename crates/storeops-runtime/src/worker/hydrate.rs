//! Rebuilding a claimed run: its pinned plan (cached per version) and the
//! fold of its history chunks, then of its inbox.

use std::sync::Arc;

use storeops_engine::state::Awaiting;
use storeops_engine::{HistoryEvent, Plan};
use storeops_store::ClaimedRun;

use super::active::Active;
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
        if matches!(run.state.awaiting, Some(Awaiting::Event { .. })) {
            // Its wait may be stored: stored again (upsert) on the next
            // `await_event`, cleared when the run stops waiting.
            run.stored_wait = Some(String::new());
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
