//! An opened SG3D task file: one episode per task, in file order, and the scenes they need.

use crate::env::Sg3dEnv;
use crate::objects::SceneObjects;
use crate::scenes::{LoadedScene, SceneStore};
use crate::task_file::{GroundingTask, read_tasks};
use glam::Vec3;
use std::sync::Arc;
use waymark_core::{EpisodeContext, SensorRequest};
use waymark_task::{
    Environment, EpisodeMeta, EpisodeSet, TaskArgs, TaskEpisodes, TaskError, TaskInfo,
};

/// The language of SG3D's tasks, for tasks that give none.
const LANGUAGE: &str = "en";

/// An opened SG3D task file.
#[derive(Debug)]
pub struct Sg3dEpisodes {
    set: EpisodeSet,
    tasks: Vec<GroundingTask>,
    scenes: SceneStore,
    /// `--viewpoint`: where sensor readings are taken from.
    viewpoint: Option<Vec3>,
}

impl Sg3dEpisodes {
    /// Reads `--episodes` (SG3D's JSON array, or its text form with `--scan`); the scenes
    /// (`--scenes`) are read when an episode first needs them.
    pub fn open(args: &TaskArgs) -> Result<Self, TaskError> {
        let path = args.path("episodes")?;
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
        let longest = tasks.iter().map(|t| t.steps.len()).max().unwrap_or(1);
        Ok(Self {
            set: EpisodeSet {
                file: path,
                episodes,
                max_steps: u32::try_from(longest).unwrap_or(u32::MAX),
                success_threshold_m: None,
            },
            tasks,
            scenes: SceneStore::new(args.text("scenes").map(Into::into)),
            viewpoint: args.point_opt("viewpoint")?,
        })
    }

    /// The task at `position`.
    pub fn task(&self, position: usize) -> Result<&GroundingTask, TaskError> {
        self.set.pick(&self.tasks, position)
    }

    /// The scene of the task at `position`, once every step's target is checked to be one
    /// of its objects: errors name the task, the step and the object.
    pub fn scene(&self, position: usize) -> Result<Arc<LoadedScene>, TaskError> {
        let task = self.task(position)?;
        let bad = |message: String| TaskError::Episode {
            file: self.set.file.clone(),
            episode: self.set.episodes[position].id.clone(),
            message,
        };
        let scene = self
            .scenes
            .get(task.scene())
            .map_err(|e| bad(format!("scan {}: {e}", task.scan_id)))?;
        check_targets(task, &scene.objects).map_err(bad)?;
        Ok(scene)
    }
}

/// What a planner is told at the start of `task` (at `position` of `set`, a file of task
/// `info`): the whole task as the instruction (description and every step, SG3D's default
/// context); for privileged planners `{"targets": [id, …]}`.
pub fn task_context(
    set: &EpisodeSet,
    info: &TaskInfo,
    task: &GroundingTask,
    position: usize,
    seed: u64,
    privileged: bool,
) -> Result<EpisodeContext, TaskError> {
    let view = privileged.then_some(move || serde_json::json!({ "targets": task.targets() }));
    set.context(info, position, &task.instruction(), seed, view)
}

/// Checks that every step's target is one of `objects`; the error names the step, the
/// object and why it is not a candidate.
pub fn check_targets(task: &GroundingTask, objects: &SceneObjects) -> Result<(), String> {
    for (k, step) in task.steps.iter().enumerate() {
        if objects.get(step.target_id).is_some() {
            continue;
        }
        let why = match objects.skipped.get(&step.target_id) {
            Some(Some(label)) => format!("is a `{label}` instance, which is never a candidate"),
            Some(None) => "is an unlabelled instance, which is never a candidate".into(),
            None => format!(
                "is not an object of scene {} ({} candidates)",
                task.scene(),
                objects.objects.len()
            ),
        };
        return Err(format!(
            "step {} ({:?}): target id {} ({}) {why}",
            k + 1,
            step.text,
            step.target_id,
            step.label
        ));
    }
    Ok(())
}

impl TaskEpisodes for Sg3dEpisodes {
    fn set(&self) -> &EpisodeSet {
        &self.set
    }

    /// Loads the scenes and checks every step's target and the sensor request.
    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError> {
        crate::env::check_request(sensors)?;
        for &p in positions {
            self.scene(p)?;
        }
        Ok(())
    }

    /// The instruction is the whole task (description and every step, SG3D's default
    /// context); the privileged view is `{"targets": [id, …]}`.
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
        let eye_m = self.viewpoint.unwrap_or(scene.centre_eye_m);
        Ok(Box::new(Sg3dEnv::new(
            self.task(position)?,
            self.set.episodes[position].id.clone(),
            scene,
            eye_m,
        )))
    }
}
