//! Configuration: file + environment + flags, and every problem reported at once.

// Tests may panic on unexpected values; helpers outside #[test] included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use storeops_app::config::{ConfigError, RawConfig};
use storeops_app::notify_config::{smtp_ca_pem, EmailConfig, SmtpTlsMode};

/// A self-signed CA certificate, PEM.
fn ca_pem() -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "storeops test CA");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).unwrap().pem()
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_apply_without_file_or_env() {
    let config = RawConfig::load(None, Vec::new()).resolve().unwrap();
    assert_eq!(config.database_url, "sqlite://./storeops.db");
    assert_eq!(config.import_batch_size, 2000);
    assert_eq!(config.import_currency.code(), "USD");
    assert_eq!(config.stale_count_days, 90);
    assert_eq!(config.workflow_retention_days, 30);
    assert_eq!(config.sources["database_url"], "default");
}

#[test]
fn workflow_retention_days_is_read_and_checked() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "[workflow]\nretention_days = 0").unwrap();
    let config = RawConfig::load(Some(file.path()), Vec::new())
        .resolve()
        .unwrap();
    assert_eq!(config.workflow_retention_days, 0);
    let config = RawConfig::load(None, env(&[("STOREOPS_WORKFLOW_RETENTION_DAYS", "7")]))
        .resolve()
        .unwrap();
    assert_eq!(config.workflow_retention_days, 7);
    let Err(ConfigError::Invalid { issues }) =
        RawConfig::load(None, env(&[("STOREOPS_WORKFLOW_RETENTION_DAYS", "36501")])).resolve()
    else {
        panic!("36501 days accepted");
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].key, "workflow.retention_days");
    assert_eq!(issues[0].message, "36501 is out of range 0..=36500");
    let mut unknown = tempfile::NamedTempFile::new().unwrap();
    writeln!(unknown, "[workflow]\nretention = 3").unwrap();
    let Err(ConfigError::Invalid { issues }) =
        RawConfig::load(Some(unknown.path()), Vec::new()).resolve()
    else {
        panic!("unknown key accepted");
    };
    assert_eq!(issues[0].key, "workflow.retention");
    assert_eq!(issues[0].message, "unknown setting");
}

#[test]
fn env_overrides_file_and_flags_override_env() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(
        file,
        "database_url = \"sqlite://file.db\"\n[import]\nbatch_size = 250\ncurrency = \"EUR\""
    )
    .unwrap();
    let mut raw = RawConfig::load(
        Some(file.path()),
        env(&[
            ("STOREOPS_IMPORT_BATCH_SIZE", "500"),
            ("STOREOPS_DATABASE_URL", "postgres://env/db"),
        ]),
    );
    raw.set_flag("database_url", "sqlite://flag.db".into(), "--database-url");
    let config = raw.resolve().unwrap();
    assert_eq!(config.database_url, "sqlite://flag.db");
    assert_eq!(config.sources["database_url"], "--database-url");
    assert_eq!(config.import_batch_size, 500);
    assert_eq!(
        config.sources["import.batch_size"],
        "STOREOPS_IMPORT_BATCH_SIZE"
    );
    assert_eq!(config.import_currency.code(), "EUR");
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(
        file,
        "database_url = \"mysql://x\"\ncolour = \"blue\"\n[readiness]\nstale_count_days = 0\n[log]\nformat = \"xml\""
    )
    .unwrap();
    let path = file.path().display().to_string();
    let raw = RawConfig::load(
        Some(file.path()),
        env(&[
            ("STOREOPS_IMPORT_CURRENCY", "XYZ"),
            ("STOREOPS_IMPORT_BATCH_SIZE", "lots"),
            ("STOREOPS_NOPE", "1"),
        ]),
    );
    let Err(ConfigError::Invalid { issues }) = raw.resolve() else {
        panic!("expected errors");
    };
    let mut keys: Vec<(String, String)> = issues
        .iter()
        .map(|i| (i.key.clone(), i.source.clone()))
        .collect();
    keys.sort();
    let mut expected = vec![
        ("STOREOPS_NOPE".to_string(), "STOREOPS_NOPE".to_string()),
        ("colour".to_string(), path.clone()),
        ("database_url".to_string(), path.clone()),
        (
            "import.batch_size".to_string(),
            "STOREOPS_IMPORT_BATCH_SIZE".to_string(),
        ),
        (
            "import.currency".to_string(),
            "STOREOPS_IMPORT_CURRENCY".to_string(),
        ),
        ("log.format".to_string(), path.clone()),
        ("readiness.stale_count_days".to_string(), path.clone()),
    ];
    expected.sort();
    assert_eq!(keys, expected);
    let batch = issues
        .iter()
        .find(|i| i.key == "import.batch_size")
        .unwrap();
    assert_eq!(batch.message, "`lots` is not a whole number");
    let days = issues
        .iter()
        .find(|i| i.key == "readiness.stale_count_days")
        .unwrap();
    assert_eq!(days.message, "0 is out of range 1..=3650");
}

