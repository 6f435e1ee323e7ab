//! Webhook signature checks: Shopify (`X-Shopify-Hmac-Sha256`), WooCommerce
//! (`X-WC-Webhook-Signature`) and storeops' generic scheme
//! (`X-Storeops-Signature: t=<unix>,v1=<hex>`), plus the matching signers
//! used by the load tool and the tests.
//!
//! Every scheme is HMAC-SHA256 over the raw request body (the generic one over
//! `"<t>.<body>"`), compared in constant time by `hmac`'s `verify_slice`.
//! Several secrets may be configured at once so a secret can be rotated
//! without dropping deliveries: any one of them may match. No secret
//! configured is an error of its own ([`SignatureError::NoSecret`]): an
//! unsigned or unverifiable delivery is never accepted.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Header carrying Shopify's signature.
pub const SHOPIFY_HEADER: &str = "X-Shopify-Hmac-Sha256";
/// Header carrying WooCommerce's signature.
pub const WOOCOMMERCE_HEADER: &str = "X-WC-Webhook-Signature";
/// Header carrying the generic signature.
pub const GENERIC_HEADER: &str = "X-Storeops-Signature";
/// Most `v1=` entries one generic header may carry (bounds the work an
/// unauthenticated request can cause).
pub const MAX_GENERIC_SIGNATURES: usize = 8;

/// Length of an HMAC-SHA256 tag in bytes.
const TAG_LEN: usize = 32;

/// Why a delivery's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature header is absent.
    #[error("signature header is missing")]
    Missing,
    /// The header is present but not in the scheme's format.
    #[error("signature header is malformed: {reason}")]
    Malformed {
        /// What is wrong with it.
        reason: String,
    },
    /// Well-formed, but no configured secret produced it for this body.
    #[error("signature does not match the body for any configured secret")]
    Mismatch,
    /// Generic scheme: the signed timestamp is too far from now (replay
    /// protection). Negative ages are timestamps in the future.
    #[error(
        "signature timestamp is outside the tolerance: {age_s} s old (negative: in the future)"
    )]
    Expired {
        /// `now - t` in seconds.
        age_s: i64,
    },
    /// No (non-empty) secret is configured for the source, so nothing can be
    /// verified; the delivery must be refused.
    #[error("no webhook secret is configured for this source")]
    NoSecret,
}

/// A parsed generic signature header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericSignature {
    /// The signed Unix timestamp (seconds).
    pub timestamp: i64,
    /// The timestamp exactly as written, which is what was signed.
    pub timestamp_text: String,
    /// Every `v1=` tag (32 bytes each), in header order.
    pub tags: Vec<Vec<u8>>,
}

/// Verifies Shopify's `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256(secret,
/// raw body). Any of `secrets` may match.
pub fn verify_shopify(
    secrets: &[&[u8]],
    body: &[u8],
    header: Option<&str>,
) -> Result<(), SignatureError> {
    verify_base64(secrets, body, header)
}

/// Verifies WooCommerce's `X-WC-Webhook-Signature`: base64 of
/// HMAC-SHA256(secret, raw body). Any of `secrets` may match.
pub fn verify_woocommerce(
    secrets: &[&[u8]],
    body: &[u8],
    header: Option<&str>,
) -> Result<(), SignatureError> {
    verify_base64(secrets, body, header)
}

/// Verifies the generic `X-Storeops-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`
/// header: each `v1` is hex HMAC-SHA256(secret, `"<t>.<body>"`), and the
/// delivery is accepted when any `v1` matches any secret and
/// `|now_unix - t| <= tolerance_s`. Unknown keys (`v0=…`) are ignored so
/// senders can add schemes later.
pub fn verify_generic(
    secrets: &[&[u8]],
    body: &[u8],
    header: Option<&str>,
    now_unix: i64,
    tolerance_s: i64,
) -> Result<(), SignatureError> {
    let secrets = configured(secrets)?;
    let parsed = parse_generic_header(header.ok_or(SignatureError::Missing)?)?;
    let matched = secrets.iter().any(|secret| {
        parsed.tags.iter().any(|tag| {
            keyed(secret)
                .map(|mut mac| {
                    mac.update(parsed.timestamp_text.as_bytes());
                    mac.update(b".");
                    mac.update(body);
                    mac.verify_slice(tag).is_ok()
                })
                .unwrap_or(false)
        })
    });
    if !matched {
        return Err(SignatureError::Mismatch);
    }
    let age_s = now_unix.saturating_sub(parsed.timestamp);
    if age_s.unsigned_abs() > tolerance_s.max(0).unsigned_abs() {
        return Err(SignatureError::Expired { age_s });
    }
    Ok(())
}

