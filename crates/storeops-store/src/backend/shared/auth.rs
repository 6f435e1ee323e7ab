//! Users, API tokens and sessions (tables of migration 0002). Writes go
//! through the writer pool, reads through the reader pool. Roles are stored
//! as their label; a label that does not parse is a corrupt row.

use chrono::{DateTime, SubsecRound, Utc};
use storeops_domain::Role;

use super::{Db, Engine};
use crate::auth::{ApiToken, NewSession, NewToken, NewUser, Session, User};
use crate::error::StoreError;

/// `id, username, role, disabled, created_at` of `users`.
type UserRow = (i64, String, String, bool, DateTime<Utc>);

/// Columns of [`TokenRow`].
const TOKEN_COLUMNS: &str =
    "SELECT id, name, role, user_id, created_at, expires_at, revoked_at, last_used_at \
     FROM api_tokens";

/// `TOKEN_COLUMNS` of `api_tokens`.
type TokenRow = (
    i64,
    String,
    String,
    Option<i64>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// Now, in whole microseconds (what PostgreSQL keeps), so a returned value
/// equals what is read back later.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A stored role label.
fn role(table: &'static str, key: &str, label: &str) -> Result<Role, StoreError> {
    Role::parse(label).map_err(|e| StoreError::Corrupt {
        table,
        key: key.to_string(),
        message: e.to_string(),
    })
}

/// A `users` row.
fn user((id, username, label, disabled, created_at): UserRow) -> Result<User, StoreError> {
    Ok(User {
        id,
        role: role("users", &username, &label)?,
        username,
        disabled,
        created_at,
    })
}

/// An `api_tokens` row.
fn token(row: TokenRow) -> Result<ApiToken, StoreError> {
    let (id, name, label, user_id, created_at, expires_at, revoked_at, last_used_at) = row;
    Ok(ApiToken {
        id,
        role: role("api_tokens", &id.to_string(), &label)?,
        name,
        user_id,
        created_at,
        expires_at,
        revoked_at,
        last_used_at,
    })
}

/// Maps a foreign-key violation (a `user_id` naming no user) to
/// `InvalidQuery { field: "user_id" }`.
fn no_such_user(error: sqlx::Error) -> StoreError {
    match error.as_database_error() {
        Some(e) if e.is_foreign_key_violation() => {
            StoreError::invalid("user_id", "no user has this id")
        }
        _ => StoreError::Database(error),
    }
}

impl Engine {
    /// Creates a user; `Conflict` when the username is taken.
    pub(crate) async fn create_user(&self, new: &NewUser<'_>) -> Result<User, StoreError> {
        let created_at = now();
        let id: Option<i64> = sqlx::query_scalar::<Db, i64>(
            "INSERT INTO users (username, password_hash, role, disabled, created_at) \
             VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (username) DO NOTHING RETURNING id",
        )
        .bind(new.username)
        .bind(new.password_hash)
        .bind(new.role.as_str())
        .bind(created_at)
        .fetch_optional(&self.writer)
        .await?;
        let id = id.ok_or_else(|| StoreError::Conflict {
            what: "user",
            key: new.username.to_string(),
        })?;
        Ok(User {
            id,
            username: new.username.to_string(),
            role: new.role,
            disabled: false,
            created_at,
        })
    }

    /// Every user, by id.
    pub(crate) async fn users(&self) -> Result<Vec<User>, StoreError> {
        sqlx::query_as::<Db, UserRow>(
            "SELECT id, username, role, disabled, created_at FROM users ORDER BY id",
        )
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(user)
        .collect()
    }

    /// Number of users.
    pub(crate) async fn user_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar::<Db, i64>("SELECT COUNT(*) FROM users")
            .fetch_one(&self.reader)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The user with this username and their password hash.
    pub(crate) async fn user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
        let row: Option<(i64, String, String, bool, DateTime<Utc>, String)> = sqlx::query_as(
            "SELECT id, username, role, disabled, created_at, password_hash FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|(id, name, label, disabled, created_at, hash)| {
            Ok((user((id, name, label, disabled, created_at))?, hash))
        })
        .transpose()
    }

    /// Sets the disabled flag; false when there is no such user.
    pub(crate) async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query::<Db>("UPDATE users SET disabled = $1 WHERE username = $2")
            .bind(disabled)
            .bind(username)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Creates an API token; `Conflict` (keyed by name) when the hash is
    /// stored already, `InvalidQuery { field: "user_id" }` for a missing user.
    pub(crate) async fn create_token(&self, new: &NewToken<'_>) -> Result<ApiToken, StoreError> {
        let created_at = now();
        let id: Option<i64> = sqlx::query_scalar::<Db, i64>(
            "INSERT INTO api_tokens (name, role, token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (token_hash) DO NOTHING RETURNING id",
        )
        .bind(new.name)
        .bind(new.role.as_str())
        .bind(new.token_hash)
        .bind(new.user_id)
        .bind(created_at)
        .bind(new.expires_at)
        .fetch_optional(&self.writer)
        .await
        .map_err(no_such_user)?;
        let id = id.ok_or_else(|| StoreError::Conflict {
            what: "token",
            key: new.name.to_string(),
        })?;
        Ok(ApiToken {
            id,
            name: new.name.to_string(),
            role: new.role,
            user_id: new.user_id,
            created_at,
            expires_at: new.expires_at,
            revoked_at: None,
            last_used_at: None,
        })
    }

    /// Every API token, by id.
    pub(crate) async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let mut sql = sqlx::QueryBuilder::<Db>::new(TOKEN_COLUMNS);
        sql.push(" ORDER BY id");
        sql.build_query_as::<TokenRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(token)
            .collect()
    }

    /// The token with this hash, whatever its expiry or revocation.
    pub(crate) async fn token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApiToken>, StoreError> {
        let mut sql = sqlx::QueryBuilder::<Db>::new(TOKEN_COLUMNS);
        sql.push(" WHERE token_hash = ").push_bind(token_hash);
        sql.build_query_as::<TokenRow>()
            .fetch_optional(&self.reader)
            .await?
            .map(token)
            .transpose()
    }

    /// Revokes a token; false when there is no such token or it was revoked.
    pub(crate) async fn revoke_token(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query::<Db>(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a use of a token; false when there is no such token.
    pub(crate) async fn touch_token(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = sqlx::query::<Db>("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Stores a session; `Conflict` when the id hash exists,
    /// `InvalidQuery { field: "user_id" }` for a missing user.
    pub(crate) async fn create_session(&self, new: &NewSession<'_>) -> Result<(), StoreError> {
        let done = sqlx::query::<Db>(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id_hash) DO NOTHING",
        )
        .bind(new.id_hash)
        .bind(new.user_id)
        .bind(new.csrf_token)
        .bind(now())
        .bind(new.expires_at)
        .execute(&self.writer)
        .await
        .map_err(no_such_user)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                what: "session",
                key: format!("of user {}", new.user_id),
            });
        }
        Ok(())
    }

    /// The session with this id hash and its user, expired or not.
    pub(crate) async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        type Joined = (
            i64,
            String,
            String,
            bool,
            DateTime<Utc>,
            String,
            DateTime<Utc>,
        );
        let row: Option<Joined> = sqlx::query_as::<Db, Joined>(
            "SELECT u.id, u.username, u.role, u.disabled, u.created_at, s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.reader)
        .await?;
        row.map(
            |(id, name, label, disabled, created_at, csrf_token, expires_at)| {
                Ok(Session {
                    user: user((id, name, label, disabled, created_at))?,
                    csrf_token,
                    expires_at,
                })
            },
        )
        .transpose()
    }

    /// Deletes a session (nothing when absent).
    pub(crate) async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query::<Db>("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Deletes sessions that expired at or before `now`; how many.
    pub(crate) async fn delete_expired_sessions(
        &self,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query::<Db>("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }
}
