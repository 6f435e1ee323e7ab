//! Running the server: the first admin on a new database, and serving with
//! graceful shutdown (in-flight requests finish, queued events are written).

use std::future::Future;
use std::net::SocketAddr;

use storeops_domain::Role;
use storeops_store::{NewToken, NewUser, Store, StoreError};
use tokio::net::TcpListener;

use crate::auth::secrets::{hash_password, new_token, random_password, SecretError};
use crate::routes::app;
use crate::state::AppState;

/// Username of the admin created on a new database.
pub const FIRST_ADMIN: &str = "admin";

/// Credentials of the first admin, shown once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BootstrapAdmin {
    /// Username.
    pub username: String,
    /// Password for the dashboard login.
    pub password: String,
    /// API token with the admin role.
    pub token: String,
}

/// Errors of creating the first admin.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Randomness or hashing failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// On a database without users, creates `admin` with a random password and
/// an admin API token and returns them (to be printed once); `None` when
/// users exist.
pub async fn bootstrap_admin(store: &Store) -> Result<Option<BootstrapAdmin>, BootstrapError> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let password = random_password()?;
    let hash = tokio::task::spawn_blocking({
        let password = password.clone();
        move || hash_password(&password)
    })
    .await
    .map_err(|e| SecretError::Hash(e.to_string()))??;
    let user = store
        .create_user(&NewUser {
            username: FIRST_ADMIN,
            password_hash: &hash,
            role: Role::Admin,
        })
        .await?;
    let (token, token_hash) = new_token()?;
    store
        .create_token(&NewToken {
            name: "first admin",
            role: Role::Admin,
            token_hash: &token_hash,
            user_id: Some(user.id),
            expires_at: None,
        })
        .await?;
    tracing::info!("created the first admin user `{FIRST_ADMIN}`");
    Ok(Some(BootstrapAdmin {
        username: FIRST_ADMIN.to_string(),
        password,
        token,
    }))
}

/// Serves `state` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
