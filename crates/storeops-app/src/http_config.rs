//! Settings of the HTTP client of the `http.request` and `notify.webhook`
//! workflow actions (`[http]` in `storeops.toml`, `STOREOPS_HTTP_*`):
//! `http.ca_file`, a PEM bundle of CA certificates trusted besides the
//! Mozilla roots, for `https://` targets behind a private CA. The file is
//! read and checked with the configuration, so a missing, unreadable or
//! invalid bundle stops every command at start-up naming the setting.

use std::path::{Path, PathBuf};

use serde::Serialize;
use storeops_runtime::HttpSettings;

use crate::config::{Config, ConfigError, ConfigIssue, Setting};

/// The settings of `[http]` (listed in `crate::config::SETTINGS`).
pub(crate) const SETTINGS: [Setting; 1] = [Setting {
    key: "http.ca_file",
    env: "STOREOPS_HTTP_CA_FILE",
    default: "",
    help: "PEM file of CA certificates http.request and notify.webhook trust besides the Mozilla roots (empty: none)",
    validate: validate_ca_file,
}];

/// The HTTP client settings of the workflow actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HttpConfig {
    /// Extra CA bundle (PEM); `None` when not configured.
    pub ca_file: Option<PathBuf>,
}

/// Checks that `value` is empty or a readable PEM bundle of usable CA
/// certificates.
pub(crate) fn validate_ca_file(value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    HttpSettings::from_ca_file(Path::new(value))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Builds the HTTP settings from validated values.
pub(crate) fn from_values(get: &dyn Fn(&str) -> String) -> HttpConfig {
    let ca_file = get("http.ca_file").trim().to_string();
    HttpConfig {
        ca_file: Some(ca_file).filter(|f| !f.is_empty()).map(PathBuf::from),
    }
}

/// The runtime's HTTP settings: the bundle of `http.ca_file` read (again,
/// at start-up: it may have changed since the configuration was checked),
/// or none. A problem is reported as the configuration issue of
/// `http.ca_file`.
pub fn http_settings(config: &Config) -> Result<HttpSettings, ConfigError> {
    match &config.http.ca_file {
        Some(path) => read_ca_file(config, SETTINGS[0].key, path),
        None => Ok(HttpSettings::default()),
    }
}

/// The CA bundle at `path`, the value of setting `key`, read and checked
/// at start-up; a problem is the configuration issue of `key`.
pub(crate) fn read_ca_file(
    config: &Config,
    key: &str,
    path: &Path,
) -> Result<HttpSettings, ConfigError> {
    HttpSettings::from_ca_file(path).map_err(|e| ConfigError::Invalid {
        issues: vec![ConfigIssue {
            key: key.to_string(),
            source: config.sources.get(key).cloned().unwrap_or_default(),
            message: e.to_string(),
        }],
    })
}
