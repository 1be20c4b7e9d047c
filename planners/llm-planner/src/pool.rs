//! The pool of in-context examples: ALFRED training trajectories (any `json_2.1.0` folder),
//! each read as LLM-Planner's released example set holds one: the goal of the first
//! annotation, the gold plan in LLM-Planner's steps, and a few object types.

use crate::plan::{ExpertInteraction, PlanStep, Subgoal, gold_steps};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One in-context example.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Where it came from (`<task>/<trial>`).
    pub task: String,
    /// The goal, verbatim (trailing spaces kept: the prompt shows them).
    pub task_instr: String,
    /// The gold plan.
    pub steps: Vec<PlanStep>,
    /// The objects its prompt block lists as visible.
    pub vis_objs: Vec<String>,
    /// ALFRED's task type (`pick_heat_then_place_in_recep`, …).
    pub task_type: String,
    /// Whether the target is sliced.
    pub sliced: bool,
}

/// A pool that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// A file or folder could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A trajectory is not ALFRED's `traj_data.json`.
    #[error("{path} is not an ALFRED trajectory: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// A trajectory has no annotation to take the goal from.
    #[error("{0} has no annotation")]
    NoAnnotation(PathBuf),
    /// The folder holds no trajectory.
    #[error("no traj_data.json under {0}")]
    Empty(PathBuf),
}

#[derive(Deserialize)]
struct Traj {
    task_type: String,
    pddl_params: Params,
    plan: Plan,
    turk_annotations: Annotations,
}

#[derive(Deserialize)]
struct Params {
    #[serde(default)]
    object_target: String,
    #[serde(default)]
    parent_target: String,
    #[serde(default)]
    mrecep_target: String,
    #[serde(default)]
    object_sliced: bool,
}

#[derive(Deserialize)]
struct Plan {
    high_pddl: Vec<High>,
    low_actions: Vec<Low>,
}

#[derive(Deserialize)]
struct High {
    #[serde(default)]
    discrete_action: Words,
    #[serde(default)]
    planner_action: Words,
}

#[derive(Default, Deserialize)]
struct Words {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    args: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Low {
    api_action: ExpertInteraction,
    #[serde(default)]
    high_idx: Option<usize>,
}

#[derive(Deserialize)]
struct Annotations {
    anns: Vec<Annotation>,
}

#[derive(Deserialize)]
struct Annotation {
    task_desc: String,
}

/// Every `traj_data.json` under `dir`, sorted by path.
pub(crate) fn trajectory_files(dir: &Path) -> Result<Vec<PathBuf>, PoolError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PoolError::Io { path, source }
    };
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(io(&folder))? {
            let path = entry.map_err(io(&folder))?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|n| n == "traj_data.json") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The object types an example lists as visible. LLM-Planner's released set does not say
/// how its lists were made; they hold the task's targets and the tools it needs, and none
/// for look-at tasks. waymark's rule: the target (`…Sliced` when sliced), the movable
/// receptacle and the destination, then the knife for a sliced target and the microwave,
/// fridge or sink basin of heat, cool and clean tasks; look-at tasks list none.
fn vis_objs(task_type: &str, p: &Params) -> Vec<String> {
    if task_type == "look_at_obj_in_light" {
        return Vec::new();
    }
    let target = if p.object_sliced {
        format!("{}Sliced", p.object_target)
    } else {
        p.object_target.clone()
    };
    let tool = match task_type {
        "pick_heat_then_place_in_recep" => "Microwave",
        "pick_cool_then_place_in_recep" => "Fridge",
        "pick_clean_then_place_in_recep" => "SinkBasin",
        _ => "",
    };
    let knife = if p.object_sliced { "Knife" } else { "" };
    let mut list: Vec<String> = Vec::new();
    for name in [
        target.as_str(),
        &p.mrecep_target,
        &p.parent_target,
        knife,
        tool,
    ] {
        if !name.is_empty() && !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    }
    list
}

/// Reads one trajectory as an example.
pub fn read_example(path: &Path, task: String) -> Result<Example, PoolError> {
    Ok(read_annotated(path, task)?.0)
}

/// Reads one trajectory as an example (its goal from the first annotation), with the goals
/// of all its annotations.
pub fn read_annotated(path: &Path, task: String) -> Result<(Example, Vec<String>), PoolError> {
    let bytes = std::fs::read(path).map_err(|source| PoolError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let traj: Traj = serde_json::from_slice(&bytes).map_err(|source| PoolError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    let ann = traj
        .turk_annotations
        .anns
        .first()
        .ok_or_else(|| PoolError::NoAnnotation(path.to_path_buf()))?;
    let subgoals: Vec<Subgoal> = traj
        .plan
        .high_pddl
        .iter()
        .enumerate()
        .map(|(k, high)| Subgoal {
            action: high
                .discrete_action
                .action
                .clone()
                .or_else(|| high.planner_action.action.clone()),
            args: high
                .discrete_action
                .args
                .as_ref()
                .and_then(|a| serde_json::from_value(a.clone()).ok())
                .unwrap_or_default(),
            interactions: traj
                .plan
                .low_actions
                .iter()
                .filter(|l| l.high_idx == Some(k) && l.api_action.object_id.is_some())
                .map(|l| l.api_action.clone())
                .collect(),
        })
        .collect();
    let p = &traj.pddl_params;
    let types: Vec<&str> = [p.object_target.as_str(), &p.parent_target, &p.mrecep_target]
        .into_iter()
        .chain(subgoals.iter().flat_map(|g| {
            g.interactions.iter().flat_map(|i| {
                [&i.object_id, &i.receptacle_object_id]
                    .into_iter()
                    .flatten()
                    .flat_map(|id| id.split('|').next())
            })
        }))
        .collect();
    let example = Example {
        task,
        task_instr: ann.task_desc.clone(),
        steps: gold_steps(&subgoals, &types),
        vis_objs: vis_objs(&traj.task_type, p),
        task_type: traj.task_type.clone(),
        sliced: p.object_sliced,
    };
    let goals = traj
        .turk_annotations
        .anns
        .iter()
        .map(|a| a.task_desc.clone())
        .collect();
    Ok((example, goals))
}

/// Reads every trajectory under `dir` (sorted by path) as an example.
pub fn read_pool(dir: &Path) -> Result<Vec<Example>, PoolError> {
    let files = trajectory_files(dir)?;
    if files.is_empty() {
        return Err(PoolError::Empty(dir.to_path_buf()));
    }
    files
        .iter()
        .map(|path| {
            let task = path
                .parent()
                .and_then(|trial| trial.strip_prefix(dir).ok())
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            read_example(path, task)
        })
        .collect()
}
