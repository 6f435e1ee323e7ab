//! Authentication and authorisation: who is calling (bearer token or
//! session cookie) and whether their role may use the route.
//!
//! Every role-protected route runs [`require`] (wired by the route table).
//! A request with `Authorization: Bearer` is judged by the token alone; a
//! browser request by its session cookie, and then every unsafe method also
//! needs the session's CSRF token (header `X-CSRF-Token` or form field
//! `csrf`), compared in constant time.

mod csrf;
mod limiter;
pub mod secrets;
pub mod session;
pub mod token_cache;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use storeops_domain::Role;

pub use csrf::CSRF_FIELD;
pub use limiter::LoginLimiter;
pub use session::SESSION_COOKIE;

use crate::error::ApiError;
use crate::state::AppState;

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// An API token.
    Token,
    /// A dashboard session.
    Session {
        /// The session's CSRF token, for forms.
        csrf: String,
    },
}

/// The authenticated caller, put into request extensions by [`require`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Username or token name.
    pub name: String,
    /// Effective role.
    pub role: Role,
    /// Token or session.
    pub via: Via,
}

impl Caller {
    /// The CSRF token forms must carry (sessions only).
    pub fn csrf(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf } => Some(csrf),
            Via::Token => None,
        }
    }
}

/// Finds the caller from the request headers; `Ok(None)` without credentials.
pub async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| ApiError::unauthorized("Authorization must be `Bearer <token>`"))?;
        return token_caller(state, token).await.map(Some);
    }
    match session::cookie_value(headers) {
        Some(value) => session::caller(state, &value).await,
        None => Ok(None),
    }
}

/// Looks up a bearer token (through the token cache).
async fn token_caller(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let hash = secrets::hash_secret(token);
    let found = match state.tokens.get(&hash) {
        Some(t) => Some(t),
        None => {
            let found = state.store.token_by_hash(&hash).await?;
            if let Some(t) = &found {
                state.tokens.put(&hash, t);
            }
            found
        }
    };
    let now = Utc::now();
    match found {
        Some(t) if t.revoked_at.is_some() => Err(ApiError::unauthorized("token revoked")),
        Some(t) if t.expires_at.is_some_and(|at| at <= now) => {
            Err(ApiError::unauthorized("token expired"))
        }
        Some(t) => {
            touch_later(state, t.id, t.last_used_at, now);
            Ok(Caller {
                name: t.name,
                role: t.role,
                via: Via::Token,
            })
        }
        None => Err(ApiError::unauthorized("unknown token")),
    }
}

/// How stale `last_used_at` may get before a use refreshes it: keeps token
/// use visible in `token list` without a database write per request.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(5);

/// Records the token's use in the background when the stored time is stale
/// and this process has not just done so.
fn touch_later(state: &AppState, id: i64, last_used: Option<DateTime<Utc>>, now: DateTime<Utc>) {
    if last_used.is_some_and(|at| now - at < TOUCH_EVERY) {
        return;
    }
    let every = TOUCH_EVERY.to_std().unwrap_or_default();
    if !state.tokens.claim_touch(id, every) {
        return;
    }
    let store = state.store.clone();
    tokio::spawn(async move {
        if let Err(e) = store.touch_token(id, now).await {
            tracing::warn!(error = %e, token = id, "recording token use failed");
        }
    });
}

/// Middleware: the caller must be authenticated with at least `role`.
pub async fn require(
    State((state, role)): State<(AppState, Role)>,
    request: Request,
    next: Next,
) -> Response {
    let caller = match identify(&state, request.headers()).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return unauthenticated(&request),
        Err(e) => return e.into_response(),
    };
    if !caller.role.allows(role) {
        let refused = ApiError::forbidden(format!(
            "role {} may not do this; {} or higher is needed",
            caller.role, role
        ));
        // A dashboard page answers with a page, the API with JSON.
        if wants_html(&request) {
            return crate::dashboard::render::error_page(Some(&caller), refused);
        }
        return refused.into_response();
    }
    let mut request = request;
    if is_unsafe(request.method()) {
        if let Some(expected) = caller.csrf() {
            request = match csrf::check(request, expected, state.server.max_body_bytes).await {
                Ok(r) => r,
                Err(e) => return e.into_response(),
            };
        }
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// Methods that change state.
fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// 401: JSON for API clients; for a browser asking for a page, a small HTML
/// page that sends it to the login form.
/// Whether a browser asks for a dashboard page (HTML, not under `/api/`).
fn wants_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
        && !request.uri().path().starts_with("/api/")
}

fn unauthenticated(request: &Request) -> Response {
    if wants_html(request) {
        let body = "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=/login\">\
                    <title>Log in</title><p>Please <a href=\"/login\">log in</a>.</p>";
        return (StatusCode::UNAUTHORIZED, Html(body)).into_response();
    }
    ApiError::unauthorized("a bearer token or a session is required").into_response()
}
