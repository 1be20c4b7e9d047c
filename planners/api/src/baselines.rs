//! Baseline planners: `stop`, `random`, `shortest`, `expert` (households, grounding) and
//! (grounding) `label-match`.

mod approach;
mod expert;
mod label_match;
mod random;
mod shortest;
mod stop;

pub use expert::ExpertPlanner;
pub use label_match::LabelMatchPlanner;
pub use random::RandomPlanner;
pub use shortest::ShortestPlanner;
pub use stop::StopPlanner;

use crate::PlannerError;

/// The error for an observation a baseline does not handle.
fn unsupported(planner: &str, observation: &crate::Observation) -> PlannerError {
    PlannerError::UnsupportedObservation {
        planner: planner.to_string(),
        kind: observation.kind().to_string(),
    }
}
