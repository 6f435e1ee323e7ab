//! `http.ca_file` / `STOREOPS_HTTP_CA_FILE`: the extra CA bundle of the
//! `http.request` and `notify.webhook` workflow actions is read and checked
//! with the rest of the configuration; a missing, unreadable or invalid file
//! is an issue of the key `http.ca_file`.

// Tests may panic on unexpected values; helpers outside #[test] included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use storeops_app::config::{ConfigError, RawConfig};
use storeops_app::http_config::{http_settings, HttpConfig};
use storeops_runtime::HttpSettings;

/// A self-signed CA certificate, PEM.
fn ca_pem() -> String {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "storeops test CA");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.self_signed(&key).unwrap().pem()
}

/// The issues of a configuration with `STOREOPS_HTTP_CA_FILE=path`, as
/// `(key, source, message)`.
fn issues_with(path: &Path) -> Vec<(String, String, String)> {
    let env = vec![(
        "STOREOPS_HTTP_CA_FILE".to_string(),
        path.display().to_string(),
    )];
    let ConfigError::Invalid { issues } = RawConfig::load(None, env).resolve().unwrap_err();
    issues
        .into_iter()
        .map(|i| (i.key, i.source, i.message))
        .collect()
}

fn issue(message: String) -> Vec<(String, String, String)> {
    vec![(
        "http.ca_file".to_string(),
        "STOREOPS_HTTP_CA_FILE".to_string(),
        message,
    )]
}

#[test]
fn no_extra_ca_by_default() {
    let config = RawConfig::load(None, Vec::new()).resolve().unwrap();
    assert_eq!(config.http, HttpConfig { ca_file: None });
    assert_eq!(config.sources["http.ca_file"], "default");
    assert_eq!(http_settings(&config).unwrap(), HttpSettings::default());
}

#[test]
fn the_ca_file_comes_from_the_http_section_and_is_read_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let pem = ca_pem();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pem).unwrap();
    let toml = dir.path().join("storeops.toml");
    std::fs::write(
        &toml,
        format!("[http]\nca_file = {:?}\n", ca.display().to_string()),
    )
    .unwrap();
    let config = RawConfig::load(Some(&toml), Vec::new()).resolve().unwrap();
    assert_eq!(config.http.ca_file, Some(ca.clone()));
    assert_eq!(config.sources["http.ca_file"], toml.display().to_string());
    assert_eq!(
        http_settings(&config).unwrap().extra_ca_pem.as_deref(),
        Some(pem.as_bytes())
    );

    // Removed after the check: start-up still names the setting.
    std::fs::remove_file(&ca).unwrap();
    let ConfigError::Invalid { issues } = http_settings(&config).unwrap_err();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].key, "http.ca_file");
    assert_eq!(issues[0].source, toml.display().to_string());
    assert_eq!(
        issues[0].message,
        format!(
            "cannot read `{}`: No such file or directory (os error 2)",
            ca.display()
        )
    );
}

#[test]
fn a_missing_or_unreadable_ca_file_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let missing: PathBuf = dir.path().join("missing.pem");
    assert_eq!(
        issues_with(&missing),
        issue(format!(
            "cannot read `{}`: No such file or directory (os error 2)",
            missing.display()
        ))
    );
    assert_eq!(
        issues_with(dir.path()),
        issue(format!(
            "cannot read `{}`: Is a directory (os error 21)",
            dir.path().display()
        ))
    );
}

#[test]
fn a_file_without_a_usable_certificate_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let text = write("notes.txt", "not a certificate\n");
    assert_eq!(
        issues_with(&text),
        issue(format!(
            "`{}`: no PEM certificate (-----BEGIN CERTIFICATE-----) in it",
            text.display()
        ))
    );
    let key_only = write("key.pem", &KeyPair::generate().unwrap().serialize_pem());
    assert_eq!(
        issues_with(&key_only),
        issue(format!(
            "`{}`: no PEM certificate (-----BEGIN CERTIFICATE-----) in it",
            key_only.display()
        ))
    );
    let bad_base64 = write(
        "base64.pem",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    );
    assert_eq!(
        issues_with(&bad_base64),
        issue(format!(
            "`{}`: not a PEM certificate bundle: builder error: invalid certificate encoding",
            bad_base64.display()
        ))
    );
    let not_x509 = write(
        "der.pem",
        "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n",
    );
    assert_eq!(
        issues_with(&not_x509),
        issue(format!(
            "`{}`: not a usable CA certificate: BadEncoding",
            not_x509.display()
        ))
    );
}
