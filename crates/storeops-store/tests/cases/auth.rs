//! Conformance cases for users, API tokens and sessions: creation and
//! conflicts, lookups, disabling, revocation, expiry clean-up, and a stored
//! role that does not parse.

use chrono::{DateTime, TimeZone, Utc};
use storeops_domain::Role;
use storeops_store::{ApiToken, NewSession, NewToken, NewUser, Session, Store, StoreError, User};

/// 2024-06-`day` 00:00 UTC.
fn day(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, day, 0, 0, 0).unwrap()
}

async fn user(store: &Store, username: &str, role: Role) -> User {
    let new = NewUser {
        username,
        password_hash: "$argon2id$v=19$stub",
        role,
    };
    store.create_user(&new).await.unwrap()
}

pub async fn users_are_created_listed_and_disabled(store: &Store) {
    store.migrate().await.unwrap();
    assert_eq!(store.user_count().await.unwrap(), 0);
    let before = Utc::now() - chrono::Duration::seconds(1);
    let admin = user(store, "admin", Role::Admin).await;
    assert_eq!(
        (admin.username.as_str(), admin.role, admin.disabled),
        ("admin", Role::Admin, false)
    );
    assert!(admin.created_at >= before && admin.created_at <= Utc::now());
    let again = NewUser {
        username: "admin",
        password_hash: "other",
        role: Role::Viewer,
    };
    match store.create_user(&again).await {
        Err(StoreError::Conflict { what, key }) => {
            assert_eq!((what, key.as_str()), ("user", "admin"))
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    let viewer = user(store, "viewer", Role::Viewer).await;
    assert!(viewer.id > admin.id);
    assert_eq!(
        store.users().await.unwrap(),
        vec![admin.clone(), viewer.clone()]
    );
    assert_eq!(store.user_count().await.unwrap(), 2);
    assert_eq!(
        store.user_credentials("admin").await.unwrap(),
        Some((admin.clone(), "$argon2id$v=19$stub".to_string()))
    );
    assert_eq!(store.user_credentials("Admin").await.unwrap(), None);
    assert!(store.set_user_disabled("viewer", true).await.unwrap());
    assert!(store.set_user_disabled("viewer", true).await.unwrap());
    assert!(!store.set_user_disabled("ghost", true).await.unwrap());
    let users = store.users().await.unwrap();
    assert_eq!((users[0].disabled, users[1].disabled), (false, true));
    assert!(store.set_user_disabled("viewer", false).await.unwrap());
    assert!(!store.users().await.unwrap()[1].disabled);
}

pub async fn tokens_are_created_found_and_revoked(store: &Store) {
    store.migrate().await.unwrap();
    let owner = user(store, "ops", Role::Operator).await;
    let new = NewToken {
        name: "ci",
        role: Role::Operator,
        token_hash: "hash-1",
        user_id: Some(owner.id),
        expires_at: Some(day(30)),
    };
    let ci = store.create_token(&new).await.unwrap();
    assert_eq!(
        ci,
        ApiToken {
            id: ci.id,
            name: "ci".into(),
            role: Role::Operator,
            user_id: Some(owner.id),
            created_at: ci.created_at,
            expires_at: Some(day(30)),
            revoked_at: None,
            last_used_at: None,
        }
    );
    let dup = NewToken {
        name: "ci-2",
        ..new.clone()
    };
    match store.create_token(&dup).await {
        Err(StoreError::Conflict { what, key }) => {
            assert_eq!((what, key.as_str()), ("token", "ci-2"))
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    let orphan = NewToken {
        token_hash: "hash-2",
        user_id: Some(owner.id + 100),
        ..new.clone()
    };
    match store.create_token(&orphan).await {
        Err(StoreError::InvalidQuery { field, .. }) => assert_eq!(field, "user_id"),
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
    let sync = NewToken {
        name: "sync",
        role: Role::Viewer,
        token_hash: "hash-3",
        user_id: None,
        expires_at: None,
    };
    let sync = store.create_token(&sync).await.unwrap();
    assert_eq!(
        store.token_by_hash("hash-1").await.unwrap(),
        Some(ci.clone())
    );
    assert_eq!(store.token_by_hash("hash-2").await.unwrap(), None);
    assert!(store.revoke_token(ci.id, day(2)).await.unwrap());
    assert!(!store.revoke_token(ci.id, day(3)).await.unwrap());
    assert!(!store.revoke_token(sync.id + 100, day(3)).await.unwrap());
    assert!(store.touch_token(sync.id, day(4)).await.unwrap());
    assert!(!store.touch_token(sync.id + 100, day(4)).await.unwrap());
    let tokens = store.tokens().await.unwrap();
    assert_eq!(
        tokens,
        vec![
            ApiToken {
                revoked_at: Some(day(2)),
                ..ci
            },
            ApiToken {
                last_used_at: Some(day(4)),
                ..sync
            }
        ]
    );
}

pub async fn sessions_are_created_read_and_expired(store: &Store) {
    store.migrate().await.unwrap();
    let ann = user(store, "ann", Role::Reviewer).await;
    let new = NewSession {
        id_hash: "s-1",
        user_id: ann.id,
        csrf_token: "csrf-1",
        expires_at: day(10),
    };
    store.create_session(&new).await.unwrap();
    let expected = Session {
        user: ann.clone(),
        csrf_token: "csrf-1".into(),
        expires_at: day(10),
    };
    assert_eq!(store.session("s-1").await.unwrap(), Some(expected.clone()));
    match store.create_session(&new).await {
        Err(StoreError::Conflict { what, .. }) => assert_eq!(what, "session"),
        other => panic!("expected Conflict, got {other:?}"),
    }
    let orphan = NewSession {
        id_hash: "s-x",
        user_id: ann.id + 100,
        ..new.clone()
    };
    match store.create_session(&orphan).await {
        Err(StoreError::InvalidQuery { field, .. }) => assert_eq!(field, "user_id"),
        other => panic!("expected InvalidQuery, got {other:?}"),
    }
    assert_eq!(store.session("nope").await.unwrap(), None);
    // Disabled users' sessions are still returned: the caller decides.
    store.set_user_disabled("ann", true).await.unwrap();
    let disabled = store.session("s-1").await.unwrap().unwrap();
    assert!(disabled.user.disabled);
    for (id_hash, expires) in [("s-2", 5), ("s-3", 4), ("s-4", 6)] {
        let s = NewSession {
            id_hash,
            expires_at: day(expires),
            ..new.clone()
        };
        store.create_session(&s).await.unwrap();
    }
    // Expired = expires_at at or before now.
    assert_eq!(store.delete_expired_sessions(day(5)).await.unwrap(), 2);
    assert_eq!(store.session("s-2").await.unwrap(), None);
    assert_eq!(store.session("s-3").await.unwrap(), None);
    assert!(store.session("s-4").await.unwrap().is_some());
    store.delete_session("s-1").await.unwrap();
    store.delete_session("s-1").await.unwrap();
    assert_eq!(store.session("s-1").await.unwrap(), None);
    assert_eq!(store.delete_expired_sessions(day(5)).await.unwrap(), 0);
}

#[tokio::test]
async fn a_stored_role_that_does_not_parse_is_corrupt() {
    let ctx = crate::common::sqlite_store().await.unwrap();
    let store = &ctx.store;
    store.migrate().await.unwrap();
    user(store, "eve", Role::Viewer).await;
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&ctx.url)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET role = 'root' WHERE username = 'eve'")
        .execute(&mut conn)
        .await
        .unwrap();
    match store.users().await {
        Err(StoreError::Corrupt {
            table,
            key,
            message,
        }) => {
            assert_eq!((table, key.as_str()), ("users", "eve"));
            assert!(
                message.starts_with("`root` is not one of: admin"),
                "{message}"
            );
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    ctx.finish().await;
}
