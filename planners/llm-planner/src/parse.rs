//! Reading the model's answer as LLM-Planner's released agent does (`e2e/src/run_eval.py`,
//! `clean_llm_output`, and `thor_connector.py`'s step interpretation).
//!
//! - The answer is cut to what follows the first "Next Plans:" (up to a second one), or kept
//!   whole without one, then split on commas, each piece trimmed: one step each, empty pieces
//!   included (they fail as unsupported, as there).
//! - A step is its action's name, a space, and its argument, matched case-sensitively
//!   (`Navigation `, `PickupObject `, …); anything else is unsupported.
//! - An argument names an object type the way the agent converts it: each word capitalised
//!   and the rest lower-cased, joined (`dining table` → `DiningTable`; `CD` stays). Types are
//!   then compared without regard to case.

use waymark_core::Interaction;

/// What a step asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Go to the object.
    Navigation,
    /// One interaction.
    Interact(Interaction),
}

/// A step read: its kind and the text after the action's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// What to do.
    pub kind: Kind,
    /// The argument, as written.
    pub arg: String,
}

/// The released agent's step prefixes (the trailing space is part of each).
const PREFIXES: [(&str, Kind); 8] = [
    ("Navigation ", Kind::Navigation),
    ("PickupObject ", Kind::Interact(Interaction::Pickup)),
    ("PutObject ", Kind::Interact(Interaction::Put)),
    ("OpenObject ", Kind::Interact(Interaction::Open)),
    ("CloseObject ", Kind::Interact(Interaction::Close)),
    ("ToggleObjectOn ", Kind::Interact(Interaction::ToggleOn)),
    ("ToggleObjectOff ", Kind::Interact(Interaction::ToggleOff)),
    ("SliceObject ", Kind::Interact(Interaction::Slice)),
];

/// The plan steps in an answer. `next_plans` is the label the prompt ends with.
pub fn plan_steps(answer: &str, next_plans: &str) -> Vec<String> {
    let text = match answer.split_once(next_plans) {
        Some((_, after)) => after.split(next_plans).next().unwrap_or(after),
        None => answer,
    };
    text.trim()
        .split(',')
        .map(|s| s.trim().to_string())
        .collect()
}

/// A step's action and argument; `None` when no action's name (and a space) starts it. The
/// released agent also takes `drop…` (let go of what is held); the household world has no
/// drop action, so such a step is unsupported here.
pub fn interpret(step: &str) -> Option<Command> {
    let step = step.trim();
    PREFIXES.iter().find_map(|(prefix, kind)| {
        step.strip_prefix(prefix).map(|arg| Command {
            kind: *kind,
            arg: arg.to_string(),
        })
    })
}

/// An argument as an object type, converted as the released agent converts it.
pub fn type_name(arg: &str) -> String {
    if arg.trim() == "CD" {
        return "CD".into();
    }
    arg.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_cut_at_next_plans_and_split_on_commas() {
        assert_eq!(
            plan_steps(" Navigation fridge, OpenObject fridge\n", "Next Plans:"),
            ["Navigation fridge", "OpenObject fridge"]
        );
        // A model that writes another example: only what follows the first label, up to the
        // second.
        let rambling = "x\nNext Plans: Navigation apple, PickupObject apple\n\nTask description: y\nNext Plans: Navigation z";
        assert_eq!(
            plan_steps(rambling, "Next Plans:"),
            [
                "Navigation apple",
                "PickupObject apple\n\nTask description: y"
            ]
        );
        // A trailing comma is an empty step, as in the released agent.
        assert_eq!(
            plan_steps("Navigation bed,", "Next Plans:"),
            ["Navigation bed", ""]
        );
    }

    #[test]
    fn steps_need_an_action_name_and_a_space() {
        assert_eq!(
            interpret(" PutObject potato microwave "),
            Some(Command {
                kind: Kind::Interact(Interaction::Put),
                arg: "potato microwave".into()
            })
        );
        assert_eq!(interpret("navigation fridge"), None);
        assert_eq!(interpret("Navigation"), None);
        assert_eq!(interpret(""), None);
        assert_eq!(interpret("drop"), None);
    }

    #[test]
    fn arguments_become_types_as_the_agent_converts_them() {
        assert_eq!(type_name("dining table"), "DiningTable");
        assert_eq!(type_name("countertop"), "Countertop");
        assert_eq!(type_name("SinkBasin"), "Sinkbasin");
        assert_eq!(type_name("CD"), "CD");
        assert_eq!(type_name("cd"), "Cd");
    }
}
