//! One SG3D task in progress: the planner answers its steps one at a time.

use crate::metrics::episode_metrics;
use crate::objects::SceneObjects;
use crate::scenes::LoadedScene;
use crate::task_file::GroundingTask;
use glam::Vec3;
use serde_json::value::RawValue;
use std::cell::RefCell;
use std::sync::Arc;
use waymark_core::{Action, GroundingObservation, Observation, SensorReadings, SensorRequest};
use waymark_sensors::SensorError;
use waymark_task::{Environment, EpisodeEnd, StepError, StepOutcome, TaskError};

/// Plain grounding senses from the scene's centre and has no floor to walk on: free space and
/// walks are refused, everything else is checked by the sensors layer.
pub(crate) fn check_request(request: &SensorRequest) -> Result<(), TaskError> {
    let unavailable = |message: String| TaskError::SensorsUnavailable {
        task: crate::INFO.name.into(),
        message,
    };
    if request.free_space_m.is_some() || request.walks {
        return Err(unavailable(
            "free space and walks need an agent on a walkable floor (navigate-then-ground, sg3d-nav, has one)".into(),
        ));
    }
    waymark_sensors::check_request(request).map_err(|e| unavailable(e.to_string()))
}

/// The readings `request` asks for in `scene`, seen from `eye_m`; the bird's-eye map carries
/// the candidates' SG3D ids.
pub fn grounding_readings(
    scene: &LoadedScene,
    eye_m: Vec3,
    request: &SensorRequest,
) -> Result<SensorReadings, SensorError> {
    let name = &scene.scene.name;
    let rest = SensorRequest {
        birds_eye_px: None,
        ..request.clone()
    };
    let mut readings = scene.sensors.read(name, eye_m, &rest)?;
    if let Some(px) = request.birds_eye_px {
        readings.birds_eye = Some(scene.sensors.birds_eye(name, px, &scene.id_labels())?);
    }
    Ok(readings)
}

/// An SG3D task in progress. `Ground` answers the current step (any id: one that is not a
/// candidate is simply wrong); the episode ends after the last step, or at `Stop`, which
/// leaves the remaining steps unanswered (wrong). The trajectory is the answered ids.
pub struct Sg3dEnv<'a> {
    task: &'a GroundingTask,
    episode_id: String,
    scene: Arc<LoadedScene>,
    /// Where sensor readings are taken from.
    eye_m: Vec3,
    /// The readings last taken, with their request: from a fixed viewpoint they change only
    /// with the request, so later steps reuse them instead of rendering again.
    readings: RefCell<Option<(SensorRequest, SensorReadings)>>,
    answers: Vec<u32>,
    done: bool,
}

impl<'a> Sg3dEnv<'a> {
    pub(crate) fn new(
        task: &'a GroundingTask,
        episode_id: String,
        scene: Arc<LoadedScene>,
        eye_m: Vec3,
    ) -> Self {
        Self {
            task,
            episode_id,
            scene,
            eye_m,
            readings: RefCell::new(None),
            answers: Vec::new(),
            done: false,
        }
    }
}

/// What a grounding planner observes of `task` after `answers`: the task, the step to
/// answer, the candidates and, when `privileged`, the step's gold object; no agent.
pub fn grounding_observation(
    task: &GroundingTask,
    objects: &SceneObjects,
    answers: &[u32],
    privileged: bool,
) -> GroundingObservation {
    let step = answers.len();
    GroundingObservation {
        scene: task.scene().to_string(),
        task_description: task.description.clone(),
        steps: task.steps.iter().map(|s| s.text.clone()).collect(),
        step: u32::try_from(step).unwrap_or(u32::MAX),
        answers: answers.to_vec(),
        objects: objects.objects.clone(),
        teacher: task
            .steps
            .get(step)
            .filter(|_| privileged)
            .map(|s| s.target_id),
        sensors: None,
        agent: None,
    }
}

impl Environment for Sg3dEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        let mut observation =
            grounding_observation(self.task, &self.scene.objects, &self.answers, privileged);
        if !sensors.is_empty() {
            let mut taken = self.readings.borrow_mut();
            let readings = match taken.as_ref() {
                Some((request, readings)) if request == sensors => readings.clone(),
                _ => {
                    let fresh = grounding_readings(&self.scene, self.eye_m, sensors)
                        .map_err(TaskError::source)?;
                    *taken = Some((sensors.clone(), fresh.clone()));
                    fresh
                }
            };
            observation.sensors = Some(readings);
        }
        Ok(Observation::Grounding(observation))
    }

    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError> {
        if self.done {
            return Err(StepError {
                episode: self.episode_id.clone(),
                message: "the episode has already ended".into(),
            });
        }
        match action {
            Action::Ground { object_id } => self.answers.push(*object_id),
            Action::Stop => {}
            other => {
                return Err(StepError {
                    episode: self.episode_id.clone(),
                    message: format!("{other:?} is not a grounding action: Ground, Stop"),
                });
            }
        }
        if *action == Action::Stop || self.answers.len() >= self.task.steps.len() {
            self.done = true;
            return Ok(StepOutcome::Stopped);
        }
        Ok(StepOutcome::Running)
    }

    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError> {
        let metrics = episode_metrics(&self.answers, &self.task.targets());
        let json = serde_json::to_string(&self.answers).map_err(TaskError::source)?;
        Ok(EpisodeEnd {
            metrics,
            trajectory: RawValue::from_string(json).map_err(TaskError::source)?,
        })
    }
}
