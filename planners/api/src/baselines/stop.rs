use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};

/// Stops at once: the trajectory is the start alone.
#[derive(Debug, Default)]
pub struct StopPlanner;

impl Planner for StopPlanner {
    fn reset(&mut self, _context: &EpisodeContext) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, _observation: &Observation) -> Result<Action, PlannerError> {
        Ok(Action::Stop)
    }
}
