//! Latency summaries shared by the HTTP benchmarks.

use serde::Serialize;

/// Percentiles of a set of latencies, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Percentiles {
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

/// Nearest-rank percentiles of latencies given in microseconds.
pub fn percentiles(mut micros: Vec<u64>) -> Percentiles {
    micros.sort_unstable();
    let pick = |p: f64| -> f64 {
        if micros.is_empty() {
            return 0.0;
        }
        let rank = ((micros.len() as f64 * p).ceil() as usize).clamp(1, micros.len());
        round3(micros[rank - 1] as f64 / 1000.0)
    };
    Percentiles {
        p50_ms: pick(0.50),
        p90_ms: pick(0.90),
        p99_ms: pick(0.99),
        max_ms: pick(1.0),
    }
}

/// Rounds to three decimals for printing.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let p = percentiles((1..=100).map(|ms| ms * 1000).collect());
        assert_eq!(
            p,
            Percentiles {
                p50_ms: 50.0,
                p90_ms: 90.0,
                p99_ms: 99.0,
                max_ms: 100.0
            }
        );
        assert_eq!(percentiles(Vec::new()).p99_ms, 0.0);
        assert_eq!(percentiles(vec![1500]).p50_ms, 1.5);
    }
}
