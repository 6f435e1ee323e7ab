//! `storeops user …` and `storeops token …`: people and API tokens.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{Duration, Utc};
use storeops_app::config::Config;
use storeops_app::AppError;
use storeops_domain::Role;
use storeops_server::auth::secrets::{hash_password, new_token, random_password};
use storeops_store::{NewToken, NewUser};

use crate::cli::{TokenAction, UserAction};

/// Runs a user command.
pub async fn user(config: &Config, action: UserAction) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config).await?;
    let code = match action {
        UserAction::Add {
            username,
            role,
            password_stdin,
            json,
        } => {
            let role = parse_role(&role)?;
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("reading the password from stdin")?;
                let line = line.trim_end_matches(['\r', '\n']).to_string();
                if line.chars().count() < 12 {
                    return Err(AppError::Usage(
                        "the password must have at least 12 characters".into(),
                    )
                    .into());
                }
                (line, false)
            } else {
                (random_password()?, true)
            };
            let hash = tokio::task::spawn_blocking(move || {
                hash_password(&password).map(|h| (h, password))
            })
            .await
            .context("hashing task")??;
            let user = store
                .create_user(&NewUser {
                    username: username.trim(),
                    password_hash: &hash.0,
                    role,
                })
                .await
                .map_err(AppError::from)?;
            let shown = generated.then_some(hash.1);
            if json {
                println!("{}", serde_json::json!({ "user": user, "password": shown }));
            } else {
                println!("created user `{}` with role {}", user.username, user.role);
                if let Some(p) = shown {
                    println!("password (shown once): {p}");
                }
            }
            ExitCode::SUCCESS
        }
        UserAction::List(crate::cli::JsonFlag { json }) => {
            let users = store.users().await.map_err(AppError::from)?;
            if json {
                println!("{}", serde_json::to_string(&users)?);
            } else {
                println!(
                    "{:<6} {:<24} {:<9} {:<9} created",
                    "id", "username", "role", "state"
                );
                for u in &users {
                    let state = if u.disabled { "disabled" } else { "active" };
                    println!(
                        "{:<6} {:<24} {:<9} {:<9} {}",
                        u.id,
                        u.username,
                        u.role,
                        state,
                        u.created_at.format("%Y-%m-%d %H:%M")
                    );
                }
            }
            ExitCode::SUCCESS
        }
        UserAction::Disable { username } => set_disabled(&store, &username, true).await?,
        UserAction::Enable { username } => set_disabled(&store, &username, false).await?,
    };
    store.close().await;
    Ok(code)
}

async fn set_disabled(
    store: &storeops_store::Store,
    username: &str,
    disabled: bool,
) -> anyhow::Result<ExitCode> {
    let found = store
        .set_user_disabled(username, disabled)
        .await
        .map_err(AppError::from)?;
    if !found {
        return Err(AppError::Usage(format!("no user `{username}`")).into());
    }
    println!(
        "user `{username}` {}",
        if disabled {
            "disabled (sessions end at their next request)"
        } else {
            "enabled"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs a token command.
pub async fn token(config: &Config, action: TokenAction) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config).await?;
    match action {
        TokenAction::Create {
            role,
            name,
            expires_in_days,
            json,
        } => {
            let role = parse_role(&role)?;
            if expires_in_days == Some(0) {
                return Err(AppError::Usage("--expires-in-days must be at least 1".into()).into());
            }
            let (token, hash) = new_token()?;
            let expires_at = expires_in_days.map(|d| Utc::now() + Duration::days(i64::from(d)));
            let name = name.unwrap_or_else(|| format!("{role} token"));
            let created = store
                .create_token(&NewToken {
                    name: &name,
                    role,
                    token_hash: &hash,
                    user_id: None,
                    expires_at,
                })
                .await
                .map_err(AppError::from)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "token": token, "id": created.id, "name": created.name,
                        "role": created.role, "expires_at": created.expires_at })
                );
            } else {
                println!(
                    "token {} ({}, role {}), shown once:",
                    created.id, created.name, created.role
                );
                println!("{token}");
            }
        }
        TokenAction::List(crate::cli::JsonFlag { json }) => {
            let tokens = store.tokens().await.map_err(AppError::from)?;
            if json {
                println!("{}", serde_json::to_string(&tokens)?);
            } else {
                println!(
                    "{:<6} {:<24} {:<9} {:<8} expires",
                    "id", "name", "role", "state"
                );
                let now = Utc::now();
                for t in &tokens {
                    let state = match (t.revoked_at, t.expires_at) {
                        (Some(_), _) => "revoked",
                        (None, Some(at)) if at <= now => "expired",
                        _ => "active",
                    };
                    let expires = t.expires_at.map_or_else(
                        || "never".to_string(),
                        |at| at.format("%Y-%m-%d").to_string(),
                    );
                    println!(
                        "{:<6} {:<24} {:<9} {:<8} {}",
                        t.id, t.name, t.role, state, expires
                    );
                }
            }
        }
        TokenAction::Revoke { id } => {
            let revoked = store
                .revoke_token(id, Utc::now())
                .await
                .map_err(AppError::from)?;
            if !revoked {
                return Err(AppError::Usage(format!("no active token with id {id}")).into());
            }
            println!("token {id} revoked");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn parse_role(text: &str) -> Result<Role, AppError> {
    Role::parse(text).map_err(|e| AppError::Usage(format!("--role: {e}")))
}
