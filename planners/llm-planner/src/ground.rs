//! Which object a step means: the household executor's choice
//! ([`waymark_household::candidates`], the released agent's costs with waymark's additions,
//! documented there) among the objects of the type the step's argument names.

use crate::parse::Kind;
use waymark_core::HouseholdObservation;
use waymark_household::{History, Primitive, Scene, SceneObject, candidates, cheapest};

/// The primitive a step of `kind` runs.
pub fn primitive(kind: Kind) -> Primitive {
    match kind {
        Kind::Navigation => Primitive::GoTo,
        Kind::Interact(i) => Primitive::Interact(i),
    }
}

/// The object a step of `kind` on type `name` acts on, if the scene has one.
pub fn choose<'a>(
    scene: &'a Scene,
    obs: &HouseholdObservation,
    kind: Kind,
    name: &str,
    history: &History<'_>,
) -> Option<&'a SceneObject> {
    cheapest(&candidates(scene, obs, primitive(kind), name, history))
}