/// Parses a generic signature header, naming what is wrong with it.
pub fn parse_generic_header(header: &str) -> Result<GenericSignature, SignatureError> {
    let malformed = |reason: String| SignatureError::Malformed { reason };
    if header.trim().is_empty() {
        return Err(malformed("the header is empty".into()));
    }
    let mut timestamp: Option<(i64, String)> = None;
    let mut tags = Vec::new();
    for item in header.split(',') {
        let item = item.trim();
        let Some((key, value)) = item.split_once('=') else {
            return Err(malformed(format!(
                "`{}` is not a key=value pair (expected t=<unix>,v1=<hex>)",
                clip(item)
            )));
        };
        let value = value.trim();
        match key.trim() {
            "t" => {
                if timestamp.is_some() {
                    return Err(malformed("more than one `t=` timestamp".into()));
                }
                let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
                let parsed = value.parse::<i64>().ok().filter(|_| digits);
                let Some(t) = parsed else {
                    return Err(malformed(format!(
                        "timestamp `{}` is not a Unix time in seconds",
                        clip(value)
                    )));
                };
                timestamp = Some((t, value.to_string()));
            }
            "v1" => {
                if tags.len() == MAX_GENERIC_SIGNATURES {
                    return Err(malformed(format!(
                        "more than {MAX_GENERIC_SIGNATURES} `v1=` signatures"
                    )));
                }
                match hex::decode(value) {
                    Ok(tag) if tag.len() == TAG_LEN => tags.push(tag),
                    _ => {
                        return Err(malformed(format!(
                            "`v1={}` is not 64 hex digits (an HMAC-SHA256)",
                            clip(value)
                        )))
                    }
                }
            }
            _ => {}
        }
    }
    let Some((timestamp, timestamp_text)) = timestamp else {
        return Err(malformed("no `t=` timestamp".into()));
    };
    if tags.is_empty() {
        return Err(malformed("no `v1=` signature".into()));
    }
    Ok(GenericSignature {
        timestamp,
        timestamp_text,
        tags,
    })
}

/// The `X-Shopify-Hmac-Sha256` value for `body`.
pub fn sign_shopify(secret: &[u8], body: &[u8]) -> String {
    BASE64.encode(tag(secret, &[body]))
}

/// The `X-WC-Webhook-Signature` value for `body`.
pub fn sign_woocommerce(secret: &[u8], body: &[u8]) -> String {
    BASE64.encode(tag(secret, &[body]))
}

/// The `X-Storeops-Signature` value for `body` signed at Unix time `t`.
pub fn sign_generic(secret: &[u8], body: &[u8], t: i64) -> String {
    let t = t.to_string();
    let tag = tag(secret, &[t.as_bytes(), b".", body]);
    format!("t={t},v1={}", hex::encode(tag))
}

/// Shared check of the two base64 schemes.
fn verify_base64(
    secrets: &[&[u8]],
    body: &[u8],
    header: Option<&str>,
) -> Result<(), SignatureError> {
    let secrets = configured(secrets)?;
    let header = header.ok_or(SignatureError::Missing)?.trim();
    if header.is_empty() {
        return Err(SignatureError::Malformed {
            reason: "the header is empty".into(),
        });
    }
    let tag = BASE64
        .decode(header)
        .map_err(|e| SignatureError::Malformed {
            reason: format!("`{}` is not base64: {e}", clip(header)),
        })?;
    if tag.len() != TAG_LEN {
        return Err(SignatureError::Malformed {
            reason: format!(
                "decodes to {} bytes, an HMAC-SHA256 has {TAG_LEN}",
                tag.len()
            ),
        });
    }
    let matched = secrets.iter().any(|secret| {
        keyed(secret)
            .map(|mut mac| {
                mac.update(body);
                mac.verify_slice(&tag).is_ok()
            })
            .unwrap_or(false)
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The non-empty secrets, or [`SignatureError::NoSecret`] when there are none
/// (an empty string in a config file is not a secret).
fn configured<'a>(secrets: &[&'a [u8]]) -> Result<Vec<&'a [u8]>, SignatureError> {
    let usable: Vec<&[u8]> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
    if usable.is_empty() {
        Err(SignatureError::NoSecret)
    } else {
        Ok(usable)
    }
}

/// An HMAC keyed with `secret`. HMAC accepts keys of any length, so this is
/// always `Some`; the `Option` only avoids a panic path.
fn keyed(secret: &[u8]) -> Option<HmacSha256> {
    HmacSha256::new_from_slice(secret).ok()
}

/// HMAC-SHA256 of the concatenated `parts` (empty only if keying failed,
/// which HMAC never does).
fn tag(secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    keyed(secret)
        .map(|mut mac| {
            for part in parts {
                mac.update(part);
            }
            mac.finalize().into_bytes().to_vec()
        })
        .unwrap_or_default()
}

/// At most 40 characters of untrusted text for an error message.
fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
