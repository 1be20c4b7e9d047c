//! ALFRED episode files: the official `<split>/<task>/<trial>/traj_data.json` layout or single
//! files, one episode per (trajectory, annotation) as ALFRED evaluates, and the floor plans'
//! layouts.

use crate::build;
use crate::env::AlfredEnv;
use crate::goals::TASK_TYPES;
use crate::traj::TrajData;
use crate::world::World;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use waymark_core::{EpisodeContext, SensorRequest};
use waymark_io::read_json;
use waymark_task::{
    Environment, EpisodeMeta, EpisodeSet, TaskArgs, TaskEpisodes, TaskError, TopDown,
};

/// ALFRED's step limit.
pub const MAX_STEPS: u32 = 1000;
/// ALFRED's limit on failed actions.
pub const MAX_FAILS: u32 = 10;

/// One trajectory and what its floor plan gives it.
#[derive(Debug)]
pub(crate) struct Trajectory {
    pub data: TrajData,
    /// The cells the agent may stand on: the layout's and every cell the expert stands on.
    pub reachable: HashSet<(i32, i32)>,
}

/// An opened ALFRED episode set.
#[derive(Debug)]
pub struct AlfredEpisodes {
    set: EpisodeSet,
    trajectories: Vec<Trajectory>,
    /// Per episode: (trajectory, annotation).
    episodes: Vec<(usize, usize)>,
    /// Fixed object ids per floor plan.
    inventories: BTreeMap<String, BTreeSet<String>>,
    max_fails: u32,
}

#[derive(Deserialize)]
struct Layout {
    points_xz: Vec<[f64; 2]>,
}

/// `traj_data.json` files under `path` (a file, or a folder searched recursively), sorted.
fn trajectory_files(path: &Path) -> Result<Vec<PathBuf>, TaskError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| waymark_io::IoError::io(&folder, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| waymark_io::IoError::io(&folder, e))?;
            let p = entry.path();
            if p.is_dir() {
                folders.push(p);
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("traj_data.json"))
            {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

impl AlfredEpisodes {
    /// Reads `--episodes` (a folder or a file) and each floor plan's layout from `--layouts`.
    pub fn open(args: &TaskArgs) -> Result<Self, TaskError> {
        let path = args.path("episodes")?;
        let layouts = args.path("layouts")?;
        let max_steps = args.at_least_one_or("max-steps", MAX_STEPS)?;
        let max_fails = args.parse_or("max-fails", MAX_FAILS)?;
        let files = trajectory_files(&path)?;
        if files.is_empty() {
            return Err(TaskError::Episode {
                file: path,
                episode: "-".into(),
                message: "no traj_data.json file here".into(),
            });
        }
        let mut trajectories = Vec::new();
        let mut inventories: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut reachable_of: BTreeMap<String, HashSet<(i32, i32)>> = BTreeMap::new();
        for file in files {
            let data: TrajData = read_json(&file)?;
            let bad = |message: String| TaskError::Episode {
                file: file.clone(),
                episode: data.task_id.clone(),
                message,
            };
            if !TASK_TYPES.contains(&data.task_type.as_str()) {
                return Err(bad(format!(
                    "task_type `{}` is not one of ALFRED's seven ({})",
                    data.task_type,
                    TASK_TYPES.join(", ")
                )));
            }
            let ids = build::plan_ids(&data);
            if let Some(id) = ids
                .iter()
                .find(|id| waymark_core::object_ids::position_of(id).is_none())
            {
                return Err(bad(format!(
                    "the plan names object id `{id}`, which is not ALFRED's Type|x|y|z"
                )));
            }
            if let Some(id) = build::unmatched_plan_ids(&data, &ids).first() {
                return Err(bad(format!(
                    "the plan names object {id}, which no entry of scene.object_poses matches"
                )));
            }
            if data.turk_annotations.anns.is_empty() {
                return Err(bad("turk_annotations.anns is empty".into()));
            }
            let plan = data.scene.floor_plan.clone();
            if !reachable_of.contains_key(&plan) {
                let layout: Layout = read_json(&layouts.join(format!("{plan}-layout.json")))?;
                let cells = layout
                    .points_xz
                    .iter()
                    .map(|[x, z]| crate::world::cell_of(*x, *z))
                    .collect();
                reachable_of.insert(plan.clone(), cells);
                let openable_file = layouts.join(format!("{plan}-openable.json"));
                let openable: BTreeMap<String, serde_json::Value> = if openable_file.is_file() {
                    read_json(&openable_file)?
                } else {
                    BTreeMap::new()
                };
                inventories
                    .entry(plan.clone())
                    .or_default()
                    .extend(openable.into_keys());
            }
            inventories.entry(plan.clone()).or_default().extend(ids);
            let mut reachable = reachable_of.get(&plan).cloned().unwrap_or_default();
            reachable.extend(build::expert_cells(&data));
            trajectories.push(Trajectory { data, reachable });
        }
        let mut episodes = Vec::new();
        let mut metas = Vec::new();
        for (t, traj) in trajectories.iter().enumerate() {
            for (a, ann) in traj.data.turk_annotations.anns.iter().enumerate() {
                episodes.push((t, a));
                metas.push(EpisodeMeta {
                    id: format!("{}_{a}", traj.data.task_id),
                    scene: traj.data.scene.floor_plan.clone(),
                    language: Some(ann.language.clone().unwrap_or_else(|| "en".into())),
                    task_type: Some(traj.data.task_type.clone()),
                });
            }
        }
        Ok(Self {
            set: EpisodeSet {
                file: path,
                episodes: metas,
                max_steps,
                success_threshold_m: None,
            },
            trajectories,
            episodes,
            inventories,
            max_fails,
        })
    }

    /// The trajectory and annotation of the episode at `position`.
    pub(crate) fn episode(&self, position: usize) -> Result<(&Trajectory, usize), TaskError> {
        let &(t, a) = self.set.pick(&self.episodes, position)?;
        Ok((&self.trajectories[t], a))
    }

    /// The world `traj` starts in.
    fn world(&self, traj: &Trajectory) -> World {
        let empty = BTreeSet::new();
        let fixed = self
            .inventories
            .get(&traj.data.scene.floor_plan)
            .unwrap_or(&empty);
        build::household(&traj.data, fixed, &traj.reachable)
    }

    /// A fresh environment for the episode at `position`, with its household in reach
    /// ([`AlfredEnv::world`], [`AlfredEnv::goal_conditions`]).
    pub fn environment(&self, position: usize) -> Result<AlfredEnv<'_>, TaskError> {
        let (traj, _) = self.episode(position)?;
        let world = self.world(traj);
        Ok(AlfredEnv::new(
            traj,
            self.set.episodes[position].id.clone(),
            world,
            self.set.max_steps,
            self.max_fails,
        ))
    }
}

