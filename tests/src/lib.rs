//! Helpers for conformance tests on the real benchmark data.
//!
//! The real files are never part of the project (their licences forbid it): tests find them
//! through `WAYMARK_REAL_DATA` (`.ci/run` sets it to `../shared/data`) and are skipped, with a
//! note, when it is unset, except under CI (`CI=true`), where they fail instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The real-data folder, or `None` (after printing why) when `WAYMARK_REAL_DATA` is unset.
///
/// # Panics
/// When the variable is set but names no folder, or is unset under CI (`CI=true`): a
/// misconfigured CI must fail, not skip.
pub fn real_data() -> Option<PathBuf> {
    let dir = PathBuf::from(waymark_io::test_env::require(
        "WAYMARK_REAL_DATA",
        "the conformance tests",
    )?);
    assert!(
        dir.is_dir(),
        "WAYMARK_REAL_DATA={} is not a folder",
        dir.display()
    );
    Some(dir)
}

/// A scripted model's answer to any of FlowPlan's prompts, from the gold plan of the task
/// the prompt's `Instruction:` line names: the task type, the gold steps as numbered
/// language steps and as calls (no descriptions), `VALID` to every check. Empty for a task
/// `gold` does not know. For end-to-end checks and benchmarks of FlowPlan's stages, parsers
/// and executor.
pub fn flowplan_gold_answer(gold: &waymark_llm_planner::GoldModel, prompt: &str) -> String {
    let instruction = prompt
        .lines()
        .find_map(|l| l.strip_prefix("Instruction: "))
        .unwrap_or_default();
    let Some(example) = gold.example(instruction) else {
        return String::new();
    };
    if prompt.starts_with("You are a classifier") {
        let sliced = if example.sliced { "True" } else { "False" };
        return format!("(TASK TYPE: {}, IS_SLICED: {sliced})", example.task_type);
    }
    if prompt.starts_with("You are a plan checker") {
        return "VALID".into();
    }
    let call = |s: &waymark_llm_planner::plan::PlanStep| {
        let name = match s.action.as_str() {
            "Navigation" => "go_to",
            "PickupObject" => "pick_up",
            "PutObject" => "put",
            "OpenObject" => "open",
            "CloseObject" => "close",
            "ToggleObjectOn" => "toggle_on",
            "ToggleObjectOff" => "toggle_off",
            _ => "slice",
        };
        match &s.receptacle {
            Some(r) => format!("{name}(\"{}\", \"{r}\", \" \")", s.object),
            None => format!("{name}(\"{}\", \" \")", s.object),
        }
    };
    if prompt.starts_with("You are an outstanding task planner") {
        return example
            .steps
            .iter()
            .enumerate()
            .map(|(k, s)| {
                format!(
                    "Step {}. {}. (TARGET: {}, DESCRIPTION: )",
                    k + 1,
                    call(s),
                    s.receptacle.as_ref().unwrap_or(&s.object)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    example
        .steps
        .iter()
        .map(call)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The shipped household demo (`assets/household`).
pub fn household_demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/household")
}

/// Runs `planner` (from `registry`, recorded with `settings`) over the ALFRED episodes in
/// `episodes` on the layouts in `layouts` into `out`, on 4 workers.
///
/// # Panics
/// When the run fails (a test's failure).
pub fn run_alfred(
    registry: &waymark_planner::PlannerRegistry,
    planner: &str,
    settings: BTreeMap<String, String>,
    episodes: &Path,
    layouts: &Path,
    out: &Path,
) -> waymark_eval::Summary {
    let args = waymark_eval::TaskArgs::new()
        .with("episodes", episodes.to_string_lossy())
        .with("layouts", layouts.to_string_lossy());
    let config = waymark_eval::BatchConfig {
        workers: 4,
        planner: planner.into(),
        planner_settings: settings,
        out_dir: out.to_path_buf(),
        shard: waymark_eval::ShardSpec::WHOLE,
        limit: None,
        seed: 0,
    };
    let task = waymark_eval::tasks::find("alfred").unwrap_or_else(|e| panic!("{e}"));
    waymark_eval::run_eval(task, &args, &config, registry, &waymark_eval::NoProgress)
        .unwrap_or_else(|e| panic!("alfred {planner}: {e}"))
}
