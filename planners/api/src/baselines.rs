//! Baseline planners: `stop`, `random`, `shortest` and (households) `expert`.

mod expert;
mod random;
mod shortest;
mod stop;

pub use expert::ExpertPlanner;
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
