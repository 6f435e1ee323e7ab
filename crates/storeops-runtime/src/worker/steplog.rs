//! The step-execution log of crash tests (`BENCH_STEP_LOG`): one line per
//! execution start (`<step> <run>`) and one per committed completion
//! (`completed <step> <run>`), appended with `O_APPEND` so lines written
//! before a kill -9 survive. An execution after its step's `completed`
//! line would be a completed step executed again.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use storeops_engine::HistoryEvent;

use super::active::Active;
use crate::error::RuntimeError;

/// An open step log.
#[derive(Debug)]
pub(super) struct StepLog {
    file: Mutex<File>,
}

impl StepLog {
    /// Opens (creating) the log for appending.
    pub fn open(path: &Path) -> Result<StepLog, RuntimeError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| RuntimeError::Io(path.display().to_string(), e))?;
        Ok(StepLog {
            file: Mutex::new(file),
        })
    }

    /// An execution of `step` of `run` starts.
    pub fn started(&self, step: &str, run: &str) -> std::io::Result<()> {
        self.write(&format!("{step} {run}\n"))
    }

    /// The completions in `run`'s current chunk were committed.
    pub fn committed(&self, run: &Active) -> Result<(), RuntimeError> {
        let mut lines = String::new();
        for event in &run.chunk {
            if let HistoryEvent::StepCompleted { step, .. } = event {
                lines.push_str(&format!("completed {step} {}\n", run.id));
            }
        }
        if lines.is_empty() {
            return Ok(());
        }
        self.write(&lines)
            .map_err(|e| RuntimeError::Io("step log".into(), e))
    }

    fn write(&self, text: &str) -> std::io::Result<()> {
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(text.as_bytes())
    }
}
