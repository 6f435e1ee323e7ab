//! Settings of the HTTP server and webhook ingestion, and the [`Secret`]
//! type that keeps webhook secrets out of logs and `config check` output.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;

use serde::{Serialize, Serializer};

/// A secret value: shown as `***` by `Debug` and `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for signing and verifying only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("***")
    }
}

/// When session cookies carry the `Secure` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecureCookies {
    /// When the request came over TLS (`X-Forwarded-Proto: https` from a proxy).
    Auto,
    /// Always (the server sits behind TLS).
    Always,
    /// Never (plain HTTP on a trusted network).
    Never,
}

/// Server settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerConfig {
    /// Address `storeops serve` listens on.
    pub listen: SocketAddr,
    /// Largest JSON or webhook body accepted.
    pub max_body_bytes: usize,
    /// Largest import upload accepted.
    pub max_import_bytes: u64,
    /// Whether `/metrics` is readable without a token.
    pub metrics_public: bool,
    /// Secure attribute of session cookies.
    pub secure_cookies: SecureCookies,
    /// Dashboard session lifetime.
    pub session_hours: u32,
    /// Most webhook events written per transaction.
    pub ingest_batch: usize,
    /// Webhook secrets.
    pub webhooks: WebhookSecrets,
}

/// Webhook signing secrets; several per source while rotating.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct WebhookSecrets {
    /// Shopify app secrets.
    pub shopify: Vec<Secret>,
    /// WooCommerce webhook secrets.
    pub woocommerce: Vec<Secret>,
    /// Generic sources: source name → secrets.
    pub generic: BTreeMap<String, Vec<Secret>>,
    /// Accepted clock skew of generic signatures, in seconds.
    pub tolerance_seconds: i64,
}

/// Splits a comma-separated secret list (rotation), dropping blanks.
pub fn secret_list(value: &str) -> Vec<Secret> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Secret::new)
        .collect()
}

/// Parses `source:secret,source:secret,…` (a source may repeat to rotate).
pub fn generic_secrets(value: &str) -> Result<BTreeMap<String, Vec<Secret>>, String> {
    let mut out: BTreeMap<String, Vec<Secret>> = BTreeMap::new();
    for (i, entry) in value.split(',').map(str::trim).enumerate() {
        if entry.is_empty() {
            continue;
        }
        let Some((source, secret)) = entry.split_once(':') else {
            return Err(format!(
                "entry {} is not `source:secret` (secrets are not shown)",
                i + 1
            ));
        };
        let source = source.trim();
        let valid = !source.is_empty()
            && source.len() <= 64
            && source
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(format!(
                "entry {}: source `{source}` must be 1-64 letters, digits, `-` or `_`",
                i + 1
            ));
        }
        if secret.trim().is_empty() {
            return Err(format!(
                "entry {}: the secret of `{source}` is empty",
                i + 1
            ));
        }
        out.entry(source.to_string())
            .or_default()
            .push(Secret::new(secret.trim()));
    }
    Ok(out)
}

/// Builds the server settings from validated values.
pub(crate) fn from_values(get: &dyn Fn(&str) -> String) -> ServerConfig {
    let number = |key: &str| get(key).trim().parse::<u64>().unwrap_or_default();
    ServerConfig {
        listen: get("server.listen")
            .trim()
            .parse()
            .unwrap_or_else(|_| std::net::SocketAddr::from(([127, 0, 0, 1], 8080))),
        max_body_bytes: number("server.max_body_bytes") as usize,
        max_import_bytes: number("server.max_import_bytes"),
        metrics_public: parse_bool(&get("server.metrics_public")).unwrap_or(true),
        secure_cookies: parse_secure_cookies(&get("server.secure_cookies"))
            .unwrap_or(SecureCookies::Auto),
        session_hours: number("server.session_hours") as u32,
        ingest_batch: number("server.ingest_batch") as usize,
        webhooks: WebhookSecrets {
            shopify: secret_list(&get("webhooks.shopify_secret")),
            woocommerce: secret_list(&get("webhooks.woocommerce_secret")),
            generic: generic_secrets(&get("webhooks.generic_secrets")).unwrap_or_default(),
            tolerance_seconds: number("webhooks.tolerance_seconds") as i64,
        },
    }
}

pub(crate) fn validate_listen(value: &str) -> Result<(), String> {
    value
        .trim()
        .parse::<SocketAddr>()
        .map(|_| ())
        .map_err(|_| format!("`{value}` is not an address such as 127.0.0.1:8080"))
}

pub(crate) fn validate_bool(value: &str) -> Result<(), String> {
    parse_bool(value)
        .map(|_| ())
        .ok_or_else(|| format!("`{value}` is not true or false"))
}

pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

pub(crate) fn parse_secure_cookies(value: &str) -> Option<SecureCookies> {
    match value.trim() {
        "auto" => Some(SecureCookies::Auto),
        "always" => Some(SecureCookies::Always),
        "never" => Some(SecureCookies::Never),
        _ => None,
    }
}

pub(crate) fn validate_secure_cookies(value: &str) -> Result<(), String> {
    parse_secure_cookies(value)
        .map(|_| ())
        .ok_or_else(|| format!("`{value}` is not one of: auto, always, never"))
}

pub(crate) fn validate_generic_secrets(value: &str) -> Result<(), String> {
    generic_secrets(value).map(|_| ())
}

pub(crate) fn validate_any(_: &str) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show() {
        let s = Secret::new("shpss_live_123");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(serde_json::to_string(&s).unwrap_or_default(), "\"***\"");
        assert_eq!(s.expose(), "shpss_live_123");
    }

    #[test]
    fn secret_lists_rotate() {
        let list = secret_list(" new , old ,,");
        let exposed: Vec<&str> = list.iter().map(Secret::expose).collect();
        assert_eq!(exposed, ["new", "old"]);
        let generic = generic_secrets("erp:a,wms:b,erp:c").unwrap_or_default();
        assert_eq!(generic.len(), 2);
        assert_eq!(generic["erp"].len(), 2);
        assert_eq!(generic["erp"][1].expose(), "c");
        let err = generic_secrets("erp:a,justasecret").unwrap_err();
        assert_eq!(
            err,
            "entry 2 is not `source:secret` (secrets are not shown)"
        );
        assert!(generic_secrets("bad source:x").is_err());
        assert!(generic_secrets("erp: ").is_err());
    }
}
