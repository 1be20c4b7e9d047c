//! LLM-Planner's plan steps (`Navigation countertop`, `PutObject potato microwave`) and the
//! gold plan of an ALFRED trajectory written in them.

use serde::Deserialize;
use std::fmt;

/// One step: an action of LLM-Planner's list and its object (and receptacle, for a put),
/// as ALFRED types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStep {
    /// `Navigation`, `PickupObject`, `PutObject`, `OpenObject`, …
    pub action: String,
    /// The object's type.
    pub object: String,
    /// `PutObject`'s receptacle type.
    pub receptacle: Option<String>,
}

/// As the prompt writes it: the action as is, the objects in lower case, one space between.
impl fmt::Display for PlanStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.action, self.object.to_lowercase())?;
        if let Some(r) = &self.receptacle {
            write!(f, " {}", r.to_lowercase())?;
        }
        Ok(())
    }
}

/// Steps joined as the prompt joins them (`", "`; empty for none).
pub fn format_plan(steps: &[PlanStep]) -> String {
    steps
        .iter()
        .map(PlanStep::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One ALFRED high-level step with the interactions the expert makes in it, as the
/// household task's privileged context (`expert_subgoals`) gives it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Subgoal {
    /// `GotoLocation`, `PickupObject`, `HeatObject`, …
    #[serde(default)]
    pub action: Option<String>,
    /// Its PDDL arguments, lower-case types (`["countertop"]`).
    #[serde(default)]
    pub args: Vec<String>,
    /// The expert's interactions in it.
    #[serde(default)]
    pub interactions: Vec<ExpertInteraction>,
}

/// An interaction of the expert (an AI2-THOR call with an object).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ExpertInteraction {
    /// `PickupObject`, `PutObject`, `ToggleObjectOn`, …
    pub action: String,
    /// The object.
    #[serde(rename = "objectId", default)]
    pub object_id: Option<String>,
    /// A put's receptacle.
    #[serde(rename = "receptacleObjectId", default)]
    pub receptacle_object_id: Option<String>,
}

/// The type an ALFRED id names: the last segment's type for slices (`AppleSliced`), the first
/// segment otherwise (`Sink` for `Sink|…|SinkBasin`), as LLM-Planner's released example set
/// names them.
fn type_of(id: &str) -> &str {
    match id.rsplit('|').next() {
        Some(last) if last.contains("Sliced") => last.split('_').next().unwrap_or(last),
        _ => id.split('|').next().unwrap_or(id),
    }
}

/// The ALFRED type a PDDL argument names (`countertop` → `CounterTop`), looked up among
/// `types`; the argument itself when none matches.
fn camel(arg: &str, types: &[&str]) -> String {
    types
        .iter()
        .find(|t| t.eq_ignore_ascii_case(arg))
        .map_or_else(|| arg.to_string(), |t| (*t).to_string())
}

/// The gold plan of a trajectory in LLM-Planner's steps, the way its released example set
/// writes them: `GotoLocation` becomes `Navigation <its argument>`, and every other step
/// becomes the expert's interactions in it (so heating is open, put, close, on, off, open,
/// pick up, close on the microwave). Objects are named by [`type_of`] their ids; the
/// navigation argument takes the capitalisation of a type in `types` when one matches.
pub fn gold_steps(subgoals: &[Subgoal], types: &[&str]) -> Vec<PlanStep> {
    let mut steps = Vec::new();
    for goal in subgoals {
        if goal.action.as_deref() == Some("GotoLocation") {
            if let Some(arg) = goal.args.first() {
                steps.push(PlanStep {
                    action: "Navigation".into(),
                    object: camel(arg, types),
                    receptacle: None,
                });
            }
            continue;
        }
        for i in &goal.interactions {
            let Some(object) = i.object_id.as_deref() else {
                continue;
            };
            let (object, receptacle) = match (i.action.as_str(), &i.receptacle_object_id) {
                ("PutObject", Some(r)) => (object, Some(type_of(r).to_string())),
                _ => (object, None),
            };
            steps.push(PlanStep {
                action: i.action.clone(),
                object: type_of(object).to_string(),
                receptacle,
            });
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_gold_plan_reads_as_the_released_examples() {
        let subgoals: Vec<Subgoal> = serde_json::from_value(json!([
            {"action": "GotoLocation", "args": ["sinkbasin"], "interactions": []},
            {"action": "CleanObject", "args": ["lettuce"], "interactions": [
                {"action": "PutObject", "objectId": "Lettuce|1|2|3|LettuceSliced_7",
                 "receptacleObjectId": "Sink|1|1|1|SinkBasin"},
                {"action": "ToggleObjectOn", "objectId": "Faucet|1|1|1"},
                {"action": "ToggleObjectOff", "objectId": "Faucet|1|1|1"},
                {"action": "PickupObject", "objectId": "Lettuce|1|2|3|LettuceSliced_7"}]},
            {"action": "NoOp", "args": [], "interactions": []}
        ]))
        .unwrap();
        let steps = gold_steps(&subgoals, &["SinkBasin", "Lettuce"]);
        assert_eq!(
            format_plan(&steps),
            "Navigation sinkbasin, PutObject lettucesliced sink, ToggleObjectOn faucet, \
             ToggleObjectOff faucet, PickupObject lettucesliced"
        );
        assert_eq!(steps[0].object, "SinkBasin");
        assert_eq!(format_plan(&[]), "");
    }
}
