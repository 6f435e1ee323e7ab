//! Credential material: random tokens, their hashes, password hashes.
//!
//! API tokens and session ids are 256 random bits from the OS, shown once
//! and stored only as SHA-256 (no salt needed at that entropy, and a lookup
//! by hash stays one indexed query). Passwords are argon2id PHC strings with
//! their own random salt.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Prefix of API tokens, so leaked ones are recognisable by scanners.
pub const TOKEN_PREFIX: &str = "sot_";

/// Errors of credential handling.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The OS random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
    /// Hashing a password failed.
    #[error("cannot hash password: {0}")]
    Hash(String),
}

/// `n` random bytes from the OS.
fn random_bytes<const N: usize>() -> Result<[u8; N], SecretError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| SecretError::Random(e.to_string()))?;
    Ok(bytes)
}

/// 256 random bits, URL-safe base64 (43 characters).
pub fn random_secret() -> Result<String, SecretError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// A new API token (`sot_…`) and the hash to store.
pub fn new_token() -> Result<(String, String), SecretError> {
    let token = format!("{TOKEN_PREFIX}{}", random_secret()?);
    let hash = hash_secret(&token);
    Ok((token, hash))
}

/// SHA-256 of a token or session id, hex.
pub fn hash_secret(secret: &str) -> String {
    hash_bytes(secret.as_bytes())
}

/// SHA-256 of raw bytes, hex.
pub fn hash_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A readable random password for the first admin (24 characters).
pub fn random_password() -> Result<String, SecretError> {
    let bytes = random_bytes::<18>()?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// argon2id PHC string of `password`.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| SecretError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string (false for a corrupt one).
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::warn!(error = %e, "stored password hash does not parse");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, hash_a) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        // 32 bytes = 43 base64url characters = 256 bits.
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 43);
        assert_eq!(hash_a, hash_secret(&a));
        assert_eq!(hash_a.len(), 64);
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        // printf '%s' 'abc' | sha256sum
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn passwords_verify_only_when_equal() {
        let stored = hash_password("correct horse").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &stored));
        assert!(!verify_password("correct hors", &stored));
        assert!(!verify_password("correct horse", "not-a-phc-string"));
    }
}
