//! A short-lived in-process cache of API tokens by hash, so a stream of API
//! calls costs one token lookup per second instead of one per request, and
//! a once-per-process memo of `last_used_at` refreshes, so a burst of
//! concurrent first uses writes the token row once instead of once each.
//!
//! The price is bounded: a token revoked from another process (the CLI)
//! stops working within [`TTL`]; expiry is still checked on every request.
//! Unknown tokens are never cached, so a token created elsewhere works at
//! once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use storeops_store::ApiToken;

/// How long a looked-up token is trusted without asking the database again.
pub const TTL: Duration = Duration::from_secs(1);

/// Most cached tokens; the cache starts over when full.
const CAPACITY: usize = 1024;

/// Tokens by hash, and when this process last recorded each token's use.
#[derive(Debug, Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<String, (Instant, ApiToken)>>,
    touched: Mutex<HashMap<i64, Instant>>,
}

impl TokenCache {
    /// The token with this hash, if it was looked up less than [`TTL`] ago.
    pub fn get(&self, hash: &str) -> Option<ApiToken> {
        let tokens = self.tokens.lock().ok()?;
        tokens
            .get(hash)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, token)| token.clone())
    }

    /// Remembers a token just read from the database.
    pub fn put(&self, hash: &str, token: &ApiToken) {
        if let Ok(mut tokens) = self.tokens.lock() {
            if tokens.len() >= CAPACITY {
                tokens.retain(|_, (at, _)| at.elapsed() < TTL);
                if tokens.len() >= CAPACITY {
                    tokens.clear();
                }
            }
            tokens.insert(hash.to_string(), (Instant::now(), token.clone()));
        }
    }

    /// Whether this process should record a use of token `id` now: true at
    /// most once per `every` per token.
    pub fn claim_touch(&self, id: i64, every: Duration) -> bool {
        let Ok(mut touched) = self.touched.lock() else {
            return true;
        };
        match touched.get(&id) {
            Some(at) if at.elapsed() < every => false,
            _ => {
                if touched.len() >= CAPACITY {
                    touched.clear();
                }
                touched.insert(id, Instant::now());
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use storeops_domain::Role;

    fn token(id: i64) -> ApiToken {
        ApiToken {
            id,
            name: format!("t{id}"),
            role: Role::Operator,
            user_id: None,
            created_at: chrono::Utc::now(),
            expires_at: None,
            revoked_at: None,
            last_used_at: None,
        }
    }

    #[test]
    fn a_token_is_served_until_its_ttl_and_unknown_hashes_miss() {
        let cache = TokenCache::default();
        assert_eq!(cache.get("h1"), None);
        cache.put("h1", &token(1));
        assert_eq!(cache.get("h1").map(|t| t.id), Some(1));
        assert_eq!(cache.get("h2"), None);
        cache.tokens.lock().unwrap().get_mut("h1").unwrap().0 = Instant::now() - TTL;
        assert_eq!(cache.get("h1"), None, "expired entries are not served");
    }

    #[test]
    fn a_full_cache_keeps_working() {
        let cache = TokenCache::default();
        for i in 0..=CAPACITY as i64 {
            cache.put(&format!("h{i}"), &token(i));
        }
        let last = format!("h{CAPACITY}");
        assert_eq!(cache.get(&last).map(|t| t.id), Some(CAPACITY as i64));
        assert!(cache.tokens.lock().unwrap().len() <= CAPACITY);
    }

    #[test]
    fn a_use_is_recorded_once_per_interval_per_token() {
        let cache = TokenCache::default();
        let every = Duration::from_secs(300);
        assert!(cache.claim_touch(7, every));
        assert!(!cache.claim_touch(7, every));
        assert!(cache.claim_touch(8, every));
        assert!(cache.claim_touch(7, Duration::ZERO));
    }
}
