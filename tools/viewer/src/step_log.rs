//! A planner's step log (`steps/<episode id>.jsonl`), grouped by environment step.
//!
//! Each line is one [`StepLogEntry`]: the step the decision was made at, the planner's thought
//! and action (in its own words), and the outcome (with its cause when it failed). The window
//! shows those fields only; what else a planner records lies in `extra` and is not read here.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use waymark_planner::StepLogEntry;

/// A step log: its entries by the step they were made at, in file order within a step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepLog {
    steps: BTreeMap<u32, Vec<StepLogEntry>>,
}

impl StepLog {
    /// The entries made at `step` (none when the planner logged nothing there).
    pub fn get(&self, step: usize) -> &[StepLogEntry] {
        u32::try_from(step)
            .ok()
            .and_then(|s| self.steps.get(&s))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the log holds no entry.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// Reads a step log; a missing file is an empty log, a line that is not a step log entry an
/// error naming the file and the line.
pub fn read_step_log(path: &Path) -> Result<StepLog> {
    if !path.is_file() {
        return Ok(StepLog::default());
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read step log {}", path.display()))?;
    let mut log = StepLog::default();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let entry: StepLogEntry = serde_json::from_str(line).with_context(|| {
            format!("{}: line {} is not a step log entry", path.display(), n + 1)
        })?;
        log.steps.entry(entry.step).or_default().push(entry);
    }
    Ok(log)
}

/// An entry's outcome as the panel shows it: `outcome`, or `outcome: cause`.
pub fn outcome_text(entry: &StepLogEntry) -> String {
    match &entry.cause {
        Some(cause) if !cause.is_empty() => format!("{}: {cause}", entry.outcome),
        _ => entry.outcome.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn groups_entries_by_their_step() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        let lines = [
            r#"{"step":0,"thought":"go left","action":"b","outcome":"parse_error","cause":"bad","prompt":"p"}"#,
            r#"{"step":0,"thought":"go","action":"c","outcome":"move"}"#,
            "",
            r#"{"step":2,"outcome":"finish","iteration":3}"#,
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let log = read_step_log(&path).unwrap();
        let first = log.get(0);
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].thought.as_deref(), Some("go left"));
        assert_eq!(first[0].action.as_deref(), Some("b"));
        assert_eq!(outcome_text(&first[0]), "parse_error: bad");
        assert_eq!(outcome_text(&first[1]), "move");
        assert!(log.get(1).is_empty(), "nothing logged at step 1");
        assert_eq!(log.get(2).len(), 1);
        assert_eq!(log.get(2)[0].thought, None);
        assert!(log.get(usize::MAX).is_empty());
        assert!(
            read_step_log(&dir.path().join("none.jsonl"))
                .unwrap()
                .is_empty()
        );
        std::fs::write(&path, "{oops").unwrap();
        let err = format!("{:#}", read_step_log(&path).unwrap_err());
        assert!(err.contains("line 1"), "{err}");
        std::fs::write(&path, r#"{"iteration":1,"response":"Thought: x"}"#).unwrap();
        assert!(
            read_step_log(&path).is_err(),
            "the old free-form layout is not a step log"
        );
    }
}
