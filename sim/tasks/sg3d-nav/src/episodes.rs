//! An opened navigate-then-ground task file: SG3D's tasks, their mesh scenes (walkable
//! floors, sensors) and the walking and viewing settings.

use crate::env::NavEnv;
use crate::outcome::{NavTrajectory, StepResult, replay};
use crate::scene::{GroundingScene, SceneSet};
use crate::start::start_pose;
use crate::view::ViewConfig;
use std::sync::Arc;
use waymark_continuous::{ContinuousNavConfig, WalkableConfig};
use waymark_core::{EpisodeContext, Metrics, SensorRequest};
use waymark_sg3d::{
    GroundingTask, LoadedScene, SceneStore, check_targets, read_tasks, task_context,
};
use waymark_task::{
    Environment, EpisodeMeta, EpisodeSet, TaskArgs, TaskEpisodes, TaskError, TopDown,
};

/// The language of tasks that give none (SG3D's are English).
const LANGUAGE: &str = "en";

/// How the agent walks and what counts as in view.
#[derive(Clone, Debug, PartialEq)]
pub struct NavConfig {
    /// VLN-CE's action sizes; `max_steps` is the moves allowed per step.
    pub walk: ContinuousNavConfig,
    /// The instance view and the grounding distance.
    pub view: ViewConfig,
}

impl Default for NavConfig {
    fn default() -> Self {
        Self {
            walk: ContinuousNavConfig {
                max_steps: 250,
                ..ContinuousNavConfig::default()
            },
            view: ViewConfig {
                size_px: 128,
                hfov_deg: 90.0,
                ground_within_m: 3.0,
            },
        }
    }
}

impl NavConfig {
    /// The settings `args` give, defaults elsewhere.
    pub fn of(args: &TaskArgs) -> Result<Self, TaskError> {
        let d = Self::default();
        Ok(Self {
            walk: ContinuousNavConfig {
                max_steps: args.at_least_one_or("max-moves", d.walk.max_steps)?,
                forward_m: args.parse_or("forward-step", d.walk.forward_m)?,
                turn_deg: args.parse_or("turn-angle", d.walk.turn_deg)?,
                look_deg: args.parse_or("look-angle", d.walk.look_deg)?,
                ..d.walk
            },
            view: ViewConfig {
                size_px: args.at_least_one_or("view-size", d.view.size_px)?,
                hfov_deg: args.parse_or("hfov", d.view.hfov_deg)?,
                ground_within_m: args
                    .positive_f64_or("ground-distance", f64::from(d.view.ground_within_m))?
                    as f32,
            },
        })
    }
}

/// An opened task file.
#[derive(Debug)]
pub struct NavEpisodes {
    set: EpisodeSet,
    tasks: Vec<GroundingTask>,
    scenes: SceneSet,
    /// The walking and viewing settings.
    pub config: NavConfig,
}

impl NavEpisodes {
    /// Reads `--episodes`; the scenes (`--scenes`) load when an episode first needs them.
    pub fn open(args: &TaskArgs) -> Result<Self, TaskError> {
        let path = args.path("episodes")?;
        let scenes = args.path("scenes")?;
        let config = NavConfig::of(args)?;
        let tasks = read_tasks(&path, args.text("scan"))?;
        let episodes = tasks
            .iter()
            .enumerate()
            .map(|(t, task)| EpisodeMeta {
                id: t.to_string(),
                scene: task.scene().to_string(),
                language: Some(task.language.clone().unwrap_or_else(|| LANGUAGE.into())),
                task_type: None,
            })
            .collect();
        let longest = tasks.iter().map(|t| t.steps.len()).max().unwrap_or(1) as u64;
        // Every step may take all its moves and its answer.
        let max_steps = longest * (u64::from(config.walk.max_steps) + 1);
        Ok(Self {
            set: EpisodeSet {
                file: path,
                episodes,
                max_steps: u32::try_from(max_steps).unwrap_or(u32::MAX),
                success_threshold_m: None,
            },
            tasks,
            scenes: SceneSet::new(SceneStore::new(Some(scenes)), WalkableConfig::default()),
            config,
        })
    }

