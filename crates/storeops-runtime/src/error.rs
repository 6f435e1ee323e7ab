//! Runtime errors.

use storeops_store::StoreError;

/// What can go wrong deploying, submitting or working.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Definitions did not validate or compile; every diagnostic, one per line.
    #[error("{0}")]
    Invalid(String),
    /// No workflow of that name is deployed.
    #[error("workflow `{0}` is not deployed")]
    UnknownWorkflow(String),
    /// The workflow's mode is `off`.
    #[error("workflow `{0}` is off: switch it to shadow or live first")]
    WorkflowOff(String),
    /// No such item or run.
    #[error("{0} does not exist")]
    NotFound(String),
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A request was refused; `field` names the input at fault.
    #[error("{field}: {message}")]
    Refused {
        /// The input at fault.
        field: &'static str,
        /// Why.
        message: String,
    },
    /// A stored plan or history could not be read back.
    #[error("stored {what} of `{key}` is unreadable: {message}")]
    Corrupt {
        /// What was read (`plan`, `history`).
        what: &'static str,
        /// Whose.
        key: String,
        /// Why.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write {0}: {1}")]
    Io(String, #[source] std::io::Error),
    /// Encoding JSON failed.
    #[error("cannot encode {0}")]
    Encode(#[from] serde_json::Error),
}

impl RuntimeError {
    /// Whether the database is unreachable (worth retrying later).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, RuntimeError::Store(e) if e.is_unavailable())
    }
}
