//! Test support: a real storeops server on a loopback port over a fresh
//! SQLite file or PostgreSQL schema, users and tokens of every role, and
//! the `both_backends!` macro that runs a test on each backend.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use storeops_app::config::{Config, RawConfig};
use storeops_domain::{Record, Role};
use storeops_server::auth::secrets::{hash_password, new_token};
use storeops_server::{serve, AppState};
use storeops_store::{ConnectOptions, NewToken, NewUser, Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Shopify secret the test servers use.
pub const SHOPIFY_SECRET: &str = "shpss_test_secret";
/// WooCommerce secret the test servers use.
pub const WOO_SECRET: &str = "wc_test_secret";
/// Generic source and secret.
pub const GENERIC_SOURCE: &str = "erp";
pub const GENERIC_SECRET: &str = "erp_test_secret";
/// Password of the users [`TestServer::login_user`] creates.
pub const PASSWORD: &str = "correct horse battery staple";

/// Which database a test server uses.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A running server.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its state (store, config).
    pub state: AppState,
    /// HTTP client without redirects following, with a cookie-less default.
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
    schema: Option<(String, String)>,
}

/// Configuration with test secrets plus `extra` environment settings.
pub fn config(url: &str, extra: &[(&str, &str)]) -> Config {
    let mut env: Vec<(String, String)> = vec![
        ("STOREOPS_DATABASE_URL".into(), url.into()),
        (
            "STOREOPS_SHOPIFY_WEBHOOK_SECRET".into(),
            SHOPIFY_SECRET.into(),
        ),
        (
            "STOREOPS_WOOCOMMERCE_WEBHOOK_SECRET".into(),
            WOO_SECRET.into(),
        ),
        (
            "STOREOPS_GENERIC_WEBHOOK_SECRETS".into(),
            format!("{GENERIC_SOURCE}:{GENERIC_SECRET}"),
        ),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    RawConfig::load(None, env).resolve().unwrap()
}

/// The PostgreSQL URL tests use.
fn pg_url() -> String {
    std::env::var("STOREOPS_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

fn unique(prefix: &str) -> String {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos,
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestServer {
    /// A server on SQLite with default settings.
    pub async fn start() -> TestServer {
        TestServer::start_with(Db::Sqlite, &[]).await.unwrap()
    }

    /// A server on `db` with extra settings; `None` when PostgreSQL is
    /// unreachable and not required (`STOREOPS_REQUIRE_POSTGRES=1`).
    pub async fn start_with(db: Db, extra: &[(&str, &str)]) -> Option<TestServer> {
        let dir = tempfile::tempdir().unwrap();
        let (store, url, schema) = match db {
            Db::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("server.db").display());
                (Store::connect(&url).await.unwrap(), url, None)
            }
            Db::Postgres => {
                let url = pg_url();
                let schema = unique("storeops_srv");
                let opts = ConnectOptions {
                    pg_schema: Some(schema.clone()),
                    max_connections: 8,
                    ..ConnectOptions::default()
                };
                match Store::connect_with(&url, &opts).await {
                    Ok(store) => (store, url.clone(), Some((url, schema))),
                    Err(e) => {
                        if std::env::var("STOREOPS_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                            panic!("PostgreSQL unreachable: {e}");
                        }
                        println!("skipping: PostgreSQL unreachable: {e}");
                        return None;
                    }
                }
            }
        };
        store.migrate().await.unwrap();
        let state = AppState::new(store, config(&url, extra));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, state.clone(), async {
            let _ = rx.await;
        }));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Some(TestServer {
            base,
            state,
            http,
            shutdown: Some(tx),
            task: Some(task),
            _dir: dir,
            schema,
        })
    }

    /// Full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A new API token with `role`.
    pub async fn token(&self, role: Role) -> String {
        let (token, hash) = new_token().unwrap();
        self.state
            .store
            .create_token(&NewToken {
                name: &format!("test {role}"),
                role,
                token_hash: &hash,
                user_id: None,
                expires_at: None,
            })
            .await
            .unwrap();
        token
    }

    /// A dashboard user `name` with [`PASSWORD`].
    pub async fn user(&self, name: &str, role: Role) {
        let hash = hash_password(PASSWORD).unwrap();
        self.state
            .store
            .create_user(&NewUser {
                username: name,
                password_hash: &hash,
                role,
            })
            .await
            .unwrap();
    }

    /// Stores records directly.
    pub async fn seed(&self, records: &[Record]) {
        self.state.store.upsert(records).await.unwrap();
    }

    /// Stops the server (graceful) and removes its database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        self.state.store.close().await;
        if let Some((url, schema)) = self.schema.take() {
            Store::drop_pg_schema(&url, &schema).await.unwrap();
        }
    }
}

/// Runs `async fn name(db: Db)` once per backend as `name_sqlite` / `name_postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Db::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Db::Postgres).await;
                }
            )+
        }
    };
}
