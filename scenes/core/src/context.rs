//! What a planner learns at the start of an episode.

use serde::{Deserialize, Serialize};

/// Whether a language tag is Arabic: its primary subtag is `ar`, in any case (`ar`, `ar-SA`,
/// `AR_eg`…). Planners with Arabic prompts choose them by this.
pub fn is_arabic(tag: Option<&str>) -> bool {
    tag.and_then(|t| t.split(['-', '_']).next())
        .is_some_and(|primary| primary.eq_ignore_ascii_case("ar"))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_is_the_primary_subtag_in_any_case() {
        for tag in ["ar", "ar-SA", "AR_eg"] {
            assert!(is_arabic(Some(tag)), "{tag}");
        }
        for tag in [Some("en-US"), Some("arn"), Some(""), None] {
            assert!(!is_arabic(tag), "{tag:?}");
        }
    }
}
