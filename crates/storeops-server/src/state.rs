//! Shared state of every handler: the store, settings, the webhook ingest
//! queue, the login limiter, the action registry and the published OpenAPI
//! document.

use std::sync::{Arc, OnceLock};

use storeops_app::config::Config;
use storeops_app::server_config::ServerConfig;
use storeops_runtime::Registry;
use storeops_store::Store;

use crate::api::submit_queue::SubmitQueue;
use crate::auth::token_cache::TokenCache;
use crate::auth::LoginLimiter;
use crate::webhooks::IngestQueue;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Full configuration (readiness thresholds, import settings).
    pub config: Arc<Config>,
    /// Server settings (a copy of `config.server`, for short paths).
    pub server: Arc<ServerConfig>,
    /// Group-commit writer of webhook events.
    pub ingest: IngestQueue,
    /// Failed-login rate limiter.
    pub logins: Arc<LoginLimiter>,
    /// The OpenAPI document, set once the route table is built.
    pub openapi: Arc<OnceLock<serde_json::Value>>,
    /// Wakes the in-process workflow workers after a submission or decision.
    pub workflow_wake: Arc<tokio::sync::Notify>,
    /// Group-commit writer of workflow submissions.
    pub submissions: SubmitQueue,
    /// Recently looked-up API tokens.
    pub tokens: Arc<TokenCache>,
    /// The actions `POST /api/v1/actions/{name}` runs (the workers' registry).
    pub registry: Arc<Registry>,
}

impl AppState {
    /// The same state running actions from `registry` (the binary's: built-in
    /// actions and skills, as configured).
    pub fn with_registry(mut self, registry: Registry) -> AppState {
        self.registry = Arc::new(registry);
        self
    }

    /// State over a connected, migrated store, with the built-in actions
    /// (see [`AppState::with_registry`]). Spawns the ingest writer, so it
    /// must run inside a Tokio runtime.
    pub fn new(store: Store, config: Config) -> AppState {
        let server = Arc::new(config.server.clone());
        let workflow_wake = Arc::new(tokio::sync::Notify::new());
        let ingest = IngestQueue::start(
            store.clone(),
            server.ingest_batch,
            Arc::clone(&workflow_wake),
        );
        let submissions = SubmitQueue::start(store.clone(), Arc::clone(&workflow_wake));
        AppState {
            store,
            config: Arc::new(config),
            server,
            ingest,
            logins: Arc::new(LoginLimiter::default()),
            openapi: Arc::new(OnceLock::new()),
            workflow_wake,
            submissions,
            tokens: Arc::new(TokenCache::default()),
            registry: Arc::new(storeops_runtime::builtin_default()),
        }
    }
}
