//! The read methods of [`Store`] behind the `store.query` workflow action;
//! see `crate::query` for the rows. A child module of `store.rs`, so it
//! dispatches with the same `dispatch!` macro.

use super::{Inner, Store};
use crate::error::StoreError;
use crate::query::{LowStockRow, OutcomeRow, ReorderPolicy};

impl Store {
    /// SKUs whose available units (summed over locations) are at or below
    /// their reorder point under `policy`, by SKU, at most `limit`.
    /// `window_days` 0 is `InvalidQuery { field: "window_days" }`.
    pub async fn low_stock(
        &self,
        policy: ReorderPolicy,
        limit: u32,
    ) -> Result<Vec<LowStockRow>, StoreError> {
        dispatch!(self, e => e.low_stock(policy, limit).await)
    }

    /// The `wf_outcomes` rows of `entity`, by key, at most `limit`.
    pub async fn outcome_rows(
        &self,
        entity: &str,
        limit: u32,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        dispatch!(self, e => e.outcome_rows(entity, limit).await)
    }

    /// The name of the order with this platform id (`external_id`); the
    /// first by name if several share it.
    pub async fn order_name_by_id(&self, id: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self, e => e.order_name_by_id(id).await)
    }
}
