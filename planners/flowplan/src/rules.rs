//! The code half of FlowPlan's logical evaluation: rules checked on the symbolic plan, each
//! violation a problem the revision prompt is given, and the corrections applied when the
//! revisions run out (waymark's choice; the paper says invalid parts are corrected without
//! saying how):
//! - every action is one of the eight primitives, with its arguments (else the call is
//!   dropped);
//! - every target is an object the robot can operate: a type of the scene (else dropped);
//! - toggles act only on switchable objects (else dropped);
//! - open–interact–close around openable receptacles: a put into an openable receptacle needs
//!   it opened before (an `open` is inserted), and a receptacle opened is closed again (a
//!   `close` is inserted after the last step that uses it).

use crate::parse::Call;
use waymark_core::Interaction;
use waymark_household::{Primitive, Scene, matches_type};

/// One step of a checked plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What it does.
    pub primitive: Primitive,
    /// Its target type (for a put, the receptacle).
    pub target: String,
    /// For a put, the object put.
    pub object: Option<String>,
    /// The contextual description.
    pub description: String,
}

impl Step {
    /// The call that writes this step.
    pub fn call(&self) -> Call {
        let name = match self.primitive {
            Primitive::GoTo => "go_to",
            Primitive::Interact(Interaction::Pickup) => "pick_up",
            Primitive::Interact(Interaction::Put) => "put",
            Primitive::Interact(Interaction::Open) => "open",
            Primitive::Interact(Interaction::Close) => "close",
            Primitive::Interact(Interaction::ToggleOn) => "toggle_on",
            Primitive::Interact(Interaction::ToggleOff) => "toggle_off",
            Primitive::Interact(Interaction::Slice) => "slice",
        };
        let mut args = Vec::new();
        args.extend(self.object.clone());
        args.push(self.target.clone());
        args.push(self.description.clone());
        Call {
            name: name.into(),
            args,
        }
    }
}

/// The primitive a function name calls, and how many object arguments it takes.
fn primitive(name: &str) -> Option<(Primitive, usize)> {
    Some(match name {
        "go_to" => (Primitive::GoTo, 1),
        "pick_up" => (Primitive::Interact(Interaction::Pickup), 1),
        "put" => (Primitive::Interact(Interaction::Put), 2),
        "open" => (Primitive::Interact(Interaction::Open), 1),
        "close" => (Primitive::Interact(Interaction::Close), 1),
        "toggle_on" => (Primitive::Interact(Interaction::ToggleOn), 1),
        "toggle_off" => (Primitive::Interact(Interaction::ToggleOff), 1),
        "slice" => (Primitive::Interact(Interaction::Slice), 1),
        _ => return None,
    })
}

/// ALFRED's sliceable types (`alfred_constants.json`, `VAL_ACTION_OBJECTS.Sliceable`).
const SLICEABLE: [&str; 6] = ["Apple", "Bread", "Egg", "Lettuce", "Potato", "Tomato"];

/// The scene's object types as the rules need them.
#[derive(Clone, Debug, Default)]
pub struct Operable {
    scene: Scene,
}

impl Operable {
    /// The types of `scene`.
    pub fn new(scene: Scene) -> Self {
        Self { scene }
    }

    /// Whether the robot can operate objects of type `name`: a type of the scene, or the
    /// slices of a sliceable one (slices exist only once cut).
    pub fn knows(&self, name: &str) -> bool {
        let present = |t: &str| self.scene.objects().iter().any(|o| matches_type(t, o));
        present(name)
            || name
                .get(..name.len().saturating_sub("Sliced".len()))
                .filter(|whole| {
                    name[whole.len()..].eq_ignore_ascii_case("Sliced")
                        && SLICEABLE.iter().any(|s| s.eq_ignore_ascii_case(whole))
                })
                .is_some_and(present)
    }

    fn switchable(&self, name: &str) -> bool {
        self.scene
            .objects()
            .iter()
            .any(|o| matches_type(name, o) && o.toggleable)
    }

    fn openable(&self, name: &str) -> bool {
        self.scene
            .objects()
            .iter()
            .any(|o| matches_type(name, o) && o.openable)
    }

    /// The operable types (and the slices of sliceable ones), sorted, without repeats, for the
    /// checker's prompt.
    pub fn list(&self) -> Vec<String> {
        let mut types: Vec<String> = self
            .scene
            .objects()
            .iter()
            .flat_map(|o| {
                let slices = SLICEABLE
                    .contains(&o.object_type.as_str())
                    .then(|| format!("{}Sliced", o.object_type));
                std::iter::once(o.object_type.clone()).chain(slices)
            })
            .collect();
        types.sort();
        types.dedup();
        types
    }
}

/// The steps of `calls` that pass the per-call rules, and every problem found (per-call and
/// open–interact–close).
pub fn check(calls: &[Call], operable: &Operable) -> (Vec<Step>, Vec<String>) {
    let mut steps = Vec::new();
    let mut problems = Vec::new();
    for (k, call) in calls.iter().enumerate() {
        let line = k + 1;
        let Some((primitive, objects)) = primitive(&call.name) else {
            problems.push(format!(
                "call {line}: `{}` is not one of the robot's actions",
                call.name
            ));
            continue;
        };
        if call.args.len() < objects {
            problems.push(format!(
                "call {line}: `{call}` needs {objects} object argument(s)"
            ));
            continue;
        }
        let targets = &call.args[..objects];
        if let Some(unknown) = targets.iter().find(|t| !operable.knows(t.trim())) {
            problems.push(format!(
                "call {line}: `{}` is not an object the robot can operate",
                unknown.trim()
            ));
            continue;
        }
        let target = targets[objects - 1].trim().to_string();
        if matches!(
            primitive,
            Primitive::Interact(Interaction::ToggleOn | Interaction::ToggleOff)
        ) && !operable.switchable(&target)
        {
            problems.push(format!(
                "call {line}: `{target}` cannot be switched on or off"
            ));
            continue;
        }
        steps.push(Step {
            primitive,
            target,
            object: (objects == 2).then(|| targets[0].trim().to_string()),
            description: call.args.get(objects).cloned().unwrap_or_default(),
        });
    }
    problems.extend(open_close(&steps, operable).1);
    (steps, problems)
}

