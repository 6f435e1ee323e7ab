//! Connection options and the choice of database backend.

use crate::error::{redact_url, StoreError};

/// Which database engine a [`crate::Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file (or in-memory) database.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL scheme (`sqlite:`, `postgres://`,
    /// `postgresql://`).
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::InvalidUrl {
                url: redact_url(url),
                message: "expected a sqlite: or postgres:// URL".to_string(),
            })
        }
    }

    /// Lower-case name (`sqlite`, `postgres`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// How to open a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Create the SQLite file or PostgreSQL database when it does not exist.
    pub create_if_missing: bool,
    /// Size of the (reader) connection pool.
    pub max_connections: u32,
    /// PostgreSQL schema to use instead of `public`; created if missing.
    /// Letters, digits and `_` only.
    pub pg_schema: Option<String>,
    /// Page cache of the SQLite writer connection, in KiB (ignored on
    /// PostgreSQL). Small by default so long-running processes stay lean;
    /// bulk imports ask for [`ConnectOptions::BULK_CACHE_KIB`], which keeps
    /// large indexes cached between batches.
    pub sqlite_cache_kib: u32,
}

impl ConnectOptions {
    /// Default writer page cache: 8 MiB.
    pub const CACHE_KIB: u32 = 8 * 1024;
    /// Writer page cache for bulk imports: 64 MiB.
    pub const BULK_CACHE_KIB: u32 = 64 * 1024;

    /// Options for a bulk import: the large writer page cache.
    pub fn bulk() -> ConnectOptions {
        ConnectOptions {
            sqlite_cache_kib: ConnectOptions::BULK_CACHE_KIB,
            ..ConnectOptions::default()
        }
    }
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            create_if_missing: true,
            max_connections: 8,
            pg_schema: None,
            sqlite_cache_kib: ConnectOptions::CACHE_KIB,
        }
    }
}

/// Checks that a schema name is a plain identifier, so it can be quoted into
/// SQL safely.
pub(crate) fn validate_schema(url: &str, schema: &str) -> Result<(), StoreError> {
    let plain = !schema.is_empty()
        && schema.len() <= 63
        && schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !schema.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        Ok(())
    } else {
        Err(StoreError::InvalidUrl {
            url: redact_url(url),
            message: format!("schema name `{schema}` must be letters, digits and _"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_from_urls() {
        assert_eq!(
            Backend::from_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("sqlite://./x.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        let err = Backend::from_url("mysql://u:pw@h/db").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid database URL `mysql://u:***@h/db`: expected a sqlite: or postgres:// URL"
        );
    }

    #[test]
    fn schema_names_are_plain_identifiers() {
        assert!(validate_schema("postgres://h/db", "storeops_test_1a").is_ok());
        assert!(validate_schema("postgres://h/db", "a\"; drop").is_err());
        assert!(validate_schema("postgres://h/db", "").is_err());
        assert!(validate_schema("postgres://h/db", "1abc").is_err());
    }

    #[test]
    fn defaults() {
        let o = ConnectOptions::default();
        assert!(o.create_if_missing);
        assert_eq!(o.max_connections, 8);
        assert_eq!(o.pg_schema, None);
    }
}
