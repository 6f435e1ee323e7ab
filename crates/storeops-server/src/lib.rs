//! storeops HTTP server: the JSON API, authentication and roles, signed
//! webhook ingestion with group commit, Prometheus metrics and the
//! server-rendered dashboard.
//!
//! [`app`] builds the whole `Router` from the route table in [`routes`], so
//! tests drive the exact application in-process or over a loopback port;
//! [`serve`] runs it with graceful shutdown. Handlers are thin: they parse
//! and authorise, then call the store, the application services or the pure
//! crates (webhook signatures and mapping live in `storeops-webhooks`).

pub mod api;
pub mod auth;
pub mod dashboard;
mod error;
mod health;
pub mod metrics;
pub mod openapi;
pub mod routes;
mod serve;
pub mod state;
pub mod webhooks;

pub use error::ApiError;
pub use routes::{app, endpoints, Access, Endpoint};
pub use serve::{bootstrap_admin, serve, BootstrapAdmin};
pub use state::AppState;
