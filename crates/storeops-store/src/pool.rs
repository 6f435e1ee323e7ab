//! [`PoolStats`]: connection pool sizes, for the server's `/metrics`.

use serde::Serialize;

/// Connection pool sizes. On PostgreSQL (and in-memory SQLite) one pool
/// serves reads and writes, so writer and reader numbers are the same pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PoolStats {
    /// Open connections of the writer pool.
    pub writer_size: u32,
    /// Of those, idle.
    pub writer_idle: u32,
    /// Open connections of the reader pool.
    pub reader_size: u32,
    /// Of those, idle.
    pub reader_idle: u32,
}
