//! `storeops bench workflow --crash`: a worker process is killed with
//! SIGKILL once a quarter of 1,000 runs have committed their row, a new one
//! is started, and the result rows and the step log are checked: no run
//! lost, no step completion committed twice, no completed step executed
//! again. Executions repeated before their completion was committed are
//! allowed (at-least-once) and reported. With `--workers N` (PostgreSQL),
//! N worker processes share the runs and one of them is killed, so the step
//! log also shows whether two workers ever ran one step twice.

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::json;
use storeops_runtime::submit;

use super::bench_workflow::{submissions, wait_for_rows, BenchDb, RECORD_ENTITY};
use super::bench_workflow_procs::{terminate, wait_for_file};
use super::latency::round3;
use crate::cli_workflow::WorkflowBenchArgs;

/// Runs submitted in the crash test.
const CRASH_N: usize = 1000;

/// Runs the crash test and prints one JSON line.
pub async fn run(args: &WorkflowBenchArgs) -> anyhow::Result<ExitCode> {
    let mut bench = BenchDb::create(args.backend).await?;
    bench.max_chain = args.max_chain.max(1);
    let result = crash(&bench, args).await;
    bench.drop().await;
    println!("{}", result?);
    Ok(ExitCode::SUCCESS)
}

async fn crash(bench: &BenchDb, args: &WorkflowBenchArgs) -> anyhow::Result<serde_json::Value> {
    let log = bench.dir().join("steps.log");
    let timeout = Duration::from_secs(240);
    let (mut first, ready) = bench.spawn_worker("crash-worker", Some(&log))?;
    wait_for_file(&ready, Duration::from_secs(30)).await?;
    // With --workers N, N-1 more workers share the runs and are not killed.
    let mut others = Vec::new();
    for w in 1..args.workers.max(1) {
        let (child, ready) = bench.spawn_worker(&format!("crash-worker-{w}"), Some(&log))?;
        wait_for_file(&ready, Duration::from_secs(30)).await?;
        others.push(child);
    }
    let store = bench.store.clone();
    let submitter = tokio::spawn(async move {
        for start in (0..CRASH_N).step_by(50) {
            let batch = submissions("crash", start..(start + 50).min(CRASH_N));
            submit(&store, "order-triage", batch, chrono::Utc::now()).await?;
        }
        anyhow::Ok(())
    });
    let (seen, mut second, killed_at) = if args.kill_at == 0 {
        (0, first, Instant::now())
    } else {
        let seen = wait_for_rows(&bench.store, args.kill_at as i64, timeout).await?;
        first.kill()?;
        first.wait()?;
        let killed_at = Instant::now();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (second, ready) = bench.spawn_worker("crash-worker", Some(&log))?;
        wait_for_file(&ready, Duration::from_secs(30)).await?;
        (seen, second, killed_at)
    };
    let restarted = Instant::now();
    submitter.await??;
    let rows = wait_for_rows(&bench.store, CRASH_N as i64, timeout).await?;
    let recovery = restarted.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    terminate(&mut second);
    for child in &mut others {
        terminate(child);
    }
    let stored: HashSet<String> = bench
        .store
        .outcomes(RECORD_ENTITY)
        .await?
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    let expected: Vec<String> = (0..CRASH_N).map(|i| format!("crash-{i:05}")).collect();
    let lost = expected.iter().filter(|id| !stored.contains(*id)).count();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let counts = step_log_counts(&text);
    Ok(json!({
        "workload": args.workload, "backend": format!("{:?}", args.backend).to_lowercase(),
        "n": CRASH_N, "workers": args.workers.max(1), "rows": rows, "rows_at_kill": seen, "lost": lost,
        "duplicates": counts.duplicates, "reexecuted_completed_steps": counts.reexecuted_completed,
        "reexecuted_uncommitted_steps": counts.reexecuted_uncommitted,
        "executions": counts.executions,
        "recovery_s_after_restart": round3(recovery), "killed": args.kill_at > 0,
        "kill_to_restart_s": round3(killed_at.elapsed().as_secs_f64() - restarted.elapsed().as_secs_f64()),
    }))
}

/// What the step log says.
#[derive(Debug, Default, PartialEq, Eq)]
struct StepLogCounts {
    executions: usize,
    duplicates: usize,
    reexecuted_completed: usize,
    reexecuted_uncommitted: usize,
}

/// Reads `<step> <run>` and `completed <step> <run>` lines in order.
fn step_log_counts(text: &str) -> StepLogCounts {
    let mut counts = StepLogCounts::default();
    let mut completed: HashSet<(&str, &str)> = HashSet::new();
    let mut started: HashMap<(&str, &str), usize> = HashMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        match parts.as_slice() {
            ["completed", step, run] if !completed.insert((step, run)) => {
                counts.duplicates += 1;
            }
            ["completed", _, _] => {}
            [step, run] => {
                counts.executions += 1;
                if completed.contains(&(*step, *run)) {
                    counts.reexecuted_completed += 1;
                }
                let n = started.entry((step, run)).or_default();
                *n += 1;
                if *n > 1 && !completed.contains(&(*step, *run)) {
                    counts.reexecuted_uncommitted += 1;
                }
            }
            _ => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_log_counts_tell_repeats_before_and_after_commit() {
        let log = "enrich r1\nenrich r1\ncompleted enrich r1\nhigh r1\ncompleted high r1\nhigh r1\ncompleted high r1\n";
        assert_eq!(
            step_log_counts(log),
            StepLogCounts {
                executions: 4,
                duplicates: 1,
                reexecuted_completed: 1,
                reexecuted_uncommitted: 1,
            }
        );
    }
}
