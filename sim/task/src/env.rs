//! A running episode.

use crate::error::{StepError, TaskError};
use serde_json::value::RawValue;
use waymark_core::{Action, Metrics, Observation};

/// What a step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// The episode goes on.
    Running,
    /// The planner stopped.
    Stopped,
    /// The step limit was reached.
    StepLimit,
}

/// A finished episode: its metrics and its trajectory, as `episodes.jsonl` records them.
#[derive(Debug)]
pub struct EpisodeEnd {
    /// Every metric, in the task's order.
    pub metrics: Metrics,
    /// The trajectory in the task's own JSON layout.
    pub trajectory: Box<RawValue>,
}

/// One episode in progress.
pub trait Environment: Send {
    /// The observation of the current state. Privileged information (the teacher) is
    /// computed and included only when `privileged`.
    fn observe(&self, privileged: bool) -> Observation;

    /// Takes one action.
    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError>;

    /// Scores the episode where it stands and returns its trajectory. `stopped` says whether
    /// the planner chose to stop (success needs it in some tasks).
    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError>;
}
