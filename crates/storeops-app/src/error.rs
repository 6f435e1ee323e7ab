//! Application errors and how they map to process exit codes.

use std::path::PathBuf;

/// What can stop an application service.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The database failed or is unreachable.
    #[error("database: {0}")]
    Store(#[from] storeops_store::StoreError),
    /// An input file could not be parsed at all.
    #[error("{path}: {source}")]
    Ingest {
        /// The file.
        path: PathBuf,
        /// Why.
        source: storeops_ingest::IngestError,
    },
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The request itself is wrong (bad flag combination, bad value).
    #[error("{0}")]
    Usage(String),
    /// A background task died.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// Process exit code: 2 for usage errors, 1 for everything fatal.
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Usage(_) => 2,
            _ => 1,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> AppError {
        AppError::Io {
            path: path.into(),
            source,
        }
    }
}
