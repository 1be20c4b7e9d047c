//! Reading each stage's answer.
//!
//! - Stage 1: `(TASK TYPE: <type>, IS_SLICED: <True|False>)`; the type is matched to ALFRED's
//!   seven ignoring case and with spaces or hyphens read as underscores.
//! - Stage 2: lines `Step N. <text> (TARGET: <type>, DESCRIPTION: <text>)`.
//! - Stage 3: one call a line, `name("Object", "description")` or
//!   `put("Object", "Receptacle", "description")`; arguments in double or single quotes, or
//!   bare and comma-separated. List markers, numbering and code fences around a call are
//!   ignored; any other line is reported as not a call.
//! - Stage 4: `VALID`, or `INVALID` followed by one problem a line.

use crate::task_info::TASK_TYPES;

/// Stage 1's answer: the task type and whether the target is sliced.
pub fn classification(answer: &str) -> Option<(&'static str, bool)> {
    let value = |key: &str| -> Option<String> {
        let upper = answer.to_uppercase();
        let at = upper.find(key)? + key.len();
        let rest = &answer[at..];
        let end = rest.find([',', ')', '\n']).unwrap_or(rest.len());
        Some(
            rest[..end]
                .trim()
                .trim_matches(['"', '\'', '`', '<', '>'])
                .to_string(),
        )
    };
    let raw = value("TASK TYPE:")?;
    let wanted = raw.to_lowercase().replace([' ', '-'], "_");
    let task_type = TASK_TYPES.iter().copied().find(|t| *t == wanted)?;
    let sliced = value("IS_SLICED:").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Some((task_type, sliced))
}

/// One step of stage 2's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageStep {
    /// What the step says.
    pub text: String,
    /// Its target.
    pub target: String,
    /// Its contextual description.
    pub description: String,
}

/// Stage 2's steps (lines that are not steps are left out).
pub fn language_steps(answer: &str) -> Vec<LanguageStep> {
    answer
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("Step")?;
            let (_, text) = rest.split_once('.')?;
            let open = text.rfind("(TARGET:")?;
            let inner = text[open + "(TARGET:".len()..]
                .trim_end()
                .trim_end_matches(')');
            let (target, description) = match inner.split_once("DESCRIPTION:") {
                Some((t, d)) => (t.trim().trim_end_matches(',').trim(), d.trim()),
                None => (inner.trim(), ""),
            };
            Some(LanguageStep {
                text: text[..open].trim().to_string(),
                target: target.to_string(),
                description: description.to_string(),
            })
        })
        .collect()
}

/// One call of stage 3's plan, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The function's name.
    pub name: String,
    /// Its arguments.
    pub args: Vec<String>,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let args: Vec<String> = self.args.iter().map(|a| format!("{a:?}")).collect();
        write!(f, "{}({})", self.name, args.join(", "))
    }
}

/// Stage 3's calls, and the lines that are not calls.
pub fn calls(answer: &str) -> (Vec<Call>, Vec<String>) {
    let mut calls = Vec::new();
    let mut bad = Vec::new();
    for line in answer.lines() {
        let line = line.trim().trim_matches('`').trim();
        if line.is_empty() || line.starts_with("```") {
            continue;
        }
        let line = line
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['.', ')', '-', '*'])
            .trim();
        match call(line) {
            Some(c) => calls.push(c),
            None => bad.push(line.to_string()),
        }
    }
    (calls, bad)
}

fn call(line: &str) -> Option<Call> {
    let open = line.find('(')?;
    let name = line[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let close = line.rfind(')')?;
    let inner = line.get(open + 1..close)?;
    Some(Call {
        name: name.to_string(),
        args: arguments(inner),
    })
}

/// Quoted arguments, or bare comma-separated ones.
fn arguments(inner: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = inner.chars().peekable();
    let mut quoted = false;
    while let Some(&c) = chars.peek() {
        if c == '"' || c == '\'' {
            quoted = true;
            chars.next();
            let mut value = String::new();
            for d in chars.by_ref() {
                if d == c {
                    break;
                }
                value.push(d);
            }
            args.push(value);
        } else {
            chars.next();
        }
    }
    if quoted {
        args
    } else {
        inner
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect()
    }
}

/// Stage 4's verdict: `None` when the plan is valid, else the problems it lists (one
/// saying only that it is invalid when it lists none).
pub fn verdict(answer: &str) -> Option<Vec<String>> {
    let text = answer.trim();
    let upper = text.to_uppercase();
    if !upper.contains("INVALID") && upper.contains("VALID") {
        return None;
    }
    let problems: Vec<String> = text
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*']).trim())
        .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("INVALID"))
        .map(str::to_string)
        .collect();
    Some(if problems.is_empty() {
        vec!["the checker found the plan invalid".into()]
    } else {
        problems
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_one_answers() {
        assert_eq!(
            classification("(TASK TYPE: pick_heat_then_place_in_recep, IS_SLICED: True)"),
            Some(("pick_heat_then_place_in_recep", true))
        );
        assert_eq!(
            classification("task type: Pick and place simple, is_sliced: false"),
            Some(("pick_and_place_simple", false))
        );
        assert_eq!(
            classification("(TASK TYPE: cooking, IS_SLICED: False)"),
            None
        );
        assert_eq!(classification("no idea"), None);
    }

    #[test]
    fn stage_two_steps() {
        let steps = language_steps(
            "Step 1. Go to the tub. (TARGET: Bathtub, DESCRIPTION: the tub by the window)\nsome words\nStep 2. Pick up the rag. (TARGET: Cloth, DESCRIPTION: )",
        );
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].target, "Bathtub");
        assert_eq!(steps[0].description, "the tub by the window");
        assert_eq!(steps[1].text, "Pick up the rag.");
        assert_eq!(steps[1].description, "");
    }

    #[test]
    fn stage_three_calls() {
        let (calls, bad) = calls(
            "```\n1. pick_up(\"Rag\", \"The rag on the tub\")\n- put(\"Rag\", \"SinkBasin\", \" \")\ntoggle_on('Faucet', ' ')\ngo_to(CoffeeMachine, near the window)\nthen wash it\n```",
        );
        assert_eq!(calls.len(), 4, "{calls:?}");
        assert_eq!(calls[0].args, ["Rag", "The rag on the tub"]);
        assert_eq!(calls[1].args, ["Rag", "SinkBasin", " "]);
        assert_eq!(calls[2].args, ["Faucet", " "]);
        assert_eq!(calls[3].args, ["CoffeeMachine", "near the window"]);
        assert_eq!(bad, ["then wash it"]);
        assert_eq!(
            calls[0].to_string(),
            "pick_up(\"Rag\", \"The rag on the tub\")"
        );
    }

    #[test]
    fn stage_four_verdicts() {
        assert_eq!(verdict("VALID"), None);
        assert_eq!(verdict(" valid. "), None);
        assert_eq!(
            verdict("INVALID\n- Mop is not operable\n"),
            Some(vec!["Mop is not operable".to_string()])
        );
        assert_eq!(
            verdict("INVALID"),
            Some(vec!["the checker found the plan invalid".to_string()])
        );
    }
}
