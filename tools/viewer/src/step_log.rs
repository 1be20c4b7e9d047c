//! A planner's per-step log (`steps/<instr_id>.jsonl`), grouped by trajectory step.
//!
//! Each line of an LLM planner holds `iteration`, `viewpoint`, `heading_deg`, `prompt`,
//! `response`, `outcome`, `cause` and `observation`. Iterations up to and including one whose
//! outcome moved the agent (`move`) or ended the episode (`finish`) belong to one step.

use anyhow::{Context, Result};
use std::path::Path;

/// One planner iteration, as the side panel shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Iteration {
    /// The iteration number.
    pub iteration: u64,
    /// The model's thought (the response's `Thought:` part, or the whole response).
    pub thought: String,
    /// The action it chose (the response's `Action:` and `Action Input:`).
    pub action: String,
    /// What came of it (`move`, `finish`, `parse_error`, …) and why.
    pub outcome: String,
}

/// Reads a step log into per-step groups; a missing file is an empty log.
pub fn read_step_log(path: &Path) -> Result<Vec<Vec<Iteration>>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read step log {}", path.display()))?;
    let mut steps = vec![Vec::new()];
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {} is not JSON", path.display(), n + 1))?;
        let it = iteration_of(&value);
        let ends_step = matches!(it.outcome.split(':').next(), Some("move" | "finish"));
        if let Some(last) = steps.last_mut() {
            last.push(it);
        }
        if ends_step {
            steps.push(Vec::new());
        }
    }
    if steps.last().is_some_and(Vec::is_empty) {
        steps.pop();
    }
    Ok(steps)
}

fn iteration_of(value: &serde_json::Value) -> Iteration {
    let text = |key: &str| value.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    let response = text("response");
    let (thought, action) = split_response(response);
    let outcome = match (text("outcome"), text("cause")) {
        (o, "") => o.to_string(),
        (o, c) => format!("{o}: {c}"),
    };
    Iteration {
        iteration: value.get("iteration").and_then(|v| v.as_u64()).unwrap_or(0),
        thought,
        action,
        outcome,
    }
}

/// Splits a ReAct response into its thought and its action.
fn split_response(response: &str) -> (String, String) {
    let action_at = response.find("Action:");
    let thought = match action_at {
        Some(i) => &response[..i],
        None => response,
    };
    let thought = thought
        .trim()
        .trim_start_matches("Thought:")
        .trim()
        .to_string();
    let action = action_at
        .map(|i| {
            response[i..]
                .lines()
                .filter(|l| l.starts_with("Action"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    (thought, action)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn groups_iterations_by_move() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        let lines = [
            r#"{"iteration":1,"response":"Thought: go left\nAction: action_maker\nAction Input: \"b\"","outcome":"parse_error","cause":"bad"}"#,
            r#"{"iteration":2,"response":"Thought: go\nAction: action_maker","outcome":"move"}"#,
            r#"{"iteration":3,"response":"Final Answer: done","outcome":"finish"}"#,
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let steps = read_step_log(&path).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].len(), 2);
        assert_eq!(steps[0][0].thought, "go left");
        assert_eq!(
            steps[0][0].action,
            "Action: action_maker Action Input: \"b\""
        );
        assert_eq!(steps[0][0].outcome, "parse_error: bad");
        assert_eq!(steps[1][0].thought, "Final Answer: done");
        assert!(
            read_step_log(&dir.path().join("none.jsonl"))
                .unwrap()
                .is_empty()
        );
        std::fs::write(&path, "{oops").unwrap();
        assert!(read_step_log(&path).is_err());
    }
}
