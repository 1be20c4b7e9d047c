//! Which object a step means, chosen as LLM-Planner's released agent chooses
//! (`thor_connector.py`): among the objects of the named type, the nearest, with penalties
//! that steer away from objects inside closed receptacles (+100000) and out of view (+1000),
//! and towards slices once something has been sliced (−100).
//!
//! Two choices are waymark's. The view penalty applies to every step, not only to navigation
//! and pick-up: the released agent's put tries the next-nearest receptacle when the nearest
//! fails, and here every interaction needs its object in view. Navigation avoids objects the
//! agent has already put somewhere this episode (+10000) when another of the type is left:
//! the released agent walks back to the object it just placed in two-object tasks, which its
//! evaluation leaves out. A pick-up prefers (−500, less than the view penalty) the object the
//! agent last put down when it has not navigated since: heating, cooling and rinsing take back
//! what was put in, where the released agent may take another of the type that is nearer.
//! Slicing considers whole objects only (a slice's id starts with its whole's type).
//!
//! A type matches an object when it equals, ignoring case, the object's own type or the
//! first segment of its id. The released agent compares the first segment only, so
//! `SinkBasin` and `AppleSliced` (whose ids start `Sink|`, `Apple|`) never match there even
//! though its examples use them; matching the type too lets the steps its own examples teach
//! resolve.

use waymark_core::{HouseholdObservation, Interaction};
use waymark_household::{Scene, SceneObject};

use crate::parse::Kind;

const IN_CLOSED: f64 = 100_000.0;
const OUT_OF_VIEW: f64 = 1000.0;
const SLICE_BONUS: f64 = 100.0;
const PLACED: f64 = 10_000.0;
const JUST_PUT: f64 = 500.0;

/// Whether `object` is of the type `name` names (see the module's note).
pub fn matches(name: &str, object: &SceneObject) -> bool {
    object.object_type.eq_ignore_ascii_case(name)
        || object
            .id
            .split('|')
            .next()
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(name))
}

/// The object a step of `kind` on type `name` acts on, if the scene has one. `sliced_before`:
/// a slice step has run in this episode; `placed`: the objects the agent has put somewhere;
/// `just_put`: the object last put down, when the agent has not navigated since.
pub fn choose<'a>(
    scene: &'a Scene,
    obs: &HouseholdObservation,
    kind: Kind,
    name: &str,
    sliced_before: bool,
    placed: &[String],
    just_put: Option<&str>,
) -> Option<&'a SceneObject> {
    let able = |o: &SceneObject| match kind {
        Kind::Interact(Interaction::Pickup) => o.pickupable,
        Kind::Interact(Interaction::ToggleOn | Interaction::ToggleOff) => o.toggleable,
        Kind::Interact(Interaction::Put) => o.receptacle,
        Kind::Interact(Interaction::Slice) => !o.id.contains("Sliced"),
        _ => true,
    };
    let visible = |o: &SceneObject| obs.visible.iter().any(|v| v.id == o.id);
    scene
        .objects()
        .iter()
        .filter(|o| matches(name, o) && able(o) && obs.held.as_deref() != Some(&o.id))
        .map(|o| {
            let mut score = (o.position_m - obs.position_m).length();
            if scene.in_closed_receptacle(&o.id) {
                score += IN_CLOSED;
            }
            if !visible(o) {
                score += OUT_OF_VIEW;
            }
            if kind == Kind::Navigation && placed.contains(&o.id) {
                score += PLACED;
            }
            if kind == Kind::Interact(Interaction::Pickup) && just_put == Some(o.id.as_str()) {
                score -= JUST_PUT;
            }
            if sliced_before && o.id.contains("Sliced") {
                score -= SLICE_BONUS;
            }
            (o, score)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)))
        .map(|(o, _)| o)
}
