use super::unsupported;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};

/// The shortest-path oracle: follows the environment's teacher (the next viewpoint on a
/// shortest path, or the action of a geodesic path follower) to the goal, then stops.
#[derive(Debug, Default)]
pub struct ShortestPlanner;

impl Planner for ShortestPlanner {
    fn reset(&mut self, _context: &EpisodeContext) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        Ok(match observation {
            Observation::DiscreteNav(obs) => match &obs.teacher {
                Some(next) => Action::MoveTo {
                    viewpoint: next.clone(),
                },
                None => Action::Stop,
            },
            Observation::ContinuousNav(obs) => obs.teacher.clone().unwrap_or(Action::Stop),
            other => return Err(unsupported("shortest", other)),
        })
    }
}
