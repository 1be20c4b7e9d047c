//! An output folder: `run.json`, `episodes.jsonl`, `submission.json`, `summary.json`.
//!
//! `episodes.jsonl` is append-only while a run is in flight: each finished instruction is one
//! `write` of one whole line, so a run killed at any moment leaves complete lines (and at worst
//! a torn last line, which resuming cuts off). The other files are written atomically (a
//! temporary file, then a rename) when the batch ends.

use crate::batch::RunManifest;
use crate::error::EvalError;
use crate::summary::Summary;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use waymark_io::{read_json, write_bytes_atomic, write_json_atomic};
use waymark_planner::StepLogEntry;
use waymark_task::{EpisodeRecord, Task};

/// The names of the files in an output folder.
pub const MANIFEST_FILE: &str = "run.json";
/// One line per finished episode.
pub const EPISODES_FILE: &str = "episodes.jsonl";
/// The official submission.
pub const SUBMISSION_FILE: &str = "submission.json";
/// Means overall and per group.
pub const SUMMARY_FILE: &str = "summary.json";
/// The planners' step logs, one `<episode id>.jsonl` per episode.
pub const STEPS_DIR: &str = "steps";
/// The lock a process holds while it writes the folder (it holds that process's id).
pub const LOCK_FILE: &str = "run.lock";

/// An output folder held by this process; released when dropped (or when the process dies:
/// the operating system releases the lock).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

/// An output folder.
#[derive(Debug, Clone)]
pub struct RunDir {
    dir: PathBuf,
}

impl RunDir {
    /// A handle on `dir` (nothing is read or written yet).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Takes the folder for this process (creating it): a second process writing the same
    /// folder is refused, with the id of the one that holds it.
    pub fn lock(&self) -> Result<DirLock, EvalError> {
        if self.dir.exists() && !self.dir.is_dir() {
            return Err(EvalError::NotAFolder(self.dir.clone()));
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| EvalError::io(&self.dir, e))?;
        let path = self.file(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| EvalError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {
                file.set_len(0).map_err(|e| EvalError::io(&path, e))?;
                write!(file, "{}", std::process::id()).map_err(|e| EvalError::io(&path, e))?;
                let lock = DirLock { _file: file };
                self.remove_stale_temporaries()?;
                Ok(lock)
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // The holder's id is informative only; an unreadable one is left out.
                let _ = std::io::Read::read_to_string(&mut file, &mut holder);
                Err(EvalError::Locked {
                    dir: self.dir.clone(),
                    holder: holder.trim().parse().ok(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => Err(EvalError::io(&path, e)),
        }
    }

    /// Removes the temporary files of atomic writes a killed process left (`.<name>.tmp…`):
    /// with the folder locked, no other process is writing one.
    fn remove_stale_temporaries(&self) -> Result<(), EvalError> {
        for dir in [self.dir.clone(), self.dir.join(STEPS_DIR)] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.map_err(|e| EvalError::io(&dir, e))?.path();
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                if name.is_some_and(|n| n.starts_with('.') && n.contains(".tmp")) && path.is_file()
                {
                    tracing::info!(path = %path.display(), "removing a killed run's temporary file");
                    std::fs::remove_file(&path).map_err(|e| EvalError::io(&path, e))?;
                }
            }
        }
        Ok(())
    }

    /// Opens the folder for `manifest`'s run: creates it, or checks that the run already in it
    /// has the same settings, and returns the records it already holds.
    pub fn create_or_resume(
        &self,
        manifest: &RunManifest,
    ) -> Result<Vec<EpisodeRecord>, EvalError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| EvalError::io(&self.dir, e))?;
        let manifest_path = self.file(MANIFEST_FILE);
        if manifest_path.is_file() {
            let found: RunManifest = read_json(&manifest_path)?;
            check_same_run(&manifest_path, &found, manifest)?;
        } else {
            write_json_atomic(&manifest_path, manifest, true)?;
        }
        read_records(&self.file(EPISODES_FILE), true)
    }

    /// Reads a finished or partial folder without changing it: its manifest and records.
    pub fn read(&self) -> Result<(RunManifest, Vec<EpisodeRecord>), EvalError> {
        let manifest: RunManifest = read_json(&self.file(MANIFEST_FILE))?;
        let records = read_records(&self.file(EPISODES_FILE), false)?;
        Ok((manifest, records))
    }