impl TaskEpisodes for AlfredEpisodes {
    fn set(&self) -> &EpisodeSet {
        &self.set
    }

    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError> {
        crate::env::check_request(sensors)?;
        for &p in positions {
            self.episode(p)?;
        }
        Ok(())
    }

    fn context(
        &self,
        position: usize,
        seed: u64,
        privileged: bool,
    ) -> Result<EpisodeContext, TaskError> {
        let (traj, annotation) = self.episode(position)?;
        let ann = &traj.data.turk_annotations.anns[annotation];
        let view = match privileged {
            true => Some(crate::privileged::context(traj, &self.world(traj))),
            false => None,
        };
        self.set.context(
            &crate::INFO,
            position,
            &instruction_text(&ann.task_desc, &ann.high_descs),
            seed,
            view.map(|v| move || v),
        )
    }

    fn start(&self, position: usize) -> Result<Box<dyn Environment + '_>, TaskError> {
        Ok(Box::new(self.environment(position)?))
    }

    /// The reachable cells' outline, the expert's walk and the agent's (its recorded
    /// attempts, `[{api_action, success, error}, …]`, replayed).
    fn top_down(
        &self,
        position: usize,
        trajectory: &serde_json::value::RawValue,
    ) -> Result<Option<TopDown>, TaskError> {
        let attempts: Vec<crate::env::Attempt> =
            serde_json::from_str(trajectory.get()).map_err(|e| TaskError::Episode {
                file: self.set.file.clone(),
                episode: self.set.episodes[position].id.clone(),
                message: format!("a trajectory that is not ALFRED's recorded attempts: {e}"),
            })?;
        crate::top_down::top_down(self, position, &attempts).map(Some)
    }
}

/// What ALFRED's agents are told: the goal, then the step-by-step instructions, one a line.
fn instruction_text(goal: &str, steps: &[String]) -> String {
    let mut text = goal.trim().to_string();
    for (k, step) in steps.iter().enumerate() {
        text.push_str(&format!("\n{}. {}", k + 1, step.trim()));
    }
    text
}
