//! Configuration: `storeops.toml` overlaid by `STOREOPS_*` environment variables.
//!
//! Every setting is declared once in [`SETTINGS`] with its file key, its
//! environment variable, its default and a validator, so `config check` can
//! report every problem at once and the docs can list every setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use storeops_domain::Currency;

use crate::config_checks::{
    validate_batch_size, validate_currency, validate_database_url, validate_log_format,
    validate_max_ids, validate_non_empty, validate_range, validate_stale_days,
};
use crate::http_config::{self, HttpConfig};
use crate::notify_config::{self, EmailConfig};
use crate::server_config::{self, ServerConfig};

/// Default database when neither flag, file nor environment names one.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./storeops.db";
/// Default config file, read only when it exists.
pub const DEFAULT_CONFIG_PATH: &str = "storeops.toml";

/// One declared setting (the same type skills declare theirs with).
pub use storeops_actions::Setting;
use storeops_actions::SkillSettings;

/// Every setting storeops reads.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "database_url",
        env: "STOREOPS_DATABASE_URL",
        default: DEFAULT_DATABASE_URL,
        help: "sqlite://PATH or postgres://USER@HOST:PORT/DB",
        validate: validate_database_url,
    },
    Setting {
        key: "log.format",
        env: "STOREOPS_LOG_FORMAT",
        default: "text",
        help: "log output on stderr: text or json",
        validate: validate_log_format,
    },
    Setting {
        key: "log.level",
        env: "STOREOPS_LOG_LEVEL",
        default: "info",
        help: "tracing filter, e.g. info or storeops_store=debug",
        validate: validate_non_empty,
    },
    Setting {
        key: "import.batch_size",
        env: "STOREOPS_IMPORT_BATCH_SIZE",
        default: "2000",
        help: "records written per transaction during imports (1..=50000)",
        validate: validate_batch_size,
    },
    Setting {
        key: "import.currency",
        env: "STOREOPS_IMPORT_CURRENCY",
        default: "USD",
        help: "ISO 4217 currency of prices in Shopify product CSVs (they carry none)",
        validate: validate_currency,
    },
    Setting {
        key: "readiness.stale_count_days",
        env: "STOREOPS_READINESS_STALE_COUNT_DAYS",
        default: "90",
        help: "inventory counts older than this many days are stale (1..=3650)",
        validate: validate_stale_days,
    },
    Setting {
        key: "readiness.max_listed_ids",
        env: "STOREOPS_READINESS_MAX_LISTED_IDS",
        default: "20",
        help: "affected ids listed per finding in reports (1..=10000)",
        validate: validate_max_ids,
    },
    Setting {
        key: "workflow.retention_days",
        env: "STOREOPS_WORKFLOW_RETENTION_DAYS",
        default: "30",
        help: "finished workflow runs are pruned after this many days, their counts kept (0 = keep forever, ..=36500)",
        validate: |v| validate_range(v, 0, 36_500),
    },
    Setting {
        key: "server.listen",
        env: "STOREOPS_LISTEN",
        default: "127.0.0.1:8080",
        help: "address `storeops serve` listens on",
        validate: server_config::validate_listen,
    },
    Setting {
        key: "server.max_body_bytes",
        env: "STOREOPS_MAX_BODY_BYTES",
        default: "1048576",
        help: "largest JSON or webhook request body (1024..=67108864)",
        validate: |v| validate_range(v, 1024, 64 << 20),
    },
    Setting {
        key: "server.max_import_bytes",
        env: "STOREOPS_MAX_IMPORT_BYTES",
        default: "1073741824",
        help: "largest import upload over the API (1024..=68719476736)",
        validate: |v| validate_range(v, 1024, 64 << 30),
    },
    Setting {
        key: "server.metrics_public",
        env: "STOREOPS_METRICS_PUBLIC",
        default: "true",
        help: "serve /metrics without a token (false: viewer token needed)",
        validate: server_config::validate_bool,
    },
    Setting {
        key: "server.secure_cookies",
        env: "STOREOPS_SECURE_COOKIES",
        default: "auto",
        help: "Secure session cookies: auto (when X-Forwarded-Proto is https), always, never",
        validate: server_config::validate_secure_cookies,
    },
    Setting {
        key: "server.session_hours",
        env: "STOREOPS_SESSION_HOURS",
        default: "12",
        help: "dashboard session lifetime in hours (1..=720)",
        validate: |v| validate_range(v, 1, 720),
    },
    Setting {
        key: "server.ingest_batch",
        env: "STOREOPS_INGEST_BATCH",
        default: "512",
        help: "most webhook events written per transaction (1..=10000)",
        validate: |v| validate_range(v, 1, 10_000),
    },
    Setting {
        key: "webhooks.shopify_secret",
        env: "STOREOPS_SHOPIFY_WEBHOOK_SECRET",
        default: "",
        help: "Shopify app secret(s), comma-separated while rotating; never shown",
        validate: server_config::validate_any,
    },
    Setting {
        key: "webhooks.woocommerce_secret",
        env: "STOREOPS_WOOCOMMERCE_WEBHOOK_SECRET",
        default: "",
        help: "WooCommerce webhook secret(s), comma-separated while rotating; never shown",
        validate: server_config::validate_any,
    },
    Setting {
        key: "webhooks.generic_secrets",
        env: "STOREOPS_GENERIC_WEBHOOK_SECRETS",
        default: "",
        help: "secrets of /webhooks/generic/{source}: source:secret,… (repeat a source to rotate)",
        validate: server_config::validate_generic_secrets,
    },
    Setting {
        key: "webhooks.tolerance_seconds",
        env: "STOREOPS_WEBHOOK_TOLERANCE_SECONDS",
        default: "300",
        help: "accepted age of generic webhook signatures in seconds (1..=86400)",
        validate: |v| validate_range(v, 1, 86_400),
    },
    // The `notify.email` settings, declared with their parsing.
    notify_config::SETTINGS[0],
    notify_config::SETTINGS[1],
    notify_config::SETTINGS[2],
    notify_config::SETTINGS[3],
    notify_config::SETTINGS[4],
    notify_config::SETTINGS[5],
    notify_config::SETTINGS[6],
    notify_config::SETTINGS[7],
    // The HTTP client of `http.request` / `notify.webhook`.
    http_config::SETTINGS[0],
];