    /// Opens `episodes.jsonl` for appending.
    pub fn appender(&self) -> Result<RecordAppender, EvalError> {
        let path = self.file(EPISODES_FILE);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| EvalError::io(&path, e))?;
        Ok(RecordAppender { path, file })
    }

    /// The step log of episode `id`: `steps/<id>.jsonl` (characters other than ASCII
    /// letters, digits, `-`, `_` and `.` become `_`).
    pub fn step_log_path(&self, id: &str) -> PathBuf {
        let name: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(STEPS_DIR).join(format!("{name}.jsonl"))
    }

    /// Writes the step log of episode `id` (one entry per line) atomically, replacing the
    /// log of an earlier, interrupted attempt.
    pub fn write_step_log(&self, id: &str, entries: &[StepLogEntry]) -> Result<(), EvalError> {
        let path = self.step_log_path(id);
        let steps = self.dir.join(STEPS_DIR);
        std::fs::create_dir_all(&steps).map_err(|e| EvalError::io(&steps, e))?;
        let mut bytes = Vec::new();
        for entry in entries {
            serde_json::to_writer(&mut bytes, entry).map_err(|e| EvalError::Serialize {
                id: id.to_string(),
                message: e.to_string(),
            })?;
            bytes.push(b'\n');
        }
        Ok(write_bytes_atomic(&path, &bytes)?)
    }

    /// Writes `summary.json`.
    pub fn write_summary(&self, summary: &Summary) -> Result<(), EvalError> {
        Ok(write_json_atomic(&self.file(SUMMARY_FILE), summary, true)?)
    }

    /// Writes the final files: `episodes.jsonl` sorted by file position, the task's
    /// `submission.json`, `summary.json` (and `run.json`). Returns the summary.
    pub fn finalize(
        &self,
        task: &dyn Task,
        manifest: &RunManifest,
        mut records: Vec<EpisodeRecord>,
    ) -> Result<Summary, EvalError> {
        records.sort_by_key(|r| r.index);
        let mut lines = Vec::new();
        for r in &records {
            serde_json::to_writer(&mut lines, r).map_err(|e| EvalError::Serialize {
                id: r.id.clone(),
                message: e.to_string(),
            })?;
            lines.push(b'\n');
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| EvalError::io(&self.dir, e))?;
        write_bytes_atomic(&self.file(EPISODES_FILE), &lines)?;
        task.write_submission(&records, &self.file(SUBMISSION_FILE))?;
        let mut summary = Summary::of(manifest, task.info().metrics, &records);
        let mut args = waymark_task::TaskArgs::new();
        for (name, value) in &manifest.options {
            args.set(name, value.clone());
        }
        // The breakdowns read the task file again: one moved since the run (a merge on
        // another machine) leaves them out rather than the summary.
        summary.breakdowns = task.breakdowns(&args, &records).unwrap_or_else(|e| {
            tracing::warn!("{}: breakdowns left out: {e}", self.dir.display());
            waymark_task::Breakdowns::new()
        });
        self.write_summary(&summary)?;
        write_json_atomic(&self.file(MANIFEST_FILE), manifest, true)?;
        Ok(summary)
    }
}

/// Appends whole lines to `episodes.jsonl`.
#[derive(Debug)]
pub struct RecordAppender {
    path: PathBuf,
    file: File,
}

impl RecordAppender {
    /// Appends one record as one line, in a single write.
    pub fn append(&mut self, record: &EpisodeRecord) -> Result<(), EvalError> {
        let mut line = serde_json::to_vec(record).map_err(|e| EvalError::Serialize {
            id: record.id.clone(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .map_err(|e| EvalError::io(&self.path, e))
    }
}

/// Reads `episodes.jsonl`. A torn last line (no newline: the run was killed mid-write) is cut
/// off the file when `repair` is set and ignored otherwise; any other bad line is an error.
fn read_records(path: &Path, repair: bool) -> Result<Vec<EpisodeRecord>, EvalError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(EvalError::io(path, e)),
    };
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if complete < bytes.len() {
        tracing::warn!(path = %path.display(), bytes = bytes.len() - complete, "dropping a torn last line");
        if repair {
            let file = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| EvalError::io(path, e))?;
            file.set_len(complete as u64)
                .map_err(|e| EvalError::io(path, e))?;
        }
    }
    let mut records = Vec::new();
    for (i, line) in bytes[..complete].split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = serde_json::from_slice(line).map_err(|e| EvalError::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        records.push(record);
    }
    Ok(records)
}

/// Checks that two manifests describe the same run, naming the first setting that differs.
pub(crate) fn check_same_run(
    path: &Path,
    found: &RunManifest,
    expected: &RunManifest,
) -> Result<(), EvalError> {
    let as_map = |m: &RunManifest| match serde_json::to_value(m) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    for (input, hash) in &expected.inputs {
        let recorded = found.inputs.get(input);
        if recorded != Some(hash) {
            return Err(EvalError::InputChanged {
                path: path.to_path_buf(),
                input: input.clone(),
                found: recorded.cloned().unwrap_or_else(|| "none recorded".into()),
                expected: hash.clone(),
            });
        }
    }
    let (found, expected) = (as_map(found), as_map(expected));
    for (setting, value) in &expected {
        if setting == "options" {
            continue;
        }
        let other = found.get(setting).unwrap_or(&serde_json::Value::Null);
        if other != value {
            return Err(EvalError::ManifestMismatch {
                path: path.to_path_buf(),
                setting: setting.clone(),
                found: other.to_string(),
                expected: value.to_string(),
            });
        }
    }
    Ok(())
}
