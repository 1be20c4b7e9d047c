//! Errors of tasks. Each names the file, the episode or the option at fault.

use std::path::PathBuf;

/// A failure to open, check or score a task's episodes.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// A required option was not given.
    #[error("--{option} is required")]
    MissingOption {
        /// The option.
        option: String,
    },
    /// An option's value does not parse.
    #[error("--{option} `{value}`: {message}")]
    BadOption {
        /// The option.
        option: String,
        /// The value given.
        value: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written.
    #[error(transparent)]
    File(#[from] waymark_io::IoError),
    /// An episode cannot run (its scene, start or goal is wrong).
    #[error("{file}: episode {episode}: {message}")]
    Episode {
        /// The episode file.
        file: PathBuf,
        /// The episode id.
        episode: String,
        /// What is wrong.
        message: String,
    },
    /// A submission names an episode the episode file lacks.
    #[error("submission entry {index}: unknown episode id {id}")]
    UnknownEpisode {
        /// The entry's position in the submission.
        index: usize,
        /// The id.
        id: String,
    },
    /// A submission lacks episodes of the episode file.
    #[error("trajectories not provided for {count} episode ids, for example {examples}")]
    MissingEpisodes {
        /// How many are missing.
        count: usize,
        /// The first few, comma separated.
        examples: String,
    },
    /// The same episode twice in a submission.
    #[error("{id} appears twice in the submission")]
    DuplicateEntry {
        /// The id.
        id: String,
    },
    /// The planner asks for sensor readings the task cannot give.
    #[error("{task}: the planner asks for sensor readings, but {message}")]
    SensorsUnavailable {
        /// The task.
        task: String,
        /// Why not (the option to give, say).
        message: String,
    },
    /// A failure of the task's own loaders or simulator (scene files, graphs, walkable areas).
    #[error("{0}")]
    Source(Box<dyn std::error::Error + Send + Sync>),
}

impl TaskError {
    /// Wraps a loader's or simulator's error.
    pub fn source(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Source(Box::new(error))
    }
}

/// An action the environment rejects; the episode ends where the agent stands and the run
/// counts it as `failure.bad_action`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("episode {episode}: invalid action: {message}")]
pub struct StepError {
    /// The episode id.
    pub episode: String,
    /// What is wrong with the action.
    pub message: String,
}
