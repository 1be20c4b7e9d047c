//! What can go wrong while reading run folders or writing a report; every error names the
//! folder or file at fault.

use std::path::PathBuf;
use waymark_eval::EvalError;

/// A failure to read runs or write their report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No run folder was given.
    #[error("a report needs at least one run folder")]
    NoRuns,
    /// The folder is not a run folder (it does not exist, or has no `run.json`).
    #[error("{} is not a run folder: {reason}", dir.display())]
    NotARun {
        /// The folder.
        dir: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// The folder holds a run that never finished: it has no `summary.json`.
    #[error(
        "{} is not a finished run: it has no summary.json (the run never finished; rerunning its `waymark eval` command resumes it)",
        dir.display()
    )]
    Unfinished {
        /// The folder.
        dir: PathBuf,
    },
    /// `run.json` or `episodes.jsonl` could not be read.
    #[error("cannot read run folder {}: {source}", dir.display())]
    Read {
        /// The folder.
        dir: PathBuf,
        /// What went wrong, naming the file.
        source: Box<EvalError>,
    },
    /// The run's task is not one this build knows.
    #[error("{}: {source}", dir.display())]
    UnknownTask {
        /// The folder.
        dir: PathBuf,
        /// The registry's answer (it lists the known tasks).
        source: Box<EvalError>,
    },
    /// Runs of different tasks cannot share one report.
    #[error(
        "cannot compare runs of different tasks: {} is a `{first_task}` run but {} is a `{other_task}` run",
        first.display(),
        other.display()
    )]
    MixedTasks {
        /// The first run's folder.
        first: PathBuf,
        /// Its task.
        first_task: String,
        /// The folder of the first run of another task.
        other: PathBuf,
        /// That run's task.
        other_task: String,
    },
    /// A line of a step log is not a step log entry.
    #[error("{}:{line}: not a step log entry: {message}", path.display())]
    StepLog {
        /// The step log.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written (`summary.json`, a step log, the report).
    #[error(transparent)]
    File(#[from] waymark_io::IoError),
}
