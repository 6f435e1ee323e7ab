//! Seeded randomness: one ChaCha8 stream per generation stage, plus the few
//! distributions the generator needs. Nothing here reads the clock or the OS.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded random stream with convenience draws.
pub(crate) struct Dice {
    rng: ChaCha8Rng,
}

impl Dice {
    /// The stream for one stage of generation. Each stage has its own stream so
    /// planting problems never shifts the random choices of the clean store.
    pub(crate) fn new(seed: u64, stage: &str) -> Dice {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in stage.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Dice {
            rng: ChaCha8Rng::seed_from_u64(seed ^ hash.rotate_left(17)),
        }
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        self.rng.random_range(lo..=hi)
    }

    /// Uniform float in `[lo, hi)`.
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform index below `len` (0 when `len` is 0).
    pub(crate) fn index(&mut self, len: usize) -> usize {
        if len <= 1 {
            return 0;
        }
        self.rng.random_range(0..len)
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.index(items.len());
        &items[i]
    }

    /// An index drawn with the given non-negative weights.
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut target = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if target < *w {
                return i;
            }
            target -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// A standard normal draw (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = (1.0 - self.unit()).max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A Poisson draw with mean `lambda` (normal approximation above 30).
    pub(crate) fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            let draw = lambda + lambda.sqrt() * self.normal();
            return draw.round().max(0.0) as u64;
        }
        let limit = (-lambda).exp();
        let mut product = self.unit();
        let mut count = 0;
        while product > limit {
            count += 1;
            product *= self.unit();
        }
        count
    }

    /// Shuffles in place (Fisher–Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.rng.random_range(0..=i);
            items.swap(i, j);
        }
    }

    /// `count` distinct indices below `len`, in random order (fewer if `len` is smaller).
    pub(crate) fn distinct(&mut self, len: usize, count: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..len).collect();
        self.shuffle(&mut all);
        all.truncate(count);
        all
    }

    /// `n` random decimal digits.
    pub(crate) fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.range(0, 9) as u8))
            .collect()
    }

    /// `n` random upper-case letters and digits.
    pub(crate) fn alnum(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXY0123456789";
        (0..n).map(|_| char::from(*self.pick(CHARS))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_stage_specific() {
        let a: Vec<i64> = {
            let mut d = Dice::new(7, "orders");
            (0..5).map(|_| d.range(0, 1000)).collect()
        };
        let b: Vec<i64> = {
            let mut d = Dice::new(7, "orders");
            (0..5).map(|_| d.range(0, 1000)).collect()
        };
        let c: Vec<i64> = {
            let mut d = Dice::new(7, "tickets");
            (0..5).map(|_| d.range(0, 1000)).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn poisson_mean_is_close_to_lambda() {
        let mut d = Dice::new(1, "poisson");
        let n = 20_000;
        let small: u64 = (0..n).map(|_| d.poisson(2.5)).sum();
        let large: u64 = (0..n).map(|_| d.poisson(80.0)).sum();
        let small_mean = small as f64 / n as f64;
        let large_mean = large as f64 / n as f64;
        assert!((small_mean - 2.5).abs() < 0.05, "{small_mean}");
        assert!((large_mean - 80.0).abs() < 0.5, "{large_mean}");
    }

    #[test]
    fn distinct_indices_have_no_repeats() {
        let mut d = Dice::new(3, "distinct");
        let mut picked = d.distinct(10, 6);
        assert_eq!(picked.len(), 6);
        picked.sort_unstable();
        picked.dedup();
        assert_eq!(picked.len(), 6);
        assert!(picked.iter().all(|i| *i < 10));
        assert_eq!(d.distinct(3, 6).len(), 3);
    }

    #[test]
    fn weighted_draws_follow_weights() {
        let mut d = Dice::new(5, "weighted");
        let mut counts = [0u32; 3];
        for _ in 0..10_000 {
            counts[d.weighted(&[1.0, 0.0, 3.0])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > 2 * counts[0], "{counts:?}");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn draws_stay_in_range(seed: u64, lo in -1000i64..1000, width in 0i64..1000, len in 1usize..50) {
            let mut dice = Dice::new(seed, "properties");
            let v = dice.range(lo, lo + width);
            prop_assert!(lo <= v && v <= lo + width);
            prop_assert!(dice.index(len) < len);
            let u = dice.uniform(2.0, 3.0);
            prop_assert!((2.0..3.0).contains(&u));
            let picked = dice.distinct(len, len / 2);
            prop_assert_eq!(picked.len(), len / 2);
        }
    }
}