#[test]
fn missing_explicit_file_is_an_error_but_missing_default_is_not() {
    let raw = RawConfig::load(
        Some(std::path::Path::new("/nonexistent/storeops.toml")),
        Vec::new(),
    );
    let Err(ConfigError::Invalid { issues }) = raw.resolve() else {
        panic!("expected an error");
    };
    assert_eq!(issues.len(), 1);
    assert!(
        issues[0].message.starts_with("cannot read:"),
        "{}",
        issues[0].message
    );
}

#[test]
fn malformed_toml_names_the_file() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "database_url = ").unwrap();
    let Err(ConfigError::Invalid { issues }) =
        RawConfig::load(Some(file.path()), Vec::new()).resolve()
    else {
        panic!("expected an error");
    };
    assert_eq!(issues.len(), 1);
    assert!(
        issues[0].message.starts_with("not valid TOML"),
        "{}",
        issues[0].message
    );
}

#[test]
fn server_settings_resolve_and_secrets_never_show() {
    let config = RawConfig::load(
        None,
        env(&[
            ("STOREOPS_LISTEN", "0.0.0.0:9000"),
            ("STOREOPS_SHOPIFY_WEBHOOK_SECRET", "shpss_new, shpss_old"),
            ("STOREOPS_GENERIC_WEBHOOK_SECRETS", "erp:erp_secret_1"),
            ("STOREOPS_METRICS_PUBLIC", "false"),
        ]),
    )
    .resolve()
    .unwrap();
    let server = &config.server;
    assert_eq!(server.listen.to_string(), "0.0.0.0:9000");
    assert!(!server.metrics_public);
    assert_eq!(server.max_body_bytes, 1_048_576);
    assert_eq!(server.webhooks.tolerance_seconds, 300);
    let shopify: Vec<&str> = server.webhooks.shopify.iter().map(|s| s.expose()).collect();
    assert_eq!(shopify, ["shpss_new", "shpss_old"]);
    assert_eq!(server.webhooks.generic["erp"][0].expose(), "erp_secret_1");
    let shown = format!("{} {config:?}", serde_json::to_string(&config).unwrap());
    for secret in ["shpss_new", "shpss_old", "erp_secret_1"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }

    let err = RawConfig::load(
        None,
        env(&[
            ("STOREOPS_LISTEN", "localhost"),
            ("STOREOPS_GENERIC_WEBHOOK_SECRETS", "nocolon"),
            ("STOREOPS_SECURE_COOKIES", "sometimes"),
        ]),
    )
    .resolve()
    .unwrap_err();
    let ConfigError::Invalid { issues } = err;
    let keys: Vec<&str> = issues.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "server.listen",
            "server.secure_cookies",
            "webhooks.generic_secrets"
        ]
    );
    assert!(issues.iter().all(|i| !i.message.contains("nocolon")));
}

