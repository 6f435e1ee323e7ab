//! The action registry: what `uses:` names at run time. An action declares
//! its name, whether its effect is written by the store inside the step's
//! commit ([`Action::transactional`]), and executes with a context carrying
//! the step's idempotency key. Whether an action has side effects (and so is
//! only recorded in shadow mode) comes from the plan, which took it from the
//! validation catalog.

mod core;
mod email;
mod http;
mod http_client;
mod query;
mod store;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use storeops_engine::StepError;
use storeops_store::{Store, StoreEffect};

pub use email::{SmtpSettings, SmtpTls};
pub use http_client::{HttpClientError, HttpSettings};

/// The future an action returns.
pub type ActionFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ActionOutput, StepError>> + Send + 'a>>;

/// One executable action.
pub trait Action: Send + Sync {
    /// Its `uses:` name.
    fn name(&self) -> &str;

    /// Whether the effect is a store write committed together with the step's
    /// result (exactly once), rather than a call to the outside world.
    fn transactional(&self) -> bool {
        false
    }

    /// Runs one attempt with the resolved `with:` input.
    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a>;
}

/// What an attempt knows about where it runs.
#[derive(Debug, Clone)]
pub struct ActionCtx {
    /// Run id.
    pub run_id: String,
    /// Workflow name.
    pub workflow: String,
    /// Step id.
    pub step: String,
    /// Attempt, from 1.
    pub attempt: u32,
    /// Stable across attempts and restarts; passed on to targets.
    pub idempotency_key: String,
    /// The registry's HTTP client (rustls; Mozilla roots plus `http.ca_file`).
    pub http: reqwest::Client,
    /// The store (`store.query` reads it, `store.update` checks records).
    pub store: Store,
    /// The worker's clock when the attempt started (demand windows).
    pub now: DateTime<Utc>,
}

/// A successful attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionOutput {
    /// The step's output.
    pub output: Value,
    /// Store writes committed with the result.
    pub effects: Vec<StoreEffect>,
}

impl ActionOutput {
    /// An output without store writes.
    pub fn value(output: Value) -> ActionOutput {
        ActionOutput {
            output,
            effects: Vec::new(),
        }
    }
}

/// A non-retryable failure of kind `kind`.
pub fn fatal(kind: &str, message: impl Into<String>) -> StepError {
    StepError {
        kind: kind.to_string(),
        message: message.into(),
        retryable: false,
    }
}

/// A retryable failure of kind `kind`.
pub fn transient(kind: &str, message: impl Into<String>) -> StepError {
    StepError {
        kind: kind.to_string(),
        message: message.into(),
        retryable: true,
    }
}

/// A store error as a step failure of kind `db`: retryable while the
/// database is unreachable, not otherwise.
pub(crate) fn db_error(error: &storeops_store::StoreError) -> StepError {
    if error.is_unavailable() {
        transient("db", error.to_string())
    } else {
        fatal("db", error.to_string())
    }
}

/// Reads string input `name` (required).
pub(crate) fn str_input<'a>(input: &'a Value, name: &str) -> Result<&'a str, StepError> {
    input
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| fatal("invalid_input", format!("`{name}` must be a string")))
}

/// Actions by name, and the HTTP client `http.request` and
/// `notify.webhook` share (built once, here, not per request).
#[derive(Clone)]
pub struct Registry {
    actions: HashMap<String, Arc<dyn Action>>,
    http: reqwest::Client,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.actions.keys().collect();
        names.sort();
        f.debug_struct("Registry").field("actions", &names).finish()
    }
}

impl Registry {
    /// The built-in actions: `core.set`, `core.log`, `http.request`,
    /// `notify.webhook`, `notify.email` (without an SMTP server: its steps
    /// fail with `smtp_not_configured`; see [`Registry::with_email`]),
    /// `store.update`, `store.query`. HTTPS trusts the Mozilla roots only;
    /// see [`Registry::on`].
    pub fn builtin() -> Registry {
        Registry::on(reqwest::Client::new())
    }

    /// The built-in actions calling out through `http` (for instance
    /// [`HttpSettings::client`]: extra CA certificates for `https://`
    /// targets behind a private CA). The one client the registry builds.
    pub fn on(http: reqwest::Client) -> Registry {
        let mut registry = Registry {
            actions: HashMap::new(),
            http,
        };
        registry.register(Arc::new(core::Set));
        registry.register(Arc::new(core::Log));
        registry.register(Arc::new(http::Request));
        registry.register(Arc::new(http::Webhook));
        registry.register(Arc::new(email::Email::new(None)));
        registry.register(Arc::new(store::Update));
        registry.register(Arc::new(query::Query));
        registry
    }

    /// The same registry with `notify.email` sending through `smtp`.
    pub fn with_email(mut self, smtp: SmtpSettings) -> Registry {
        self.register(Arc::new(email::Email::new(Some(smtp))));
        self
    }

    /// The client of `http.request` and `notify.webhook` (workers hand it to
    /// every attempt in [`ActionCtx::http`]).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Adds (or replaces) an action.
    pub fn register(&mut self, action: Arc<dyn Action>) {
        self.actions.insert(action.name().to_string(), action);
    }

    /// The action called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Action>> {
        self.actions.get(name)
    }
}
