//! The audit log methods of [`Store`] (issue 5): appending hash-chained
//! entries, reading rows and chain heads, verifying the log. The chain
//! itself (entries, hashes, what verification reports) is
//! `storeops_domain::audit_chain`. A child module of `store.rs`, so it
//! dispatches with the same `dispatch!` macro.

use storeops_domain::audit_chain::{AuditEntry, AuditHead, AuditRow, Verification};

use super::{Inner, Store};
use crate::error::StoreError;

impl Store {
    /// Appends `entries` to their chains in ONE transaction: each chain's
    /// head is locked and advanced, the rows get seq `head + 1…` and their
    /// hashes (computed in Rust), and are inserted with multi-row
    /// statements. Entry times are stored truncated to microseconds. Two
    /// writers appending to different chains never wait on each other.
    pub async fn append_audit(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        dispatch!(self, e => e.append_audit(entries).await)
    }

    /// Rows with seq after `after_seq`, of `chain` or of every chain, in
    /// (chain, seq) order; at most `limit`, which must be 1–10,000 (else
    /// `InvalidQuery { field: "limit" }`).
    pub async fn audit_rows(
        &self,
        chain: Option<&str>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditRow>, StoreError> {
        dispatch!(self, e => e.audit_rows(chain, after_seq, limit).await)
    }

    /// Every chain's last seq and hash, by chain name. Record them outside
    /// the database: truncating the newest rows of a chain is only
    /// detectable against a saved head ([`Store::verify_audit_against`]).
    pub async fn audit_heads(&self) -> Result<Vec<AuditHead>, StoreError> {
        dispatch!(self, e => e.audit_heads().await)
    }

    /// Verifies the whole log (read in (chain, seq) order, 10,000 rows a
    /// page): seqs from 1 without gaps, each `prev_hash` the previous row's
    /// hash, each hash recomputed from the row.
    pub async fn verify_audit(&self) -> Result<Verification, StoreError> {
        dispatch!(self, e => e.verify_audit(&[]).await)
    }

    /// [`Store::verify_audit`] that also fails when a chain is shorter than,
    /// or has another hash at the seq of, a head recorded earlier (from
    /// [`Store::audit_heads`]).
    pub async fn verify_audit_against(
        &self,
        heads: &[AuditHead],
    ) -> Result<Verification, StoreError> {
        dispatch!(self, e => e.verify_audit(heads).await)
    }
}
