//! ALFRED's own results file (`models/eval/eval_task.py`): `{"successes": [...], "failures":
//! [...], "results": {"all": {...}, "<task type>": {...}}}`, written beside the submission as
//! `task_results.json`. Each entry has ALFRED's keys except `goal_instr` and `reward` (the
//! record keeps neither); the aggregates are pooled as ALFRED pools them.

use crate::goals::TASK_TYPES;
use serde_json::{Value, json};
use std::path::Path;
use waymark_io::write_json_atomic;
use waymark_task::{EpisodeRecord, TaskError};

/// The file name, beside `submission.json`.
pub const RESULTS_FILE: &str = "task_results.json";

/// One episode as ALFRED logs it.
fn entry(record: &EpisodeRecord) -> Value {
    let m = |k: &str| record.metrics.real(k);
    let l_star = m("path_len_weight");
    let per_step = |weighted: f64| if l_star > 0.0 { weighted / l_star } else { 0.0 };
    let (trial, repeat_idx) = crate::submission::trial_of(&record.id);
    let total = m("total_goal_conditions");
    json!({
        "trial": trial,
        "type": record.task_type,
        "repeat_idx": repeat_idx,
        "completed_goal_conditions": m("gc") as u64,
        "total_goal_conditions": total as u64,
        "goal_condition_success": if total > 0.0 { m("gc") / total } else { 0.0 },
        "success_spl": per_step(m("plw_sr")),
        "path_len_weighted_success_spl": m("plw_sr"),
        "goal_condition_spl": per_step(m("plw_gc")),
        "path_len_weighted_goal_condition_spl": m("plw_gc"),
        "path_len_weight": l_star as u64,
    })
}

/// ALFRED's aggregate of `entries` (empty object for none).
fn aggregate(entries: &[&Value]) -> Value {
    if entries.is_empty() {
        return json!({});
    }
    let sum = |k: &str| entries.iter().filter_map(|e| e[k].as_f64()).sum::<f64>();
    // ALFRED's success: every goal condition met.
    let successes = entries
        .iter()
        .filter(|e| e["goal_condition_success"] == 1.0)
        .count();
    let (completed, total, weight) = (
        sum("completed_goal_conditions"),
        sum("total_goal_conditions"),
        sum("path_len_weight"),
    );
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    json!({
        "success": {
            "num_successes": successes,
            "num_evals": entries.len(),
            "success_rate": ratio(successes as f64, entries.len() as f64),
        },
        "goal_condition_success": {
            "completed_goal_conditions": completed as u64,
            "total_goal_conditions": total as u64,
            "goal_condition_success_rate": ratio(completed, total),
        },
        "path_length_weighted_success_rate": ratio(sum("path_len_weighted_success_spl"), weight),
        "path_length_weighted_goal_condition_success_rate":
            ratio(sum("path_len_weighted_goal_condition_spl"), weight),
    })
}

/// Writes `records`' results file to `path`.
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let mut successes = Vec::new();
    let mut failures = Vec::new();
    for r in records {
        let e = entry(r);
        if r.metrics.real("sr") == 1.0 {
            successes.push(e);
        } else {
            failures.push(e);
        }
    }
    let all: Vec<&Value> = successes.iter().chain(&failures).collect();
    let mut results = serde_json::Map::new();
    results.insert("all".into(), aggregate(&all));
    for task_type in TASK_TYPES {
        let of_type: Vec<&Value> = all
            .iter()
            .copied()
            .filter(|e| e["type"] == task_type)
            .collect();
        results.insert(task_type.into(), aggregate(&of_type));
    }
    let file = json!({"successes": successes, "failures": failures, "results": results});
    Ok(write_json_atomic(path, &file, true)?)
}