#[test]
fn email_settings_come_from_the_notify_email_section_and_the_password_never_shows() {
    let config = RawConfig::load(None, Vec::new()).resolve().unwrap();
    assert_eq!(
        config.email,
        EmailConfig {
            host: None,
            port: 587,
            tls: SmtpTlsMode::Starttls,
            username: None,
            password: None,
            from: None,
            timeout_seconds: 30,
            ca_file: None,
        }
    );
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("smtp-ca.pem");
    let pem = ca_pem();
    std::fs::write(&ca, &pem).unwrap();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(
        file,
        "[notify.email]\nhost = \"smtp.example.com\"\ntls = \"tls\"\nusername = \"ops\"\n\
         password = \"hunter2-smtp\"\nfrom = \"ops@example.com\"\ntimeout_seconds = 5\n\
         ca_file = {:?}",
        ca.display().to_string()
    )
    .unwrap();
    let config = RawConfig::load(Some(file.path()), env(&[("STOREOPS_SMTP_PORT", "2465")]))
        .resolve()
        .unwrap();
    let email = &config.email;
    assert_eq!(email.host.as_deref(), Some("smtp.example.com"));
    assert_eq!((email.port, email.tls), (2465, SmtpTlsMode::Tls));
    assert_eq!(email.username.as_deref(), Some("ops"));
    assert_eq!(
        email.password.as_ref().map(|p| p.expose()),
        Some("hunter2-smtp")
    );
    assert_eq!(email.from.as_deref(), Some("ops@example.com"));
    assert_eq!(email.timeout_seconds, 5);
    assert_eq!(email.ca_file.as_deref(), Some(ca.as_path()));
    assert_eq!(smtp_ca_pem(&config).unwrap(), Some(pem.into_bytes()));
    // Removed after the check: start-up still names the setting.
    std::fs::remove_file(&ca).unwrap();
    let ConfigError::Invalid { issues } = smtp_ca_pem(&config).unwrap_err();
    let found: Vec<(&str, &str, &str)> = issues
        .iter()
        .map(|i| (i.key.as_str(), i.source.as_str(), i.message.as_str()))
        .collect();
    let gone = format!(
        "cannot read `{}`: No such file or directory (os error 2)",
        ca.display()
    );
    let source = file.path().display().to_string();
    assert_eq!(
        found,
        [("notify.email.ca_file", source.as_str(), gone.as_str())]
    );
    assert_eq!(config.sources["notify.email.port"], "STOREOPS_SMTP_PORT");
    let shown = format!("{} {config:?}", serde_json::to_string(&config).unwrap());
    assert!(!shown.contains("hunter2-smtp"), "{shown}");
    let plain = RawConfig::load(None, env(&[("STOREOPS_SMTP_TLS", "none")]))
        .resolve()
        .unwrap();
    assert_eq!(plain.email.port, 25);

    let err = RawConfig::load(
        None,
        env(&[
            ("STOREOPS_SMTP_PORT", "70000"),
            ("STOREOPS_SMTP_TLS", "ssl"),
            ("STOREOPS_SMTP_FROM", "nobody"),
            ("STOREOPS_SMTP_TIMEOUT_SECONDS", "0"),
            ("STOREOPS_SMTP_CA_FILE", "/nonexistent/smtp-ca.pem"),
            ("STOREOPS_SMTP_SERVER", "x"),
        ]),
    )
    .resolve()
    .unwrap_err();
    let ConfigError::Invalid { issues } = err;
    let found: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.key.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("STOREOPS_SMTP_SERVER", "unknown STOREOPS_ variable"),
            (
                "notify.email.port",
                "`70000` is not a port: use 1..=65535 or leave it empty"
            ),
            (
                "notify.email.tls",
                "`ssl` is not a TLS mode: use none, starttls or tls"
            ),
            ("notify.email.from", "`nobody` is not an e-mail address"),
            (
                "notify.email.timeout_seconds",
                "`0` is not a timeout: use whole seconds from 1 to 600"
            ),
            (
                "notify.email.ca_file",
                "cannot read `/nonexistent/smtp-ca.pem`: No such file or directory (os error 2)"
            ),
        ]
    );
}
