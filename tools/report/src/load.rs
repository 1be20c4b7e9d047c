//! A run folder as the report reads it: manifest, summary and records up front, step logs when
//! they are rendered.

use crate::error::ReportError;
use std::path::{Path, PathBuf};
use waymark_eval::run_dir::{MANIFEST_FILE, RunDir, SUMMARY_FILE};
use waymark_eval::{RunManifest, Summary};
use waymark_io::{IoError, read_json};
use waymark_planner::StepLogEntry;
use waymark_task::EpisodeRecord;

/// One finished run folder (written by `waymark eval` or `waymark merge`).
#[derive(Clone, Debug)]
pub struct Run {
    /// The folder.
    pub dir: PathBuf,
    /// Its `run.json`.
    pub manifest: RunManifest,
    /// Its `summary.json`.
    pub summary: Summary,
    /// Its `episodes.jsonl`, in file order.
    pub records: Vec<EpisodeRecord>,
}

impl Run {
    /// Reads the run in `dir`. A folder without `run.json` is not a run, one without
    /// `summary.json` a run that never finished; both errors name the folder.
    pub fn load(dir: &Path) -> Result<Self, ReportError> {
        let not_a_run = |reason: &str| ReportError::NotARun {
            dir: dir.to_path_buf(),
            reason: reason.into(),
        };
        if !dir.exists() {
            return Err(not_a_run("it does not exist"));
        }
        if !dir.is_dir() {
            return Err(not_a_run("it is not a folder"));
        }
        if !dir.join(MANIFEST_FILE).is_file() {
            return Err(not_a_run("it has no run.json"));
        }
        if !dir.join(SUMMARY_FILE).is_file() {
            return Err(ReportError::Unfinished {
                dir: dir.to_path_buf(),
            });
        }
        let (manifest, records) = RunDir::new(dir)
            .read()
            .map_err(|source| ReportError::Read {
                dir: dir.to_path_buf(),
                source: Box::new(source),
            })?;
        let summary = read_json(&dir.join(SUMMARY_FILE))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            manifest,
            summary,
            records,
        })
    }

    /// The folder's name (its whole path when it has none, as `.`).
    pub fn name(&self) -> String {
        self.dir.file_name().map_or_else(
            || self.dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Where the step log of episode `id` would be.
    pub(crate) fn step_log_path(&self, id: &str) -> PathBuf {
        RunDir::new(&self.dir).step_log_path(id)
    }

    /// The step log of episode `id`, `None` when the planner wrote none.
    pub(crate) fn step_log(&self, id: &str) -> Result<Option<Vec<StepLogEntry>>, ReportError> {
        let path = self.step_log_path(id);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(IoError::io(&path, e).into()),
        };
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry = serde_json::from_str(line).map_err(|e| ReportError::StepLog {
                path: path.clone(),
                line: i + 1,
                message: e.to_string(),
            })?;
            entries.push(entry);
        }
        Ok(Some(entries))
    }
}
