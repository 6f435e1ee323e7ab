//! Dashboard sessions: password login, the session cookie and logout.
//!
//! The cookie holds 256 random bits; the database keeps only their SHA-256,
//! the user, the expiry and the session's CSRF token. Cookies are
//! `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` when the server is
//! behind TLS (`server.secure_cookies`).

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Instant;

use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use cookie::{Cookie, SameSite};
use storeops_app::server_config::SecureCookies;
use storeops_store::NewSession;

use super::secrets::{hash_password, hash_secret, random_secret, verify_password};
use super::{Caller, Via};
use crate::error::ApiError;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "storeops_session";

/// The caller behind a session cookie, if the session is live.
pub async fn caller(state: &AppState, cookie: &str) -> Result<Option<Caller>, ApiError> {
    let Some(session) = state.store.session(&hash_secret(cookie)).await? else {
        return Ok(None);
    };
    if session.expires_at <= Utc::now() || session.user.disabled {
        return Ok(None);
    }
    Ok(Some(Caller {
        name: session.user.username,
        role: session.user.role,
        via: Via::Session {
            csrf: session.csrf_token,
        },
    }))
}

/// Checks a username and password and opens a session; returns its
/// Set-Cookie. Wrong credentials and disabled users get the same 401; too
/// many failures a 429.
pub async fn login(
    state: &AppState,
    headers: &HeaderMap,
    username: &str,
    password: &str,
    ip: IpAddr,
) -> Result<Cookie<'static>, ApiError> {
    let now = Instant::now();
    if let Some(wait) = state.logins.locked(username, ip, now) {
        let mut e = ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many failed logins; try again in {wait} s"),
        );
        e.retry_after = Some(wait);
        return Err(e);
    }
    let found = state.store.user_credentials(username).await?;
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), hash),
        // Verify against a fixed hash anyway, so unknown names take as long.
        None => (None, dummy_hash().to_string()),
    };
    let attempt = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&attempt, &stored))
        .await
        .map_err(|e| ApiError::internal("password check", &e))?;
    let user = match user {
        Some(user) if matches && !user.disabled => user,
        _ => {
            state.logins.failed(username, ip, now);
            tracing::info!(%ip, "failed login");
            return Err(ApiError::unauthorized("wrong username or password"));
        }
    };
    state.logins.succeeded(username, ip);
    // Expired sessions are pruned here: logins are rare and already slow.
    if let Err(e) = state.store.delete_expired_sessions(Utc::now()).await {
        tracing::warn!(error = %e, "pruning expired sessions failed");
    }
    let id = random_secret().map_err(|e| ApiError::internal("session id", &e))?;
    let csrf = random_secret().map_err(|e| ApiError::internal("csrf token", &e))?;
    let hours = i64::from(state.server.session_hours);
    state
        .store
        .create_session(&NewSession {
            id_hash: &hash_secret(&id),
            user_id: user.id,
            csrf_token: &csrf,
            expires_at: Utc::now() + Duration::hours(hours),
        })
        .await?;
    Ok(session_cookie(
        id,
        hours,
        secure(state.server.secure_cookies, headers),
    ))
}

/// The value of the session cookie in `headers`, if any.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of cookie `name` in `headers`, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// Ends the session of this cookie value (if any).
pub async fn logout(state: &AppState, cookie: &str) -> Result<(), ApiError> {
    state.store.delete_session(&hash_secret(cookie)).await?;
    Ok(())
}

/// A cookie that removes the session cookie.
pub fn cleared_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .build();
    cookie.make_removal();
    cookie
}

fn session_cookie(id: String, hours: i64, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, id))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time_hours(hours))
        .build()
}

fn time_hours(hours: i64) -> cookie::time::Duration {
    cookie::time::Duration::hours(hours)
}

/// Whether cookies get `Secure`.
pub fn secure(setting: SecureCookies, headers: &HeaderMap) -> bool {
    match setting {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https")),
    }
}

/// A valid argon2id hash of a random password, computed once.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        random_secret()
            .ok()
            .and_then(|p| hash_password(&p).ok())
            .unwrap_or_default()
    })
}