    /// The task at `position`.
    pub fn task(&self, position: usize) -> Result<&GroundingTask, TaskError> {
        self.set.pick(&self.tasks, position)
    }

    /// An error about the episode at `position`.
    fn bad(&self, position: usize, message: String) -> TaskError {
        TaskError::Episode {
            file: self.set.file.clone(),
            episode: self.set.episodes[position].id.clone(),
            message,
        }
    }

    /// The scene of the task at `position`, once its targets are checked to be candidates.
    pub(crate) fn scene(&self, position: usize) -> Result<GroundingScene, TaskError> {
        let task = self.task(position)?;
        let scene = self
            .scenes
            .get(task.scene())
            .map_err(|e| self.bad(position, format!("scan {}: {e}", task.scan_id)))?;
        check_targets(task, scene.objects()).map_err(|e| self.bad(position, e))?;
        Ok(scene)
    }

    /// What each answered step of `trajectory` achieved, replayed in the scene of the task at
    /// `position`.
    pub fn step_results(
        &self,
        position: usize,
        trajectory: &NavTrajectory,
    ) -> Result<Vec<StepResult>, TaskError> {
        let scene = self.scene(position)?;
        replay(&scene, &self.config.view, self.task(position)?, trajectory)
            .map_err(|e| self.bad(position, e))
    }

    /// The scene of the task at `position`, its candidates and sensors.
    pub fn loaded_scene(&self, position: usize) -> Result<Arc<LoadedScene>, TaskError> {
        Ok(self.scene(position)?.loaded)
    }

    /// The metrics of `trajectory` for the task at `position`, replayed in its scene.
    pub fn score(&self, position: usize, trajectory: &NavTrajectory) -> Result<Metrics, TaskError> {
        let scene = self.scene(position)?;
        crate::outcome::score(&scene, &self.config.view, self.task(position)?, trajectory)
            .map(|(metrics, _)| metrics)
            .map_err(|e| self.bad(position, e))
    }
}

impl TaskEpisodes for NavEpisodes {
    fn set(&self) -> &EpisodeSet {
        &self.set
    }

    /// Loads the scenes, checks every step's target and that each task has a start.
    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError> {
        waymark_sensors::check_request(sensors).map_err(TaskError::source)?;
        for &p in positions {
            let scene = self.scene(p)?;
            if start_pose(
                &scene.nav.grid,
                &self.set.episodes[p].scene,
                &self.set.episodes[p].id,
            )
            .is_none()
            {
                return Err(self.bad(p, "the scene has no walkable floor to start on".into()));
            }
        }
        Ok(())
    }

    /// SG3D's context ([`task_context`]).
    fn context(
        &self,
        position: usize,
        seed: u64,
        privileged: bool,
    ) -> Result<EpisodeContext, TaskError> {
        task_context(
            &self.set,
            &crate::INFO,
            self.task(position)?,
            position,
            seed,
            privileged,
        )
    }

    fn start(&self, position: usize) -> Result<Box<dyn Environment + '_>, TaskError> {
        let scene = self.scene(position)?;
        let meta = &self.set.episodes[position];
        let (start, heading) =
            start_pose(&scene.nav.grid, &meta.scene, &meta.id).ok_or_else(|| {
                self.bad(
                    position,
                    "the scene has no walkable floor to start on".into(),
                )
            })?;
        let env = NavEnv::new(
            &self.set.file,
            self.task(position)?,
            &meta.id,
            scene,
            &self.config,
            start,
            heading,
        )
        .map_err(|e| self.bad(position, e))?;
        Ok(Box::new(env))
    }

    /// The walked path from above; the reference is each step's shortest walk.
    fn top_down(
        &self,
        position: usize,
        trajectory: &serde_json::value::RawValue,
    ) -> Result<Option<TopDown>, TaskError> {
        let trajectory: NavTrajectory =
            serde_json::from_str(trajectory.get()).map_err(TaskError::source)?;
        let scene = self.scene(position)?;
        Ok(Some(crate::outcome::top_down(
            &scene,
            &self.config,
            self.task(position)?,
            &trajectory,
        )))
    }
}
