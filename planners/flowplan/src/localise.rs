//! Context-aligned target localisation: where several objects of a step's type exist, the one
//! whose surroundings best match the step's contextual description.
//!
//! FlowPlan fuses an object co-location prior with an LLM's reading of the description over
//! a semantic map; waymark's planners know the scene's objects (privileged), so the context
//! of each candidate is read from it directly and matched by words (waymark's scoring):
//! - a candidate's context is the types of its receptacle, of what it holds, and of every
//!   object within [`NEAR_M`] of it, each as its lower-case name and its CamelCase parts
//!   (`CounterTop` gives `countertop`, `counter`, `top`);
//! - the description's words (lower case, letters and digits, stop words and words under
//!   three letters left out, a final `s` dropped) that appear in the context are counted;
//! - each match lowers the candidate's cost by 5000, more than the executor's view penalty
//!   (1000) and less than its closed-receptacle penalty (100000): a described object out of
//!   view is walked to, one in a closed receptacle still waits for an `open`. With no match
//!   the executor's own choice stands (nearest, in view, …: see
//!   [`waymark_household::candidates`]).

use waymark_core::HouseholdObservation;
use waymark_household::{History, Primitive, Scene, SceneObject, candidates, cheapest};

/// How near an object must be to count in another's context, metres.
pub const NEAR_M: f64 = 1.0;
const PER_MATCH: f64 = 5000.0;
const STOP_WORDS: [&str; 14] = [
    "the", "and", "with", "near", "next", "from", "that", "this", "which", "where", "there", "its",
    "into", "onto",
];

fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    match w.strip_suffix('s') {
        Some(s) if s.len() >= 3 => s.to_string(),
        _ => w,
    }
}

/// The description's words that can match.
fn words(description: &str) -> Vec<String> {
    let mut out: Vec<String> = description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && !STOP_WORDS.contains(&w.to_lowercase().as_str()))
        .map(stem)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A type's words: the whole name and its CamelCase parts, lower case.
fn type_words(object_type: &str, into: &mut Vec<String>) {
    into.push(stem(object_type));
    let mut part = String::new();
    for c in object_type.chars() {
        if c.is_uppercase() && !part.is_empty() {
            into.push(stem(&part));
            part.clear();
        }
        part.push(c);
    }
    if !part.is_empty() {
        into.push(stem(&part));
    }
}

/// The words of `object`'s surroundings.
fn context(scene: &Scene, object: &SceneObject) -> Vec<String> {
    let mut out = Vec::new();
    for other in scene.objects() {
        if other.id == object.id {
            continue;
        }
        let holds = object.parent.as_deref() == Some(other.id.as_str());
        let held = other.parent.as_deref() == Some(object.id.as_str());
        let near = (other.position_m - object.position_m).length() <= NEAR_M;
        if holds || held || near {
            type_words(&other.object_type, &mut out);
        }
    }
    out
}

/// How many of the description's words `object`'s surroundings match.
pub fn matches(scene: &Scene, object: &SceneObject, description: &str) -> usize {
    let context = context(scene, object);
    words(description)
        .iter()
        .filter(|w| context.contains(w))
        .count()
}

/// The object a step on type `name` described by `description` acts on, if the scene has one.
pub fn choose<'a>(
    scene: &'a Scene,
    obs: &HouseholdObservation,
    step: Primitive,
    name: &str,
    description: &str,
    history: &History<'_>,
) -> Option<&'a SceneObject> {
    let mut list = candidates(scene, obs, step, name, history);
    for (object, cost) in &mut list {
        *cost -= PER_MATCH * matches(scene, object, description) as f64;
    }
    cheapest(&list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::DVec3;

    fn object(id: &str, t: &str, at: [f64; 3], parent: Option<&str>) -> SceneObject {
        SceneObject {
            id: id.into(),
            object_type: t.into(),
            position_m: DVec3::from_array(at),
            pickupable: t == "Apple",
            receptacle: t != "Apple",
            openable: false,
            toggleable: false,
            parent: parent.map(Into::into),
            is_open: None,
        }
    }

    #[test]
    fn the_description_picks_the_instance() {
        let scene = Scene::new(vec![
            object(
                "Apple|0|1|0",
                "Apple",
                [0.0, 1.0, 0.0],
                Some("CounterTop|0|1|0"),
            ),
            object(
                "Apple|5|1|5",
                "Apple",
                [5.0, 1.0, 5.0],
                Some("DiningTable|5|1|5"),
            ),
            object("CounterTop|0|1|0", "CounterTop", [0.0, 0.9, 0.2], None),
            object("DiningTable|5|1|5", "DiningTable", [5.0, 0.8, 5.0], None),
            object(
                "Bread|5|1|5",
                "Bread",
                [5.3, 0.9, 5.0],
                Some("DiningTable|5|1|5"),
            ),
        ]);
        let obs = waymark_core::HouseholdObservation {
            scene: "s".into(),
            position_m: DVec3::new(0.5, 0.9, 0.5),
            rotation_deg: 0.0,
            horizon_deg: 0.0,
            step: 0,
            failures: 0,
            held: None,
            visible: Vec::new(),
            last_action: None,
            sensors: None,
            teacher: None,
        };
        let pick = Primitive::Interact(waymark_core::Interaction::Pickup);
        let history = History::default();
        let at = |d: &str| {
            choose(&scene, &obs, pick, "Apple", d, &history)
                .unwrap()
                .id
                .clone()
        };
        // Nearest without a description; the described one otherwise.
        assert_eq!(at(" "), "Apple|0|1|0");
        assert_eq!(
            at("the apple on the dining table next to the bread"),
            "Apple|5|1|5"
        );
        assert_eq!(at("The apple on the counter"), "Apple|0|1|0");
        assert_eq!(
            matches(&scene, &scene.objects()[1], "near the breads, on a table"),
            2
        );
    }
}
