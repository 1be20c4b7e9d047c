//! An output folder: `run.json`, `episodes.jsonl`, `submission.json`, `summary.json`.
//!
//! `episodes.jsonl` is append-only while a run is in flight: each finished instruction is one
//! `write` of one whole line, so a run killed at any moment leaves complete lines (and at worst
//! a torn last line, which resuming cuts off). The other files are written atomically (a
//! temporary file, then a rename) when the batch ends.

use crate::error::EvalError;
use crate::record::{EndReason, EpisodeRecord, RunManifest, SubmissionEntry, Trajectory};
use crate::summary::Summary;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use waymark_core::InstrId;
use waymark_scenes::json::{read_json, write_json_atomic};

/// The names of the files in an output folder.
pub const MANIFEST_FILE: &str = "run.json";
/// One line per finished instruction.
pub const EPISODES_FILE: &str = "episodes.jsonl";
/// The official submission.
pub const SUBMISSION_FILE: &str = "submission.json";
/// Means overall and per group.
pub const SUMMARY_FILE: &str = "summary.json";
/// The planners' step logs, one `<instr_id>.jsonl` per instruction.
pub const STEPS_DIR: &str = "steps";

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

    /// The step log of `instr_id`: `steps/<instr_id>.jsonl` (characters other than ASCII
    /// letters, digits, `-`, `_` and `.` become `_`).
    pub fn step_log_path(&self, instr_id: &InstrId) -> PathBuf {
        let name: String = instr_id
            .as_str()
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

    /// Writes the step log of `instr_id` (one JSON value per line) atomically, replacing the
    /// log of an earlier, interrupted attempt.
    pub fn write_step_log(&self, instr_id: &InstrId, lines: &[String]) -> Result<(), EvalError> {
        let path = self.step_log_path(instr_id);
        let steps = self.dir.join(STEPS_DIR);
        std::fs::create_dir_all(&steps).map_err(|e| EvalError::io(&steps, e))?;
        let mut bytes = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        Ok(waymark_scenes::json::write_bytes_atomic(&path, &bytes)?)
    }

    /// Writes the final files: `episodes.jsonl` sorted by file position, `submission.json`,
    /// `summary.json` (and `run.json`). Returns the summary.
    pub fn finalize(
        &self,
        manifest: &RunManifest,
        mut records: Vec<EpisodeRecord>,
    ) -> Result<Summary, EvalError> {
        records.sort_by_key(|r| r.index);
        let mut lines = Vec::new();
        for r in &records {
            serde_json::to_writer(&mut lines, r)
                .map_err(|e| EvalError::Invalid(format!("cannot serialize {}: {e}", r.instr_id)))?;
            lines.push(b'\n');
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| EvalError::io(&self.dir, e))?;
        waymark_scenes::json::write_bytes_atomic(&self.file(EPISODES_FILE), &lines)?;
        write_submission(&self.file(SUBMISSION_FILE), &records)?;
        let summary = Summary::of(manifest, &records);
        write_json_atomic(&self.file(SUMMARY_FILE), &summary, true)?;
        write_json_atomic(&self.file(MANIFEST_FILE), manifest, true)?;
        Ok(summary)
    }
}

/// Writes the official submission: R2R's `[{instr_id, trajectory}]` for graph tasks, VLN-CE's
/// `{episode_id: [{position, heading, stop}]}` (Habitat frame: y up, heading counter-clockwise)
/// for continuous ones.
fn write_submission(path: &Path, records: &[EpisodeRecord]) -> Result<(), EvalError> {
    let graph: Vec<SubmissionEntry> = records.iter().filter_map(SubmissionEntry::of).collect();
    if graph.len() == records.len() {
        return Ok(write_json_atomic(path, &graph, false)?);
    }
    let mut continuous = serde_json::Map::new();
    for r in records {
        let Trajectory::Continuous(poses) = &r.trajectory else {
            continue;
        };
        let stopped = r.end == EndReason::Stopped;
        let steps: Vec<serde_json::Value> = poses
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let [x, y, z] = p.position;
                serde_json::json!({
                    "position": [x, z, -y],
                    "heading": -p.heading,
                    "stop": stopped && i + 1 == poses.len(),
                })
            })
            .collect();
        continuous.insert(r.instr_id.to_string(), serde_json::Value::Array(steps));
    }
    Ok(write_json_atomic(path, &continuous, false)?)
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
        let mut line = serde_json::to_vec(record).map_err(|e| {
            EvalError::Invalid(format!("cannot serialize {}: {e}", record.instr_id))
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
    let (found, expected) = (as_map(found), as_map(expected));
    for (setting, value) in &expected {
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
