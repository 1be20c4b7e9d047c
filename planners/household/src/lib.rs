//! Household skills for planners: ALFRED's high-level actions executed as low-level actions
//! on the floor plan's grid ([`SkillExecutor`]), and the `high-level-oracle` planner, which
//! runs an episode's expert high-level plan through them. [`PrimitiveExecutor`] runs the
//! one-object steps LLM household planners write (go to, open, pick up, put …) among a
//! [`Scene`]'s objects; [`describe`] gives planners the state as text.

mod grid;
mod grounding;
mod oracle;
mod primitives;
mod scene;
mod skills;
mod text;

pub use grid::{Grid, GridPose};
pub use grounding::{History, candidates, cheapest, matches_type};
pub use oracle::HighLevelOracle;
pub use primitives::{NO_MOVE_M, Primitive, PrimitiveExecutor, Progress, StepFailure};
pub use scene::{Scene, SceneObject};
pub use skills::{HighLevelAction, SkillExecutor};
pub use text::describe;

use waymark_core::{HouseholdObservation, Observation};
use waymark_planner::{PlannerError, PlannerInfo, PlannerRegistry};

/// The household observation in `observation`, or the error that `planner` does not take
/// observations of its kind.
pub fn household_observation<'a>(
    planner: &str,
    observation: &'a Observation,
) -> Result<&'a HouseholdObservation, PlannerError> {
    match observation {
        Observation::Household(obs) => Ok(obs),
        other => Err(PlannerError::UnsupportedObservation {
            planner: planner.into(),
            kind: other.kind().into(),
        }),
    }
}

/// Registers `high-level-oracle`.
pub fn register(registry: &mut PlannerRegistry) {
    registry.register(
        PlannerInfo::new(
            "high-level-oracle",
            "households: the expert's high-level plan run through the skills (privileged)",
            &["household"],
            true,
        ),
        Box::new(|| Ok(Box::new(HighLevelOracle::default()))),
    );
}
