//! A running episode.

use crate::error::{StepError, TaskError};
use serde_json::value::RawValue;
use waymark_core::{Action, Metrics, Observation, SensorRequest, StepOutcome};

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
    /// computed and included only when `privileged`; sensor readings only when `sensors`
    /// asks for some (through the sensors layer, from the scene the task holds).
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError>;

    /// Takes one action.
    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError>;

    /// Scores the episode where it stands and returns its trajectory (whether the planner
    /// stopped is the environment's to know: success needs it in some tasks).
    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError>;
}
