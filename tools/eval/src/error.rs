//! Errors of batch evaluation. Each names the file, the episode, the planner or the setting at
//! fault.

use std::path::PathBuf;

/// A failure that stops a batch (per-episode planner failures are recorded, not raised).
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The task could not open, check, run or score its episodes.
    #[error(transparent)]
    Task(#[from] waymark_task::TaskError),
    /// The planner could not be created.
    #[error(transparent)]
    Planner(#[from] waymark_planner::PlannerError),
    /// An output file could not be read or written.
    #[error(transparent)]
    File(#[from] waymark_io::IoError),
    /// A file of the output folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// No task of that name.
    #[error("unknown task `{name}`; available: {available}")]
    UnknownTask {
        /// The requested name.
        name: String,
        /// The registered names.
        available: String,
    },
    /// The planner does not declare the task.
    #[error(
        "planner `{planner}` does not support task `{task}` ({kind} observations); it supports: {supports}"
    )]
    Unsupported {
        /// The planner.
        planner: String,
        /// The task.
        task: String,
        /// The task's observation kind.
        kind: String,
        /// What the planner declares.
        supports: String,
    },
    /// The task's step limit is below what the planner needs.
    #[error(
        "planner `{planner}` needs a step limit of at least {needed}, but the task allows {max_steps}: raise --max-steps"
    )]
    StepLimit {
        /// The planner.
        planner: String,
        /// Its minimum.
        needed: u32,
        /// The task's limit.
        max_steps: u32,
    },
    /// A line of `episodes.jsonl` is not a valid record.
    #[error("{path}:{line}: {message}")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The output folder holds a run with other settings.
    #[error(
        "{path} holds a run with {setting} = {found}, but this run has {expected}; use another --out folder or the same settings"
    )]
    ManifestMismatch {
        /// The `run.json` file.
        path: PathBuf,
        /// The differing setting.
        setting: String,
        /// The folder's value.
        found: String,
        /// This run's value.
        expected: String,
    },
    /// A record of the output folder is not an episode of this run's selection.
    #[error("{dir}: {id} is not episode {index} of this run's selection")]
    NotInSelection {
        /// The output folder.
        dir: PathBuf,
        /// The record's episode id.
        id: String,
        /// The record's position.
        index: usize,
    },
    /// The same episode twice, with different content.
    #[error("{id} appears twice{context}")]
    Duplicate {
        /// The id.
        id: String,
        /// Where (file names), possibly empty.
        context: String,
    },
    /// A record could not be turned into JSON.
    #[error("cannot serialize the record of {id}: {message}")]
    Serialize {
        /// The episode id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The worker pool could not start.
    #[error("cannot start {workers} workers: {message}")]
    Workers {
        /// How many were asked for.
        workers: usize,
        /// Why not.
        message: String,
    },
    /// `--shard` is not `I/N`.
    #[error("shard `{text}` is not of the form I/N with 0 ≤ I < N")]
    BadShard {
        /// The text given.
        text: String,
    },
    /// `merge` was given no folder.
    #[error("merge needs at least one run folder")]
    NothingToMerge,
}

impl EvalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
