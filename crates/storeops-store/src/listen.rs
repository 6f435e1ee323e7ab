//! [`RunListener`]: how an idle workflow worker waits for runs to become due.
//!
//! On PostgreSQL, every write that makes runs due (`start_runs`,
//! `commit_runs` with a due time already passed, `enqueue_inbox`,
//! `close_item`) runs `pg_notify('storeops_runs', '')` in its transaction,
//! and the listener (a dedicated `LISTEN` connection) wakes on commit. On
//! SQLite there is no notification channel: [`RunListener::wait`] sleeps the
//! timeout and reports nothing, so the worker polls. Either way a worker
//! must still poll after every timeout: a notification is only a hint, and
//! due times in the future (timers, retries) notify nobody.

use std::fmt;
use std::time::Duration;

/// Channel the PostgreSQL backend notifies when runs become due.
pub(crate) const RUNS_CHANNEL: &str = "storeops_runs";

/// Waits for "runs may be due" hints; see the module documentation.
pub struct RunListener {
    inner: Inner,
}

/// What waiting means on the connected backend.
enum Inner {
    /// SQLite: sleep the timeout.
    Sleep,
    /// PostgreSQL: a connection listening on [`RUNS_CHANNEL`].
    Postgres(Box<sqlx::postgres::PgListener>),
}

impl fmt::Debug for RunListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::Sleep => "sleep",
            Inner::Postgres(_) => "postgres",
        };
        f.debug_struct("RunListener").field("kind", &kind).finish()
    }
}

impl RunListener {
    /// A listener that only sleeps (SQLite).
    pub(crate) fn sleeping() -> RunListener {
        RunListener {
            inner: Inner::Sleep,
        }
    }

    /// A listener on a `LISTEN storeops_runs` connection (PostgreSQL).
    pub(crate) fn postgres(listener: sqlx::postgres::PgListener) -> RunListener {
        RunListener {
            inner: Inner::Postgres(Box::new(listener)),
        }
    }

    /// Waits up to `timeout` for a notification. `true` = notified (or the
    /// listening connection failed, so one may have been missed: poll now;
    /// the failed connection is re-established by the next wait), `false` =
    /// the timeout passed quietly (always so on SQLite).
    pub async fn wait(&mut self, timeout: Duration) -> bool {
        match &mut self.inner {
            Inner::Sleep => {
                tokio::time::sleep(timeout).await;
                false
            }
            Inner::Postgres(listener) => {
                match tokio::time::timeout(timeout, listener.try_recv()).await {
                    Ok(Ok(Some(_))) => {
                        // Coalesce a burst of notifications into one wake-up.
                        while listener.next_buffered().is_some() {}
                        true
                    }
                    // The connection was lost (and re-established):
                    // notifications may have been missed.
                    Ok(Ok(None)) => true,
                    Ok(Err(error)) => {
                        tracing::warn!(%error, "run listener connection failed; polling");
                        // Do not spin while the database is away.
                        tokio::time::sleep(timeout.min(Duration::from_secs(1))).await;
                        true
                    }
                    Err(_) => false,
                }
            }
        }
    }
}
