use super::unsupported;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};

/// The expert: in a household, replays the episode's expert plan (ALFRED's
/// `plan.low_actions`, given as the environment's teacher), then stops; in a grounding task,
/// answers each step's gold object (the teacher), so it scores 100 %.
#[derive(Debug, Default)]
pub struct ExpertPlanner;

impl Planner for ExpertPlanner {
    fn reset(&mut self, _context: &EpisodeContext) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        match observation {
            Observation::Household(obs) => Ok(obs.teacher.clone().unwrap_or(Action::Stop)),
            Observation::Grounding(obs) => Ok(obs
                .teacher
                .map_or(Action::Stop, |object_id| Action::Ground { object_id })),
            other => Err(unsupported("expert", other)),
        }
    }
}
