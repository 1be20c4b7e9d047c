use super::unsupported;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};

/// The household expert: replays the episode's expert plan (ALFRED's `plan.low_actions`,
/// given as the environment's teacher), then stops.
#[derive(Debug, Default)]
pub struct ExpertPlanner;

impl Planner for ExpertPlanner {
    fn reset(&mut self, _context: &EpisodeContext) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        match observation {
            Observation::Household(obs) => Ok(obs.teacher.clone().unwrap_or(Action::Stop)),
            other => Err(unsupported("expert", other)),
        }
    }
}