/// A problem with one setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigIssue {
    /// Dotted key, or the file path for problems with the file itself.
    pub key: String,
    /// Where the bad value came from: the file path or the variable name.
    pub source: String,
    /// What is wrong.
    pub message: String,
}

/// Errors that stop configuration from loading.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// One or more settings are invalid.
    #[error("invalid configuration: {}", issues.iter().map(|i| format!("{} ({}): {}", i.key, i.source, i.message)).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// Every problem found.
        issues: Vec<ConfigIssue>,
    },
}

/// Effective configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Database connection URL.
    pub database_url: String,
    /// `text` or `json`.
    pub log_format: String,
    /// Tracing filter directive.
    pub log_level: String,
    /// Records per import transaction.
    pub import_batch_size: usize,
    /// Currency of Shopify product CSV prices.
    pub import_currency: Currency,
    /// Stale inventory count threshold.
    pub stale_count_days: u32,
    /// Affected ids listed per finding.
    pub max_listed_ids: usize,
    /// Days after which finished workflow runs are pruned (0 = never).
    pub workflow_retention_days: u32,
    /// HTTP server and webhook settings.
    pub server: ServerConfig,
    /// SMTP server of the `notify.email` workflow action.
    pub email: EmailConfig,
    /// HTTP client of the `http.request` / `notify.webhook` workflow actions.
    pub http: HttpConfig,
    /// The skills' settings (`skills.<name>.…`), every value validated.
    #[serde(skip)]
    pub skills: SkillSettings,
    /// Where each value came from (`default`, file path or variable).
    #[serde(skip)]
    pub sources: BTreeMap<&'static str, String>,
}

/// Raw values collected from the file and the environment, before validation.
#[derive(Debug, Default)]
pub struct RawConfig {
    values: BTreeMap<&'static str, (String, String)>,
    issues: Vec<ConfigIssue>,
    /// The skills' settings, read beside [`SETTINGS`].
    skills: Vec<&'static Setting>,
}

impl RawConfig {
    /// Reads `path` (if given it must exist; the default path is optional),
    /// then overlays the environment variables `env` yields.
    pub fn load(path: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> RawConfig {
        RawConfig::load_with(path, env, &[])
    }

    /// [`RawConfig::load`] that also reads the `skills` settings (the
    /// skills the binary lists).
    pub fn load_with(
        path: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        skills: &[&'static Setting],
    ) -> RawConfig {
        let mut raw = RawConfig {
            skills: skills.to_vec(),
            ..RawConfig::default()
        };
        let (file, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_PATH), false),
        };
        match std::fs::read_to_string(&file) {
            Ok(text) => raw.read_toml(&file.display().to_string(), &text),
            Err(e) if required || e.kind() != std::io::ErrorKind::NotFound => raw.issue(
                &file.display().to_string(),
                "file",
                format!("cannot read: {e}"),
            ),
            Err(_) => {}
        }
        let env: BTreeMap<String, String> = env.into_iter().collect();
        for setting in raw.all() {
            if let Some(value) = env.get(setting.env) {
                raw.values
                    .insert(setting.key, (value.clone(), setting.env.to_string()));
            }
        }
        for name in env.keys() {
            if name.starts_with("STOREOPS_")
                && !raw.all().iter().any(|s| s.env == name)
                && !NON_SETTING_VARS.contains(&name.as_str())
            {
                raw.issue(name, name, "unknown STOREOPS_ variable".to_string());
            }
        }
        raw
    }

