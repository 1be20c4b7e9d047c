//! FlowPlan's prompts, one file per stage (`prompts/en/*.txt`, `prompts/ar/*.txt`), so they can
//! be compared with the paper's figures. FlowPlan released no code and no full prompts; the
//! paper's figures give each stage's opening ("You are a classifier designed to …", "You are
//! an outstanding task planner …", "You are a robotic symbolic task planner …"), the primitive
//! action list, the response formats (`(TASK TYPE: …, IS_SLICED: …)`, `Step 1. … (TARGET: …,
//! DESCRIPTION: …)`, `pick_up("Rag", "The rag on the tub")`) and the rules the logical
//! evaluation checks. The rest of each prompt is waymark's wording.
//!
//! Placeholders are `{name}`; a template's final newline is not part of the prompt.

/// The five templates of one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Templates {
    /// Stage 1: task information retrieval (classifier). `{instruction}`.
    pub task_information: &'static str,
    /// Stage 2: language-level reasoning. `{task_information}`, `{constraints}`,
    /// `{instruction}`.
    pub language_plan: &'static str,
    /// Stage 3: symbolic-level planning. `{instruction}`, `{language_plan}`.
    pub symbolic_plan: &'static str,
    /// Stage 4: the LLM half of logical evaluation. `{operable}`, `{instruction}`,
    /// `{symbolic_plan}`.
    pub logical_check: &'static str,
    /// Stage 4: revising a plan with problems. `{problems}`, `{instruction}`,
    /// `{symbolic_plan}`.
    pub revision: &'static str,
}

/// English.
pub const ENGLISH: Templates = Templates {
    task_information: include_str!("prompts/en/1_task_information.txt"),
    language_plan: include_str!("prompts/en/2_language_plan.txt"),
    symbolic_plan: include_str!("prompts/en/3_symbolic_plan.txt"),
    logical_check: include_str!("prompts/en/4_logical_check.txt"),
    revision: include_str!("prompts/en/4_revision.txt"),
};

/// Arabic (object types, function names and the answer formats' keywords stay English: the
/// parsers and the executor read them).
pub const ARABIC: Templates = Templates {
    task_information: include_str!("prompts/ar/1_task_information.txt"),
    language_plan: include_str!("prompts/ar/2_language_plan.txt"),
    symbolic_plan: include_str!("prompts/ar/3_symbolic_plan.txt"),
    logical_check: include_str!("prompts/ar/4_logical_check.txt"),
    revision: include_str!("prompts/ar/4_revision.txt"),
};

/// The templates for an instruction's language tag: Arabic for `ar` and its regional tags
/// ([`waymark_core::context::is_arabic`]).
pub fn templates_for(language: Option<&str>) -> &'static Templates {
    if waymark_core::context::is_arabic(language) {
        &ARABIC
    } else {
        &ENGLISH
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.strip_suffix('\n').unwrap_or(template).to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_of_every_template_is_filled() {
        for t in [&ENGLISH, &ARABIC] {
            let cases: [(&str, &[&str]); 5] = [
                (t.task_information, &["instruction"]),
                (
                    t.language_plan,
                    &["task_information", "constraints", "instruction"],
                ),
                (t.symbolic_plan, &["instruction", "language_plan"]),
                (
                    t.logical_check,
                    &["operable", "instruction", "symbolic_plan"],
                ),
                (t.revision, &["problems", "instruction", "symbolic_plan"]),
            ];
            for (template, names) in cases {
                let values: Vec<(&str, &str)> = names.iter().map(|n| (*n, "X")).collect();
                let text = render(template, &values);
                assert!(!text.contains('{') && !text.contains('}'), "{text}");
                for name in names {
                    assert!(template.contains(&format!("{{{name}}}")), "{name}");
                }
            }
        }
        assert!(
            ENGLISH
                .task_information
                .starts_with("You are a classifier designed to")
        );
        assert!(
            ENGLISH
                .language_plan
                .starts_with("You are an outstanding task planner")
        );
        assert!(
            ENGLISH
                .symbolic_plan
                .starts_with("You are a robotic symbolic task planner")
        );
        assert_eq!(templates_for(Some("ar-EG")), &ARABIC);
        assert_eq!(templates_for(Some("en")), &ENGLISH);
    }
}
