//! One ALFRED episode: ALFRED's evaluation loop (`models/eval/eval_task.py`) on the symbolic
//! household.

use crate::episodes::Trajectory;
use crate::goals::{GoalConditions, Targets, goal_conditions};
use crate::metrics::episode_metrics;
use crate::traj::ApiAction;
use crate::world::{Failure, World};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use waymark_core::sensors::RenderedView;
use waymark_core::{
    Action, ActionResult, HouseholdObservation, Interaction, Observation, SensorReadings,
    SensorRequest,
};
use waymark_task::{Environment, EpisodeEnd, StepError, StepOutcome, TaskError};

/// One attempted action, as the trajectory records it: the AI2-THOR call (the form of
/// ALFRED's leaderboard dump) and what came of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// The call.
    pub api_action: ApiAction,
    /// Whether it succeeded.
    pub success: bool,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An ALFRED episode in progress.
pub struct AlfredEnv<'a> {
    trajectory: &'a Trajectory,
    world: World,
    targets: Targets,
    max_steps: u32,
    max_fails: u32,
    /// ALFRED's `t`: actions attempted, except a final stop and the action that makes the
    /// last allowed failure.
    steps: u32,
    failures: u32,
    done: bool,
    attempts: Vec<Attempt>,
    last: Option<ActionResult>,
    episode_id: String,
}

impl<'a> AlfredEnv<'a> {
    pub(crate) fn new(
        trajectory: &'a Trajectory,
        episode_id: String,
        world: World,
        max_steps: u32,
        max_fails: u32,
    ) -> Self {
        let targets = Targets::of(&trajectory.data.pddl_params);
        Self {
            episode_id,
            trajectory,
            world,
            targets,
            max_steps,
            max_fails,
            steps: 0,
            failures: 0,
            done: false,
            attempts: Vec::new(),
            last: None,
        }
    }

    /// Whether the episode has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The household as it stands.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The goal conditions on the current state.
    pub fn goal_conditions(&self) -> GoalConditions {
        goal_conditions(&self.world, &self.trajectory.data.task_type, &self.targets)
            .unwrap_or(GoalConditions { met: 0, total: 1 })
    }

    /// The expert's action at the current step, by index (`Stop` after its last).
    fn teacher(&self) -> Action {
        self.trajectory
            .data
            .plan
            .low_actions
            .get(self.steps as usize)
            .and_then(|l| action_of(&l.api_action))
            .unwrap_or(Action::Stop)
    }

    /// Applies `action` to the world: the call ALFRED would record and the failure, if any.
    fn apply(&mut self, action: &Action) -> Result<(ApiAction, Result<(), Failure>), StepError> {
        let call = |name: &str, object: Option<&str>| ApiAction {
            action: name.to_string(),
            object_id: object.map(str::to_string),
            receptacle_object_id: None,
        };
        Ok(match action {
            Action::MoveForward => (call("MoveAhead", None), self.world.move_ahead()),
            Action::TurnLeft => {
                self.world.rotate(-90);
                (call("RotateLeft", None), Ok(()))
            }
            Action::TurnRight => {
                self.world.rotate(90);
                (call("RotateRight", None), Ok(()))
            }
            Action::LookUp => (call("LookUp", None), self.world.look(-15)),
            Action::LookDown => (call("LookDown", None), self.world.look(15)),
            Action::Interact {
                interaction,
                object_id,
            } => {
                let api = match interaction {
                    Interaction::Put => ApiAction {
                        action: interaction.alfred_name().into(),
                        object_id: self.world.held().map(|h| h.id.clone()),
                        receptacle_object_id: Some(object_id.clone()),
                    },
                    other => call(other.alfred_name(), Some(object_id)),
                };
                (api, self.world.interact(*interaction, object_id))
            }
            Action::MoveTo { .. }
            | Action::Turn { .. }
            | Action::Ground { .. }
            | Action::Crafter { .. }
            | Action::Minerl { .. }
            | Action::Stop => {
                return Err(StepError {
                    episode: self.episode_id.clone(),
                    message: format!(
                        "{action:?} is not a household action: MoveForward, TurnLeft, TurnRight, LookUp, LookDown, Interact, Stop"
                    ),
                });
            }
        })
    }
}