    /// Every setting read: storeops' own, then the skills'.
    fn all(&self) -> Vec<&'static Setting> {
        SETTINGS.iter().chain(self.skills.iter().copied()).collect()
    }

    /// Sets a value given on the command line (wins over file and env).
    pub fn set_flag(&mut self, key: &'static str, value: String, flag: &str) {
        self.values.insert(key, (value, flag.to_string()));
    }

    fn issue(&mut self, key: &str, source: &str, message: String) {
        self.issues.push(ConfigIssue {
            key: key.to_string(),
            source: source.to_string(),
            message,
        });
    }

    fn read_toml(&mut self, file: &str, text: &str) {
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                self.issue(file, file, format!("not valid TOML: {}", e.message()));
                return;
            }
        };
        let mut flat = Vec::new();
        flatten("", &table, &mut flat);
        for (key, value) in flat {
            match self.all().into_iter().find(|s| s.key == key) {
                Some(setting) => {
                    let text = match value {
                        toml::Value::String(s) => s,
                        toml::Value::Integer(i) => i.to_string(),
                        other => {
                            self.issue(
                                &key,
                                file,
                                format!("expected a string or integer, found {}", other.type_str()),
                            );
                            continue;
                        }
                    };
                    self.values.insert(setting.key, (text, file.to_string()));
                }
                None => self.issue(&key, file, "unknown setting".to_string()),
            }
        }
    }

    /// Validates every value and returns the configuration or all problems.
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let settings = self.all();
        let mut issues = self.issues;
        let mut chosen = BTreeMap::new();
        let mut sources = BTreeMap::new();
        for setting in settings {
            let (value, source) = self
                .values
                .get(setting.key)
                .cloned()
                .unwrap_or_else(|| (setting.default.to_string(), "default".to_string()));
            if let Err(message) = (setting.validate)(&value) {
                issues.push(ConfigIssue {
                    key: setting.key.to_string(),
                    source: source.clone(),
                    message,
                });
            }
            chosen.insert(setting.key, value);
            sources.insert(setting.key, source);
        }
        if !issues.is_empty() {
            return Err(ConfigError::Invalid { issues });
        }
        // Every value passed its validator above, so these parses succeed.
        let get = |key: &str| chosen.get(key).cloned().unwrap_or_default();
        let number = |key: &str| get(key).trim().parse::<u32>().unwrap_or_default();
        let import_currency =
            Currency::parse(get("import.currency").trim()).map_err(|e| ConfigError::Invalid {
                issues: vec![ConfigIssue {
                    key: "import.currency".to_string(),
                    source: sources.get("import.currency").cloned().unwrap_or_default(),
                    message: e.to_string(),
                }],
            })?;
        Ok(Config {
            database_url: get("database_url"),
            log_format: get("log.format"),
            log_level: get("log.level"),
            import_batch_size: number("import.batch_size") as usize,
            import_currency,
            stale_count_days: number("readiness.stale_count_days"),
            max_listed_ids: number("readiness.max_listed_ids") as usize,
            workflow_retention_days: number("workflow.retention_days"),
            server: server_config::from_values(&get),
            email: notify_config::from_values(&get),
            http: http_config::from_values(&get),
            skills: SkillSettings::new(
                self.skills
                    .iter()
                    .map(|s| (s.key.to_string(), get(s.key).trim().to_string())),
            ),
            sources,
        })
    }
}

/// `STOREOPS_*` variables that are not settings (test and CI switches).
const NON_SETTING_VARS: &[&str] = &[
    "STOREOPS_TEST_DATABASE_URL",
    "STOREOPS_REQUIRE_POSTGRES",
    "STOREOPS_REQUIRE_BROWSER",
    "STOREOPS_REQUIRE_OPENAPI_VALIDATOR",
    "STOREOPS_CHROMIUM",
    "STOREOPS_CHROMEDRIVER",
    "STOREOPS_SCREENSHOTS",
    "STOREOPS_TOKEN",
];

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&key, inner, out),
            other => out.push((key, other.clone())),
        }
    }
}
