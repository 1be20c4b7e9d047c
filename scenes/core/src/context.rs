//! What a planner learns at the start of an episode.

use serde::{Deserialize, Serialize};

/// The episode a planner is asked to solve, whatever the task. The same JSON object is the
/// `context` of the JSON-lines protocol's `reset` message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpisodeContext {
    /// The task's registry name (`r2r`, `vlnce`, …).
    pub task: String,
    /// The kind of observations the episode gives (`discrete_nav`, `continuous_nav`, …).
    pub observation_kind: String,
    /// The episode's id (for R2R, the instruction id).
    pub episode_id: String,
    /// The scan or scene the episode takes place in.
    pub scene: String,
    /// The natural-language instruction.
    pub instruction: String,
    /// The instruction's language tag (`en-US`, `ar`, …) when known.
    #[serde(default)]
    pub language: Option<String>,
    /// A seed derived from the run's seed and the episode id, so any randomness is the same
    /// whatever the worker count or order.
    pub seed: u64,
    /// Actions allowed before the episode ends.
    pub max_steps: u32,
    /// The task's privileged view of the episode (the reference path, the goal), given only
    /// to planners that declare they need privileged information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<serde_json::Value>,
}
