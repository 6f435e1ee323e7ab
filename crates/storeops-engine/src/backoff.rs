//! Retry delays: exponential back-off with deterministic jitter, so a
//! replayed history computes the same timers.

use sha2::{Digest, Sha256};

use crate::plan::RetryPolicy;

/// Delay in milliseconds before attempt `next_attempt` (≥ 2) of the step
/// execution identified by `key`.
pub fn delay_ms(policy: &RetryPolicy, key: &str, next_attempt: u32) -> u64 {
    let exponent = next_attempt.saturating_sub(2);
    let base = policy.initial_ms as f64 * policy.multiplier.max(1.0).powi(exponent as i32);
    let capped = base.min(policy.max_delay_ms as f64);
    let delay = if policy.jitter {
        // ±20 % from a hash of (key, attempt): spread, yet reproducible.
        let digest = Sha256::digest(format!("{key}#{next_attempt}").as_bytes());
        let unit = f64::from(u16::from_be_bytes([digest[0], digest[1]])) / f64::from(u16::MAX);
        capped * (0.8 + 0.4 * unit)
    } else {
        capped
    };
    delay.round().clamp(0.0, policy.max_delay_ms as f64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(jitter: bool) -> RetryPolicy {
        RetryPolicy {
            attempts: 6,
            initial_ms: 100,
            multiplier: 2.0,
            max_delay_ms: 1_000,
            jitter,
        }
    }

    #[test]
    fn doubles_up_to_the_cap() {
        let p = policy(false);
        let delays: Vec<u64> = (2..=7).map(|a| delay_ms(&p, "k", a)).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1_000, 1_000]);
    }

    #[test]
    fn jitter_is_bounded_and_reproducible() {
        let p = policy(true);
        for attempt in 2..=5 {
            let d = delay_ms(&p, "run-1/enrich/0", attempt);
            assert_eq!(d, delay_ms(&p, "run-1/enrich/0", attempt));
            let plain = delay_ms(&policy(false), "x", attempt) as f64;
            assert!(
                (d as f64) >= (plain * 0.8).floor()
                    && (d as f64) <= (plain * 1.2).ceil().min(1_000.0)
            );
        }
        assert_ne!(delay_ms(&p, "a", 3), delay_ms(&p, "b", 3));
    }
}
