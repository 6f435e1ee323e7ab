//! Test support: a real storeops server on a loopback port over a fresh
//! SQLite file or PostgreSQL schema (`storeops-testkit`), users and tokens
//! of every role, and the `both_backends!` macro that runs a test on each
//! backend.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use storeops_app::config::{Config, RawConfig};
use storeops_domain::{Record, Role};
use storeops_server::auth::secrets::{hash_password, new_token};
use storeops_server::{serve, AppState};
use storeops_store::{NewToken, NewUser};
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
pub use storeops_testkit::Db;

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
    /// The test's database (its file or schema goes with it).
    db: Option<storeops_testkit::TestStore>,
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

impl TestServer {
    /// A server on SQLite with default settings.
    pub async fn start() -> TestServer {
        TestServer::start_with(Db::Sqlite, &[]).await.unwrap()
    }

    /// A server on `db` with extra settings; `None` when PostgreSQL is
    /// unreachable and not required (`STOREOPS_REQUIRE_POSTGRES=1`).
    pub async fn start_with(db: Db, extra: &[(&str, &str)]) -> Option<TestServer> {
        let test_db = db.store(8).await?;
        let (store, url) = (test_db.store.clone(), test_db.url.clone());
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
            db: Some(test_db),
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
        if let Some(db) = self.db.take() {
            db.finish().await;
        }
    }
}
