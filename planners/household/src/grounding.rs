//! Which object of a named type a step means. The cost of each candidate follows the released
//! LLM-Planner agent (`thor_connector.py`): its distance from the agent, +100000 inside a
//! closed receptacle, +1000 out of view, −100 for a slice once something has been sliced.
//! waymark adds, for every planner on this executor:
//! - the view penalty for every step, not only navigation and pick-up (the released put
//!   tries the next-nearest receptacle when the nearest fails; here every interaction needs
//!   its object in view);
//! - navigation avoids (+10000) objects the agent has already put somewhere this episode
//!   (the released agent walks back to the object it just placed in two-object tasks, which
//!   its evaluation leaves out);
//! - a pick-up prefers (−500) the object last put down when the agent has not navigated since
//!   (heating, cooling and rinsing take back what was put in; the released agent may take
//!   another of the type that is nearer);
//! - slicing considers whole objects only (a slice's id starts with its whole's type).
//!
//! A type matches an object when it equals, ignoring case, the object's own type or the
//! first segment of its id (`Sink` for `Sink|…|SinkBasin`, `Apple` for an apple's slices).

use crate::primitives::Primitive;
use crate::scene::{Scene, SceneObject};
use waymark_core::{HouseholdObservation, Interaction};

const IN_CLOSED: f64 = 100_000.0;
const OUT_OF_VIEW: f64 = 1000.0;
const SLICE_BONUS: f64 = 100.0;
const PLACED: f64 = 10_000.0;
const JUST_PUT: f64 = 500.0;

/// Whether `object` is of the type `name` names.
pub fn matches_type(name: &str, object: &SceneObject) -> bool {
    object.object_type.eq_ignore_ascii_case(name)
        || object
            .id
            .split('|')
            .next()
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(name))
}

/// What the episode so far says about which instance is meant.
#[derive(Clone, Copy, Debug, Default)]
pub struct History<'a> {
    /// A slice step has run.
    pub sliced_before: bool,
    /// The objects put somewhere, in order.
    pub placed: &'a [String],
    /// Whether a navigation step has started since the last put.
    pub navigated_since_put: bool,
}

/// The objects of type `name` that a `step` could act on, with their costs (lower is
/// better); for a put, the receptacles. The held object is never a candidate.
pub fn candidates<'a>(
    scene: &'a Scene,
    obs: &HouseholdObservation,
    step: Primitive,
    name: &str,
    history: &History<'_>,
) -> Vec<(&'a SceneObject, f64)> {
    let able = |o: &SceneObject| match step {
        Primitive::Interact(Interaction::Pickup) => o.pickupable,
        Primitive::Interact(Interaction::ToggleOn | Interaction::ToggleOff) => o.toggleable,
        Primitive::Interact(Interaction::Put) => o.receptacle,
        Primitive::Interact(Interaction::Slice) => !o.id.contains("Sliced"),
        _ => true,
    };
    let just_put = history
        .placed
        .last()
        .filter(|_| !history.navigated_since_put);
    scene
        .objects()
        .iter()
        .filter(|o| matches_type(name, o) && able(o) && obs.held.as_deref() != Some(&o.id))
        .map(|o| {
            let mut cost = (o.position_m - obs.position_m).length();
            if scene.in_closed_receptacle(&o.id) {
                cost += IN_CLOSED;
            }
            if !obs.visible.iter().any(|v| v.id == o.id) {
                cost += OUT_OF_VIEW;
            }
            if history.sliced_before && o.id.contains("Sliced") {
                cost -= SLICE_BONUS;
            }
            if step == Primitive::GoTo && history.placed.contains(&o.id) {
                cost += PLACED;
            }
            if step == Primitive::Interact(Interaction::Pickup) && just_put == Some(&o.id) {
                cost -= JUST_PUT;
            }
            (o, cost)
        })
        .collect()
}

/// The candidate of lowest cost (ties to the smaller id).
pub fn cheapest<'a>(candidates: &[(&'a SceneObject, f64)]) -> Option<&'a SceneObject> {
    candidates
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)))
        .map(|(o, _)| *o)
}
