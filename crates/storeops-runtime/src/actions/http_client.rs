//! The one HTTP client of `http.request` and `notify.webhook`, built once
//! per registry: rustls with the ring provider and the Mozilla root
//! certificates (webpki-roots) compiled in, plus the CA certificates of an
//! optional PEM bundle (`http.ca_file`, for self-hosted targets behind a
//! private CA). No OpenSSL and no system certificate store are involved.
//! Also finds the TLS failure in a failed request's error chain, so that a
//! certificate that does not verify is reported as such (`tls`, not
//! retried) instead of as a retryable `network` error.

use std::error::Error;
use std::fmt;
use std::path::Path;

/// Trust settings of the shared HTTP client.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HttpSettings {
    /// PEM bundle of CA certificates trusted in addition to the Mozilla roots.
    pub extra_ca_pem: Option<Vec<u8>>,
}

impl fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSettings")
            .field(
                "extra_ca_pem",
                &self
                    .extra_ca_pem
                    .as_ref()
                    .map(|pem| format!("{} bytes", pem.len())),
            )
            .finish()
    }
}

/// Why the HTTP client cannot be built from the settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HttpClientError(String);

impl HttpSettings {
    /// Reads the PEM bundle at `path` and checks that a client can be built
    /// with it: at least one certificate, each a well-formed X.509 CA.
    pub fn from_ca_file(path: &Path) -> Result<HttpSettings, HttpClientError> {
        let pem = std::fs::read(path)
            .map_err(|e| HttpClientError(format!("cannot read `{}`: {e}", path.display())))?;
        let settings = HttpSettings {
            extra_ca_pem: Some(pem),
        };
        settings
            .client()
            .map_err(|e| HttpClientError(format!("`{}`: {e}", path.display())))?;
        Ok(settings)
    }

    /// Builds the client: rustls, Mozilla roots, plus the extra CAs.
    pub fn client(&self) -> Result<reqwest::Client, HttpClientError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(true);
        if let Some(pem) = &self.extra_ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                HttpClientError(format!("not a PEM certificate bundle: {}", chain(&e)))
            })?;
            if certs.is_empty() {
                return Err(HttpClientError(
                    "no PEM certificate (-----BEGIN CERTIFICATE-----) in it".to_string(),
                ));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        builder.build().map_err(|e| {
            // A certificate rustls cannot take as a trust anchor: say why in
            // its own words, without reqwest's "builder error: invalid peer
            // certificate" framing (the file is no peer's).
            let reason = match first_rustls_error(&e) {
                Some(rustls::Error::InvalidCertificate(why)) => why.to_string(),
                _ => chain(&e),
            };
            HttpClientError(format!("not a usable CA certificate: {reason}"))
        })
    }
}

/// `error` and its sources, `: `-separated (reqwest's own text is generic).
fn chain(error: &(dyn Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut next = error.source();
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// The TLS failure in `error`'s source chain, as the message of a `tls`
/// step error; `None` when the request failed for another reason.
pub(super) fn tls_failure(error: &(dyn Error + 'static)) -> Option<String> {
    first_rustls_error(error).map(|tls| match tls {
        rustls::Error::InvalidCertificate(_) => format!("certificate verification failed: {tls}"),
        other => format!("TLS handshake failed: {other}"),
    })
}

/// The first rustls error in `error`'s source chain.
fn first_rustls_error<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(tls) = rustls_error(e) {
            return Some(tls);
        }
        next = e.source();
    }
    None
}

/// `error` as a rustls error, looking inside `io::Error`s: rustls errors
/// reach reqwest wrapped in them (twice: the connector wraps the
/// handshake's), and an `io::Error`'s `source()` skips the error it carries.
fn rustls_error<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let inner = error.downcast_ref::<std::io::Error>()?.get_ref()?;
    rustls_error(inner)
}
