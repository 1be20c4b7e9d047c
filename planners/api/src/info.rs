//! What a planner declares about itself.

use serde::{Deserialize, Serialize};
use waymark_core::SensorRequest;

/// A planner's declaration: what it can drive and what it needs. The batch runner checks it
/// against the task before the first episode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannerInfo {
    /// The registry name.
    pub name: String,
    /// One line for `waymark planners`.
    pub description: String,
    /// Task names (`r2r`) or observation kinds (`discrete_nav`) it can drive; `*` for any.
    pub supports: Vec<String>,
    /// Whether it needs privileged information (the teacher's next step, the reference
    /// path). Only such planners ever receive it, and runs record that they did.
    pub privileged: bool,
    /// Sensor readings its observations should carry (objects per direction, rendered
    /// views); the environment produces them from the scene it holds.
    #[serde(default, skip_serializing_if = "SensorRequest::is_empty")]
    pub sensors: SensorRequest,
    /// The smallest step limit it works under (an LLM planner whose moves take several
    /// actions), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_max_steps: Option<u32>,
}

impl PlannerInfo {
    /// A declaration with no step-limit requirement.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        supports: &[&str],
        privileged: bool,
    ) -> Self {
        Self {
            name: name.into(),
            description: description.into(),
            supports: supports.iter().map(|s| s.to_string()).collect(),
            privileged,
            sensors: SensorRequest::default(),
            min_max_steps: None,
        }
    }

    /// Whether it can drive task `task`, whose observations are of kind `observation_kind`.
    pub fn supports(&self, task: &str, observation_kind: &str) -> bool {
        self.supports
            .iter()
            .any(|s| s == "*" || s == task || s == observation_kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_by_task_name_kind_or_wildcard() {
        let p = PlannerInfo::new("p", "", &["discrete_nav", "vlnce"], false);
        assert!(p.supports("r2r", "discrete_nav"));
        assert!(p.supports("vlnce", "continuous_nav"));
        assert!(!p.supports("alfred", "interaction"));
        assert!(PlannerInfo::new("any", "", &["*"], false).supports("x", "y"));
    }
}
