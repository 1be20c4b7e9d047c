//! Errors of batch evaluation. Each names the file, the instruction or the setting at fault.

use std::path::PathBuf;
use waymark_core::InstrId;

/// A failure that stops a batch (per-episode planner failures are recorded, not raised).
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A scene or episode file could not be read.
    #[error(transparent)]
    Scene(#[from] waymark_scenes::SceneError),
    /// The simulator rejected an episode or a trajectory.
    #[error(transparent)]
    Sim(#[from] waymark_sim::SimError),
    /// The planner could not be created.
    #[error(transparent)]
    Planner(#[from] waymark_planner::PlannerError),
    /// A file of the output folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
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
    /// A submission names an instruction the episode file lacks.
    #[error("submission entry {index}: unknown instruction id {instr_id}")]
    UnknownInstruction {
        /// The entry's position in the submission.
        index: usize,
        /// The id.
        instr_id: InstrId,
    },
    /// A submission lacks instructions of the episode file.
    #[error("trajectories not provided for {count} instruction ids, for example {examples}")]
    MissingInstructions {
        /// How many are missing.
        count: usize,
        /// The first few, comma separated.
        examples: String,
    },
    /// The same instruction twice, with different content.
    #[error("{instr_id} appears twice{context}")]
    Duplicate {
        /// The id.
        instr_id: InstrId,
        /// Where (file names), possibly empty.
        context: String,
    },
    /// A bad command-line value.
    #[error("{0}")]
    Invalid(String),
}

impl EvalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
