//! Conformance cases for the server additions (events ingestion, listing,
//! users/tokens/sessions), workflow storage, the audit log and the schema, by topic. Each `pub async fn`
//! taking `&Store` is instantiated for both backends by `conformance!` in
//! `conformance.rs`; plain `#[tokio::test]`s here need raw connections.

pub mod audit;
pub mod auth;
pub mod events;
pub mod listing;
pub mod paging;
pub mod schema;
pub mod workflow;
pub mod workflow_effects;
pub mod workflow_items;
pub mod workflow_links;
pub mod workflow_retention;
