//! Failed-login rate limiting: after [`MAX_FAILURES`] failures for one
//! username from one address within [`WINDOW`], further attempts are refused
//! with 429 until the window ends. Successful logins clear the count.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per (username, address) and window.
pub const MAX_FAILURES: u32 = 5;
/// Window length.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Entries kept before old ones are swept.
const SWEEP_AT: usize = 10_000;

/// In-memory counts of recent failures.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<(String, IpAddr), (u32, Instant)>>,
}

impl LoginLimiter {
    /// `Some(seconds to wait)` when this username/address is locked out.
    pub fn locked(&self, username: &str, ip: IpAddr, now: Instant) -> Option<u64> {
        let map = self.failures.lock().ok()?;
        let (count, since) = map.get(&(username.to_lowercase(), ip))?;
        let elapsed = now.saturating_duration_since(*since);
        (*count >= MAX_FAILURES && elapsed < WINDOW).then(|| (WINDOW - elapsed).as_secs().max(1))
    }

    /// Counts a failure.
    pub fn failed(&self, username: &str, ip: IpAddr, now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= SWEEP_AT {
            map.retain(|_, (_, since)| now.saturating_duration_since(*since) < WINDOW);
        }
        let entry = map.entry((username.to_lowercase(), ip)).or_insert((0, now));
        if now.saturating_duration_since(entry.1) >= WINDOW {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Clears the failures after a successful login.
    pub fn succeeded(&self, username: &str, ip: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&(username.to_lowercase(), ip));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_failures_until_the_window_ends() {
        let limiter = LoginLimiter::default();
        let ip = IpAddr::from([127, 0, 0, 1]);
        let t0 = Instant::now();
        for _ in 0..4 {
            limiter.failed("Admin", ip, t0);
        }
        assert_eq!(limiter.locked("admin", ip, t0), None);
        limiter.failed("admin", ip, t0);
        assert_eq!(limiter.locked("ADMIN", ip, t0), Some(900));
        assert_eq!(limiter.locked("other", ip, t0), None);
        let later = t0 + WINDOW;
        assert_eq!(limiter.locked("admin", ip, later), None);
        limiter.succeeded("admin", ip);
        assert_eq!(limiter.locked("admin", ip, t0), None);
    }
}
