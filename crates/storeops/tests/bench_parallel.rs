//! `storeops bench workflow --workload parallel` end to end: every call of
//! both workflows reaches the loopback server exactly once, the three calls
//! in a row take at least three answer times, and the three branches of
//! the `parallel` step take less.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_ok, storeops};

#[test]
fn the_parallel_workload_makes_every_call_once_and_fans_out() {
    let dir = tempfile::tempdir().unwrap();
    let result = json_ok(&storeops(
        &[
            "bench",
            "workflow",
            "--workload",
            "parallel",
            "--n",
            "30",
            "--latency-n",
            "5",
            "--call-ms",
            "100",
        ],
        dir.path(),
    ));
    assert_eq!(result["workload"], "parallel");
    assert_eq!(
        (result["branches"].as_u64(), result["call_ms"].as_u64()),
        (Some(3), Some(100))
    );
    // (5 + 30) runs of each workflow, three calls each.
    assert_eq!(result["calls_expected"], 210, "{result}");
    assert_eq!(result["calls_answered"], 210, "{result}");
    let p50 = |w: &str| result[w]["p50_ms"].as_f64().unwrap();
    assert!(p50("chain") >= 300.0, "{result}");
    // Less than three answer times: the calls overlapped.
    assert!(p50("fanout") >= 100.0 && p50("fanout") < 300.0, "{result}");
    assert!(result["fanout"]["workflows_per_s"].as_f64().unwrap() > 0.0);
}
