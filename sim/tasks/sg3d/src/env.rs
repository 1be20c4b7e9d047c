//! One SG3D task in progress: the planner answers its steps one at a time.

use crate::metrics::episode_metrics;
use crate::objects::SceneObjects;
use crate::task_file::GroundingTask;
use serde_json::value::RawValue;
use std::sync::Arc;
use waymark_core::{Action, GroundingObservation, Observation, SensorRequest};
use waymark_task::{Environment, EpisodeEnd, StepError, StepOutcome, TaskError};

/// Grounding has no agent to sense from: any sensor request is refused.
pub(crate) fn check_request(request: &SensorRequest) -> Result<(), TaskError> {
    if request.is_empty() {
        return Ok(());
    }
    Err(TaskError::SensorsUnavailable {
        task: crate::INFO.name.into(),
        message: "grounding observations list the scene's objects already and have no agent to sense from".into(),
    })
}

/// An SG3D task in progress. `Ground` answers the current step (any id: one that is not a
/// candidate is simply wrong); the episode ends after the last step, or at `Stop`, which
/// leaves the remaining steps unanswered (wrong). The trajectory is the answered ids.
pub struct Sg3dEnv<'a> {
    task: &'a GroundingTask,
    episode_id: String,
    objects: Arc<SceneObjects>,
    answers: Vec<u32>,
    done: bool,
}

impl<'a> Sg3dEnv<'a> {
    pub(crate) fn new(
        task: &'a GroundingTask,
        episode_id: String,
        objects: Arc<SceneObjects>,
    ) -> Self {
        Self {
            task,
            episode_id,
            objects,
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
        agent: None,
    }
}

impl Environment for Sg3dEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        check_request(sensors)?;
        Ok(Observation::Grounding(grounding_observation(
            self.task,
            &self.objects,
            &self.answers,
            privileged,
        )))
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
