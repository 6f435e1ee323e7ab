//! Connection settings a SQLite database reports, for diagnostics.

use serde::Serialize;

/// What the SQLite writer connection reports for the settings storeops
/// relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SqliteSettings {
    /// `PRAGMA journal_mode` (`wal` for file databases, `memory` in memory).
    pub journal_mode: String,
    /// `PRAGMA synchronous` (0 off, 1 normal, 2 full, 3 extra).
    pub synchronous: i64,
    /// `PRAGMA foreign_keys`.
    pub foreign_keys: bool,
    /// `PRAGMA busy_timeout` in milliseconds.
    pub busy_timeout_ms: i64,
}
