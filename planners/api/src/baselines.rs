//! Baseline planners: `stop`, `random` and `shortest`.

mod random;
mod shortest;
mod stop;

pub use random::RandomPlanner;
pub use shortest::ShortestPlanner;
pub use stop::StopPlanner;

use crate::{Observation, PlannerError};
use waymark_core::DiscreteNavObservation;

/// The discrete-navigation part of an observation, or an error naming the planner.
fn discrete<'o>(
    planner: &'static str,
    observation: &'o Observation,
) -> Result<&'o DiscreteNavObservation, PlannerError> {
    match observation {
        Observation::DiscreteNav(obs) => Ok(obs),
        _ => Err(PlannerError::UnsupportedObservation {
            planner,
            task: "non-discrete-navigation",
        }),
    }
}
