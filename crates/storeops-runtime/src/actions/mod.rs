//! The built-in actions — `core.set`, `core.log`, `http.request`,
//! `notify.webhook`, `notify.email`, `store.update`, `store.query` — each
//! one value of spec and executor ([`storeops_actions::Action`]), registered
//! by [`builtin`]. Skills add theirs to the same [`Registry`].

mod core;
mod email;
mod http;
mod http_client;
mod query;
mod store;

use std::sync::Arc;

pub use email::{SmtpSettings, SmtpTls};
pub use http_client::{HttpClientError, HttpSettings};
pub use storeops_actions::{
    db_error, fatal, str_input, transient, Action, ActionCtx, ActionFuture, ActionOutput, Registry,
};

/// Error kinds of the actions calling out over HTTP.
const NET_ERRORS: &[&str] = &["timeout", "network", "http_4xx", "http_5xx", "tls"];

/// A registry of the built-in actions calling out through `http` (for
/// instance [`HttpSettings::client`]: extra CA certificates for `https://`
/// targets behind a private CA), with `notify.email` sending through `smtp`
/// (without one its steps fail with `smtp_not_configured`).
pub fn builtin(http: reqwest::Client, smtp: Option<SmtpSettings>) -> Registry {
    let mut registry = Registry::new(http);
    registry.register(Arc::new(core::Set::new()));
    registry.register(Arc::new(core::Log::new()));
    registry.register(Arc::new(http::Request::new()));
    registry.register(Arc::new(http::Webhook::new()));
    registry.register(Arc::new(email::Email::new(smtp)));
    registry.register(Arc::new(store::Update::new()));
    registry.register(Arc::new(query::Query::new()));
    registry
}

/// [`builtin`] with a default HTTP client and no SMTP server (tests, benches).
pub fn builtin_default() -> Registry {
    builtin(reqwest::Client::new(), None)
}
