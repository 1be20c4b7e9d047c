use super::discrete;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};

/// The shortest-path oracle: follows the environment's teacher hop to the goal, then stops.
#[derive(Debug, Default)]
pub struct ShortestPlanner;

impl Planner for ShortestPlanner {
    fn reset(&mut self, _context: EpisodeContext<'_>) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let obs = discrete("shortest", observation)?;
        Ok(match &obs.teacher {
            Some(next) => Action::MoveTo {
                viewpoint: next.clone(),
            },
            None => Action::Stop,
        })
    }
}