/// Whether a household can answer `request`: views (a map), not objects per sector.
pub(crate) fn check_request(request: &SensorRequest) -> Result<(), TaskError> {
    let views_only = SensorRequest {
        views: request.views.clone(),
        ..SensorRequest::default()
    };
    if *request == views_only {
        return Ok(());
    }
    Err(TaskError::SensorsUnavailable {
        task: crate::INFO.name.into(),
        message: "households list the visible objects in every observation; ask for views (a top-down map) only".into(),
    })
}

/// What a household's sensors give: for a `views` request, one top-down map of the floor plan
/// (`width` × `height`; heading = the agent's facing, elevation −90°). Objects per sector are
/// not offered: the observation lists the visible objects already.
pub(crate) fn sensor_readings(
    world: &World,
    request: &SensorRequest,
) -> Result<Option<SensorReadings>, TaskError> {
    check_request(request)?;
    Ok(request.views.as_ref().map(|view| {
        let pose = world.pose();
        SensorReadings {
            objects: Vec::new(),
            views: vec![RenderedView {
                heading_deg: pose.rotation_deg as f32,
                elevation_deg: -90.0,
                png_base64: crate::render::top_down_base64(
                    world,
                    &world.reachable_cells(),
                    view.width,
                    view.height,
                ),
                depth_png_base64: None,
            }],
            ..Default::default()
        }
    }))
}

/// The waymark action for an AI2-THOR call ALFRED's expert makes (`None` for any other).
pub fn action_of(api: &ApiAction) -> Option<Action> {
    Some(match api.action.as_str() {
        "MoveAhead" => Action::MoveForward,
        "RotateLeft" => Action::TurnLeft,
        "RotateRight" => Action::TurnRight,
        "LookUp" => Action::LookUp,
        "LookDown" => Action::LookDown,
        name => {
            let interaction = Interaction::from_alfred_name(name)?;
            let object_id = match interaction {
                Interaction::Put => api.receptacle_object_id.clone()?,
                _ => api.object_id.clone()?,
            };
            Action::Interact {
                interaction,
                object_id,
            }
        }
    })
}

impl Environment for AlfredEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        let pose = self.world.pose();
        let readings = sensor_readings(&self.world, sensors)?;
        Ok(Observation::Household(HouseholdObservation {
            scene: self.trajectory.data.scene.floor_plan.clone(),
            position_m: pose.position(),
            rotation_deg: f64::from(pose.rotation_deg),
            horizon_deg: f64::from(pose.horizon_deg),
            step: self.steps,
            failures: self.failures,
            held: self.world.held().map(|h| h.id.clone()),
            visible: self.world.seen(),
            last_action: self.last.clone(),
            sensors: readings,
            teacher: privileged.then(|| self.teacher()),
        }))
    }

    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError> {
        if self.done {
            return Err(StepError {
                episode: self.episode_id.clone(),
                message: "the episode has already ended".into(),
            });
        }
        if *action == Action::Stop {
            self.done = true;
            return Ok(StepOutcome::Stopped);
        }
        let (api_action, result) = self.apply(action)?;
        let error = result.err().map(|f| f.to_string());
        self.last = Some(ActionResult {
            action: api_action.action.clone(),
            success: error.is_none(),
            error: error.clone(),
        });
        let failed = error.is_some();
        self.attempts.push(Attempt {
            api_action,
            success: !failed,
            error,
        });
        if failed {
            self.failures += 1;
            if self.failures >= self.max_fails {
                self.done = true;
                return Ok(StepOutcome::TooManyFailures);
            }
        }
        self.steps += 1;
        if self.steps >= self.max_steps {
            self.done = true;
            return Ok(StepOutcome::StepLimit);
        }
        Ok(StepOutcome::Running)
    }

    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError> {
        let conditions = self.goal_conditions();
        let expert_steps = self.trajectory.data.plan.low_actions.len() as u32;
        let metrics = episode_metrics(conditions, expert_steps, self.steps, self.failures);
        let json = serde_json::to_string(&self.attempts).map_err(TaskError::source)?;
        Ok(EpisodeEnd {
            metrics,
            trajectory: RawValue::from_string(json).map_err(TaskError::source)?,
        })
    }
}
