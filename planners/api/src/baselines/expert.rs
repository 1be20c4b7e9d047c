use super::unsupported;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};

/// The expert: in a household, replays the episode's expert plan (ALFRED's
/// `plan.low_actions`, given as the environment's teacher), then stops; in a grounding task,
/// answers each step's gold object (the teacher), so it scores 100 %; in navigate-then-ground
/// it takes the agent's teacher action (walk to the object's viewpoint, face it, ground it).
#[derive(Debug, Default)]
pub struct ExpertPlanner;

impl Planner for ExpertPlanner {
    fn reset(&mut self, _context: &EpisodeContext) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        match observation {
            Observation::Household(obs) => Ok(obs.teacher.clone().unwrap_or(Action::Stop)),
            Observation::Grounding(obs) => Ok(match &obs.agent {
                Some(agent) => agent.teacher.clone().unwrap_or(Action::Stop),
                None => obs
                    .teacher
                    .map_or(Action::Stop, |object_id| Action::Ground { object_id }),
            }),
            other => Err(unsupported("expert", other)),
        }
    }
}