/// `steps` with the open–interact–close rule enforced, and the violations found.
fn open_close(steps: &[Step], operable: &Operable) -> (Vec<Step>, Vec<String>) {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let mut out: Vec<Step> = Vec::new();
    let mut problems = Vec::new();
    let mut open: Vec<String> = Vec::new();
    // Opened by a correction: its missing close is part of the problem already reported.
    let mut inserted: Vec<String> = Vec::new();
    for step in steps {
        match step.primitive {
            Primitive::Interact(Interaction::Open) => open.push(step.target.clone()),
            Primitive::Interact(Interaction::Close) => open.retain(|r| !same(r, &step.target)),
            Primitive::Interact(Interaction::Put)
                if operable.openable(&step.target)
                    && !open.iter().any(|r| same(r, &step.target)) =>
            {
                problems.push(format!(
                    "`{}` is not opened before something is put into it",
                    step.target
                ));
                out.push(Step {
                    primitive: Primitive::Interact(Interaction::Open),
                    target: step.target.clone(),
                    object: None,
                    description: step.description.clone(),
                });
                open.push(step.target.clone());
                inserted.push(step.target.clone());
            }
            _ => {}
        }
        out.push(step.clone());
    }
    for receptacle in open {
        if !inserted.iter().any(|r| same(r, &receptacle)) {
            problems.push(format!("`{receptacle}` is opened and never closed"));
        }
        let last = out
            .iter()
            .rposition(|s| same(&s.target, &receptacle))
            .unwrap_or(out.len().saturating_sub(1));
        let description = out
            .get(last)
            .map(|s| s.description.clone())
            .unwrap_or_default();
        out.insert(
            (last + 1).min(out.len()),
            Step {
                primitive: Primitive::Interact(Interaction::Close),
                target: receptacle,
                object: None,
                description,
            },
        );
    }
    (out, problems)
}

/// The plan with the corrections applied: calls that break a per-call rule dropped (as
/// [`check`] leaves them out), `open` and `close` inserted where the open–interact–close rule
/// needs them.
pub fn correct(calls: &[Call], operable: &Operable) -> Vec<Step> {
    let (steps, _) = check(calls, operable);
    open_close(&steps, operable).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::calls;
    use glam::DVec3;
    use waymark_household::SceneObject;

    fn object(id: &str, t: &str, openable: bool, toggleable: bool) -> SceneObject {
        SceneObject {
            id: id.into(),
            object_type: t.into(),
            position_m: DVec3::ZERO,
            pickupable: false,
            receptacle: true,
            openable,
            toggleable,
            parent: None,
            is_open: Some(false),
        }
    }

    fn operable() -> Operable {
        Operable::new(Scene::new(vec![
            object("Fridge|1|0|1", "Fridge", true, false),
            object("Apple|1|1|1", "Apple", false, false),
            object("CounterTop|0|1|0", "CounterTop", false, false),
            object("Microwave|2|1|2", "Microwave", true, true),
        ]))
    }

    #[test]
    fn rules_find_each_problem_and_corrections_fix_them() {
        let (plan, _) = calls(
            "go_to(\"Apple\", \" \")\npick_up(\"Apple\", \"on the counter\")\nfly(\"Apple\")\npick_up(\"Mop\", \" \")\ntoggle_on(\"Fridge\", \" \")\nput(\"Apple\", \"Fridge\", \" \")\nopen(\"Microwave\", \" \")",
        );
        let (steps, problems) = check(&plan, &operable());
        assert_eq!(steps.len(), 4);
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("`fly` is not one of the robot's actions"));
        assert!(problems[1].contains("`Mop` is not an object"));
        assert!(problems[2].contains("cannot be switched"));
        assert!(problems[3].contains("`Fridge` is not opened"));
        assert!(problems[4].contains("`Microwave` is opened and never closed"));
        // Slices of a sliceable type in the scene are operable before they exist.
        assert!(operable().knows("AppleSliced") && operable().knows("applesliced"));
        assert!(!operable().knows("BreadSliced") && !operable().knows("Sliced"));
        assert!(operable().list().contains(&"AppleSliced".to_string()));
        let fixed: Vec<String> = correct(&plan, &operable())
            .iter()
            .map(|s| s.call().to_string())
            .collect();
        assert_eq!(
            fixed,
            [
                "go_to(\"Apple\", \" \")",
                "pick_up(\"Apple\", \"on the counter\")",
                "open(\"Fridge\", \" \")",
                "put(\"Apple\", \"Fridge\", \" \")",
                "close(\"Fridge\", \" \")",
                "open(\"Microwave\", \" \")",
                "close(\"Microwave\", \" \")",
            ]
        );
    }

    #[test]
    fn a_heating_sequence_passes() {
        let (plan, _) = calls(
            "open(\"Microwave\", \" \")\nput(\"Apple\", \"Microwave\", \" \")\nclose(\"Microwave\", \" \")\ntoggle_on(\"Microwave\", \" \")\ntoggle_off(\"Microwave\", \" \")\nopen(\"Microwave\", \" \")\npick_up(\"Apple\", \" \")\nclose(\"Microwave\", \" \")",
        );
        let (steps, problems) = check(&plan, &operable());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(steps.len(), 8);
    }
}
