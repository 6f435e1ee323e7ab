//! Errors of the storage layer.

/// Anything that can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or reached.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The URL with any password removed.
        url: String,
        /// What the driver said.
        #[source]
        source: sqlx::Error,
    },
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value does not decode into its domain type.
    #[error("corrupt row in {table} ({key}): {message}")]
    Corrupt {
        /// Table the row lives in.
        table: &'static str,
        /// Natural key of the row.
        key: String,
        /// What failed to decode.
        message: String,
    },
    /// The database URL or an option is not usable.
    #[error("invalid database URL `{url}`: {message}")]
    InvalidUrl {
        /// The URL with any password removed.
        url: String,
        /// Why it is rejected.
        message: String,
    },
    /// A record could not be serialised to JSON.
    #[error("cannot serialise {kind} record `{key}`: {source}")]
    Serialize {
        /// Record kind.
        kind: &'static str,
        /// Natural key of the record.
        key: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// A listing query or a value handed to the store is not usable (the
    /// server answers 422 naming `field`).
    #[error("invalid {field}: {message}")]
    InvalidQuery {
        /// The offending field (`limit`, `cursor`, `status`, a filter the
        /// listing does not support, `user_id`, …).
        field: String,
        /// Why it is rejected.
        message: String,
    },
    /// Something with this key exists already (the server answers 409).
    #[error("{what} `{key}` exists already")]
    Conflict {
        /// What kind of thing (`user`, `token`, `session`).
        what: &'static str,
        /// Its key: the username; a token's name; for a session, its user.
        key: String,
    },
    /// Nothing with this key exists (the server answers 404).
    #[error("no {what} `{key}`")]
    NotFound {
        /// What kind of thing (`workflow`, `run`, `item`).
        what: &'static str,
        /// Its key.
        key: String,
    },
}

impl StoreError {
    /// An [`StoreError::InvalidQuery`] for `field`.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> StoreError {
        StoreError::InvalidQuery {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl StoreError {
    /// Whether the database is unreachable or overloaded (try again later)
    /// rather than the request or the data being wrong.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect { .. } => true,
            StoreError::Database(e) => matches!(
                e,
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            ),
            _ => false,
        }
    }
}

/// Removes the password from a database URL so it can be shown in errors
/// and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_removed() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/shop"),
            "postgres://app:***@db:5432/shop"
        );
        assert_eq!(
            redact_url("postgres://app@db/shop"),
            "postgres://app@db/shop"
        );
        assert_eq!(
            redact_url("sqlite://./storeops.db"),
            "sqlite://./storeops.db"
        );
        assert_eq!(redact_url("sqlite::memory:"), "sqlite::memory:");
    }
}
