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
    /// An input of the run in the output folder has other content now.
    #[error(
        "{path} holds a run whose --{input} had content {found}; it now has {expected}: the input changed since, so resuming or merging would mix results (use another --out folder, or the same input)"
    )]
    InputChanged {
        /// The `run.json` file.
        path: PathBuf,
        /// The option naming the input.
        input: String,
        /// The recorded fingerprint.
        found: String,
        /// The fingerprint now.
        expected: String,
    },
    /// The output folder is a file.
    #[error("--out {0} is a file, not a folder")]
    NotAFolder(PathBuf),
    /// The episode file holds no episode.
    #[error("{0} holds no episode: nothing to evaluate")]
    NoEpisodes(PathBuf),
    /// A submission scored no episode.
    #[error("{0} scores no episode: it is empty or matches none of the episodes")]
    EmptySubmission(PathBuf),
    /// Another process is writing the output folder.
    #[error("{dir} is being written by another waymark process{}; wait for it or use another --out folder", holder.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Locked {
        /// The output folder.
        dir: PathBuf,
        /// The process holding it, when known.
        holder: Option<u32>,
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
    /// The folders given to `merge` are not the complete, distinct shards of one batch.
    #[error("{message}")]
    MergeShard {
        /// What is wrong.
        message: String,
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
