//! Process helpers of the workflow benchmarks: waiting for a worker's ready
//! file, CPU seconds and peak RSS from `/proc`, stopping a child.

use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

/// Waits until `path` exists (a worker's ready file).
pub async fn wait_for_file(path: &Path, timeout: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    while !path.exists() {
        if started.elapsed() > timeout {
            anyhow::bail!("worker not ready after {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

/// CPU seconds used by this process so far (user + system).
pub fn own_cpu_s() -> f64 {
    process_cpu_s("self")
}

/// CPU seconds of process `pid` (`/proc/<pid>/stat`), 0 when unreadable.
pub fn process_cpu_s(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15; after the `)` they are 12th and 13th.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak RSS of process `pid` in MB (VmHWM).
pub fn process_peak_rss_mb(pid: u32) -> f64 {
    storeops_app::bench::proc_status_mb(&pid.to_string(), "VmHWM")
}

/// SIGTERM, then wait (bounded) for the exit.
pub fn terminate(child: &mut Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    for _ in 0..100 {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}
