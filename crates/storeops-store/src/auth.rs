//! Users, API tokens and sessions as the store keeps them. The store only
//! keeps hashes (of passwords, tokens and session ids) that callers compute;
//! checking expiry, revocation and disabled users is the caller's job.

use chrono::{DateTime, Utc};
use serde::Serialize;
use storeops_domain::Role;

/// A user to create. Usernames are unique, compared exactly.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Password hash (e.g. argon2 PHC string) computed by the caller.
    pub password_hash: &'a str,
    /// What the user may do.
    pub role: Role,
}

/// A stored user (without the password hash).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct User {
    /// Store-assigned id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// What the user may do.
    pub role: Role,
    /// A disabled user may not log in or use sessions.
    pub disabled: bool,
    /// When the user was created (whole microseconds).
    pub created_at: DateTime<Utc>,
}

/// An API token to create.
#[derive(Clone, Debug)]
pub struct NewToken<'a> {
    /// Label for people (`ci`, `shopify sync`).
    pub name: &'a str,
    /// What the token may do.
    pub role: Role,
    /// Hash of the secret token, computed by the caller; unique.
    pub token_hash: &'a str,
    /// The user it was created for, if any.
    pub user_id: Option<i64>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A stored API token (without its hash).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApiToken {
    /// Store-assigned id.
    pub id: i64,
    /// Label for people.
    pub name: String,
    /// What the token may do.
    pub role: Role,
    /// The user it was created for, if any.
    pub user_id: Option<i64>,
    /// When it was created (whole microseconds).
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Last use recorded with `Store::touch_token`.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A login session to create.
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    /// Hash of the session id in the cookie; unique.
    pub id_hash: &'a str,
    /// Who logged in.
    pub user_id: i64,
    /// The session's CSRF token.
    pub csrf_token: &'a str,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A stored session with its user.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// Who logged in (possibly disabled since).
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When it stops working (possibly past).
    pub expires_at: DateTime<Utc>,
}
