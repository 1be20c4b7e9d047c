//! `high-level-oracle`: ALFRED's expert high-level plan (`plan.high_pddl`) run through the
//! skills, on the floor plan's grid (both privileged).

use crate::grid::Grid;
use crate::skills::{HighLevelAction, SkillExecutor};
use std::collections::VecDeque;
use waymark_core::{Action, EpisodeContext, Observation};
use waymark_planner::{Planner, PlannerError};

/// The high-level oracle.
#[derive(Debug, Default)]
pub struct HighLevelOracle {
    plan: VecDeque<HighLevelAction>,
    skills: SkillExecutor,
}

fn failed(message: String) -> PlannerError {
    PlannerError::failed("high-level-oracle", message)
}

impl Planner for HighLevelOracle {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        let privileged = context
            .privileged
            .as_ref()
            .ok_or_else(|| failed("the high-level oracle needs the privileged plan".into()))?;
        let plan = privileged["expert_high_actions"]
            .as_array()
            .ok_or_else(|| failed("no expert_high_actions in the privileged context".into()))?;
        self.plan = plan
            .iter()
            .map(HighLevelAction::from_planner_action)
            .collect::<Result<_, _>>()
            .map_err(failed)?;
        self.skills = SkillExecutor::new(Grid::from_privileged(privileged).map_err(failed)?);
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let obs = crate::household_observation("high-level-oracle", observation)?;
        loop {
            if let Some(action) = self.skills.next(obs) {
                return Ok(action);
            }
            let Some(next) = self.plan.pop_front() else {
                return Ok(Action::Stop);
            };
            self.skills.start(&next, obs);
        }
    }
}
