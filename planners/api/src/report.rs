//! What a planner reports about an episode: its step log and counters.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The step-log outcome of a planner that failed to give its report at the end of an
/// episode (its process ended or did not answer): the report then holds only that entry.
pub const REPORT_FAILED: &str = "planner_failed";

/// What a planner reports about the episode it drove, beside the environment's metrics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EpisodeReport {
    /// One entry per decision; the run writes them to `steps/<episode_id>.jsonl`.
    #[serde(default)]
    pub step_log: Vec<StepLogEntry>,
    /// Named counts summed over the run: token usage (`llm_calls`, `prompt_tokens`, …) and
    /// failures by cause (`failure.<cause>`).
    #[serde(default)]
    pub counters: BTreeMap<String, u64>,
    /// Estimated cost in USD, where prices are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
}

/// One line of a step log (`steps/<episode_id>.jsonl`): one decision of the planner. The
/// window groups entries by `step` and shows `thought`, `action` and `outcome`; anything else
/// a planner records (its prompt, the raw response, the observation text) goes in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepLogEntry {
    /// The environment step the decision was made at (actions taken before it).
    pub step: u32,
    /// The planner's reasoning, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought: Option<String>,
    /// The action it chose, in its own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// What came of the decision (`move`, `finish`, `parse_error`, …).
    pub outcome: String,
    /// Why, when the outcome is a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Planner-specific fields (prompt, response, observation text, …).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl EpisodeReport {
    /// Whether the planner failed to give this report (see [`REPORT_FAILED`]).
    pub fn report_failed(&self) -> bool {
        self.step_log.iter().any(|e| e.outcome == REPORT_FAILED)
    }
}

impl StepLogEntry {
    /// `extra` fields from a JSON object (anything else gives none).
    pub fn fields(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        match value {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_log_entries_round_trip_with_extra_fields() {
        let text = r#"{"step":2,"thought":"go left","action":"b","outcome":"move","prompt":"p","iteration":3}"#;
        let e: StepLogEntry = serde_json::from_str(text).unwrap();
        assert_eq!(e.step, 2);
        assert_eq!(e.extra["iteration"], 3);
        let back = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<StepLogEntry>(&back).unwrap(), e);
    }
}
