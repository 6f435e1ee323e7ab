//! Settings of the `notify.email` workflow action (`[notify.email]` in
//! `storeops.toml`, `STOREOPS_SMTP_*`): the SMTP server, its login (the
//! password is a [`Secret`]), the default sender, how the connection is
//! secured and which extra CA certificates it trusts. Without a host, e-mail steps fail with a clear error.

use serde::Serialize;

use std::path::PathBuf;

use crate::config::{Config, ConfigError, Setting};
use crate::http_config::{read_ca_file, validate_ca_file};
use crate::server_config::{validate_any, Secret};

/// The settings of `[notify.email]` (listed in `crate::config::SETTINGS`).
pub(crate) const SETTINGS: [Setting; 8] = [
    Setting {
        key: "notify.email.host",
        env: "STOREOPS_SMTP_HOST",
        default: "",
        help: "SMTP server of notify.email steps (empty: such steps fail)",
        validate: validate_any,
    },
    Setting {
        key: "notify.email.port",
        env: "STOREOPS_SMTP_PORT",
        default: "",
        help: "SMTP port (empty: 25, 587 or 465 by notify.email.tls)",
        validate: validate_port,
    },
    Setting {
        key: "notify.email.tls",
        env: "STOREOPS_SMTP_TLS",
        default: "starttls",
        help: "SMTP connection security: none, starttls (required) or tls",
        validate: validate_tls,
    },
    Setting {
        key: "notify.email.username",
        env: "STOREOPS_SMTP_USERNAME",
        default: "",
        help: "SMTP login (empty: none)",
        validate: validate_any,
    },
    Setting {
        key: "notify.email.password",
        env: "STOREOPS_SMTP_PASSWORD",
        default: "",
        help: "SMTP password; never shown",
        validate: validate_any,
    },
    Setting {
        key: "notify.email.from",
        env: "STOREOPS_SMTP_FROM",
        default: "",
        help: "sender of notify.email steps that give no `from`",
        validate: validate_address,
    },
    Setting {
        key: "notify.email.timeout_seconds",
        env: "STOREOPS_SMTP_TIMEOUT_SECONDS",
        default: "30",
        help: "longest wait for the SMTP server per step attempt (1..=600 s)",
        validate: validate_timeout,
    },
    Setting {
        key: "notify.email.ca_file",
        env: "STOREOPS_SMTP_CA_FILE",
        default: "",
        help: "PEM file of CA certificates notify.email trusts for TLS besides the Mozilla roots (empty: none)",
        validate: validate_ca_file,
    },
];

/// The most a `notify.email` attempt may wait for the server.
const MAX_TIMEOUT_SECONDS: u64 = 600;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTlsMode {
    /// Plain text (trusted local relays only); default port 25.
    None,
    /// STARTTLS, required; default port 587.
    Starttls,
    /// TLS from the first byte (SMTPS); default port 465.
    Tls,
}

impl SmtpTlsMode {
    fn parse(value: &str) -> Option<SmtpTlsMode> {
        match value.trim() {
            "none" => Some(SmtpTlsMode::None),
            "starttls" => Some(SmtpTlsMode::Starttls),
            "tls" => Some(SmtpTlsMode::Tls),
            _ => None,
        }
    }

    /// The usual port of the mode.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTlsMode::None => 25,
            SmtpTlsMode::Starttls => 587,
            SmtpTlsMode::Tls => 465,
        }
    }
}

/// The SMTP server of `notify.email`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmailConfig {
    /// Server host; `None` when not configured.
    pub host: Option<String>,
    /// Server port.
    pub port: u16,
    /// Connection security.
    pub tls: SmtpTlsMode,
    /// Login, if the server needs one.
    pub username: Option<String>,
    /// Password of `username`; never shown.
    pub password: Option<Secret>,
    /// Sender when a step gives no `from`.
    pub from: Option<String>,
    /// Longest wait for the server per attempt, in seconds; an attempt
    /// that waits longer fails as a retryable `timeout`.
    pub timeout_seconds: u64,
    /// Extra CA bundle (PEM) for the server's certificate; `None` when not
    /// configured.
    pub ca_file: Option<PathBuf>,
}

pub(crate) fn validate_timeout(value: &str) -> Result<(), String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (1..=MAX_TIMEOUT_SECONDS).contains(&n) => Ok(()),
        _ => Err(format!(
            "`{value}` is not a timeout: use whole seconds from 1 to {MAX_TIMEOUT_SECONDS}"
        )),
    }
}

pub(crate) fn validate_tls(value: &str) -> Result<(), String> {
    SmtpTlsMode::parse(value)
        .map(|_| ())
        .ok_or_else(|| format!("`{value}` is not a TLS mode: use none, starttls or tls"))
}

pub(crate) fn validate_port(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Ok(());
    }
    match value.trim().parse::<u16>() {
        Ok(n) if n > 0 => Ok(()),
        _ => Err(format!(
            "`{value}` is not a port: use 1..=65535 or leave it empty"
        )),
    }
}

pub(crate) fn validate_address(value: &str) -> Result<(), String> {
    let value = value.trim();
    let plausible = value.is_empty()
        || value
            .rsplit_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && !domain.is_empty());
    if plausible {
        Ok(())
    } else {
        Err(format!("`{value}` is not an e-mail address"))
    }
}

/// Builds the e-mail settings from validated values.
pub(crate) fn from_values(get: &dyn Fn(&str) -> String) -> EmailConfig {
    let text = |key: &str| Some(get(key).trim().to_string()).filter(|v| !v.is_empty());
    let tls = SmtpTlsMode::parse(&get("notify.email.tls")).unwrap_or(SmtpTlsMode::Starttls);
    EmailConfig {
        host: text("notify.email.host"),
        port: text("notify.email.port")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| tls.default_port()),
        tls,
        username: text("notify.email.username"),
        password: Some(get("notify.email.password"))
            .filter(|p| !p.is_empty())
            .map(Secret::new),
        from: text("notify.email.from"),
        timeout_seconds: get("notify.email.timeout_seconds")
            .trim()
            .parse()
            .unwrap_or(30),
        ca_file: text("notify.email.ca_file").map(PathBuf::from),
    }
}

/// The CA certificates (PEM) of `notify.email.ca_file`, read again at
/// start-up (the file may have changed since the configuration was
/// checked), or none; a problem is the configuration issue of
/// `notify.email.ca_file`.
pub fn smtp_ca_pem(config: &Config) -> Result<Option<Vec<u8>>, ConfigError> {
    match &config.email.ca_file {
        Some(path) => Ok(read_ca_file(config, "notify.email.ca_file", path)?.extra_ca_pem),
        None => Ok(None),
    }
}
