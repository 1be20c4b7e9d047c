//! One navigate-then-ground task in progress: each step is a walk in VLN-CE's environment
//! towards nowhere in particular (the agent decides), ended by a `Ground` answer.

use crate::episodes::NavConfig;
use crate::outcome::{NavTrajectory, PathPoint, viewpoint};
use crate::scene::GroundingScene;
use crate::view::{Pose, in_view};
use glam::Vec3;
use serde_json::value::RawValue;
use std::path::Path;
use waymark_continuous::ContinuousNavEnv;
use waymark_continuous::walks::add_floor_readings;
use waymark_core::angles::wrap_to_pi;
use waymark_core::{Action, ContinuousEpisode, GroundingAgent, InView, Observation, SensorRequest};
use waymark_sensors::CAMERA_HEIGHT_M;
use waymark_sg3d::{GroundingTask, grounding_observation, grounding_readings};
use waymark_task::{Environment, EpisodeEnd, StepError, StepOutcome, TaskError};

/// A task in progress.
pub(crate) struct NavEnv<'a> {
    /// The task file, for errors.
    file: &'a Path,
    task: &'a GroundingTask,
    episode_id: &'a str,
    scene: GroundingScene,
    config: &'a NavConfig,
    /// The current step's walk: VLN-CE's environment, its goal the viewpoint of the step's
    /// object (for the privileged teacher only).
    walk: ContinuousNavEnv,
    /// Collisions of the earlier steps' walks.
    earlier_collisions: u32,
    trajectory: NavTrajectory,
    done: bool,
}

impl<'a> NavEnv<'a> {
    /// The task's agent at `start` facing `heading_rad`, ready for its first step.
    pub(crate) fn new(
        file: &'a Path,
        task: &'a GroundingTask,
        episode_id: &'a str,
        scene: GroundingScene,
        config: &'a NavConfig,
        start: Vec3,
        heading_rad: f32,
    ) -> Result<Self, String> {
        let walk = Self::walk_for(task, episode_id, &scene, config, 0, start, heading_rad)?;
        let trajectory = NavTrajectory {
            path: vec![PathPoint {
                position: start.to_array(),
                heading: heading_rad,
                elevation: 0.0,
            }],
            ..NavTrajectory::default()
        };
        Ok(Self {
            file,
            task,
            episode_id,
            scene,
            config,
            walk,
            earlier_collisions: 0,
            trajectory,
            done: false,
        })
    }

    /// Step `step`'s walk from `start`: its goal is the viewpoint of the step's object, or
    /// the start itself when no walkable point reaches the object.
    fn walk_for(
        task: &GroundingTask,
        episode_id: &str,
        scene: &GroundingScene,
        config: &NavConfig,
        step: usize,
        start: Vec3,
        heading_rad: f32,
    ) -> Result<ContinuousNavEnv, String> {
        let grid = &scene.nav.grid;
        let goal = task
            .steps
            .get(step)
            .and_then(|s| scene.objects().get(s.target_id))
            .and_then(|o| viewpoint(grid, o.min_m, o.max_m, config.view.ground_within_m, start))
            .unwrap_or(start);
        let episode = ContinuousEpisode {
            episode_id: format!("{episode_id} step {}", step + 1),
            scene: scene.loaded.scene.name.clone(),
            start_position_m: start,
            start_heading_rad: heading_rad,
            goal_position_m: goal,
            reference_path_m: Vec::new(),
            instruction: String::new(),
            language: None,
            geodesic_distance_m: 0.0,
        };
        ContinuousNavEnv::new(scene.nav.clone(), config.walk.clone(), &episode)
            .map_err(|e| e.to_string())
    }

    /// Where the agent stands and looks.
    fn pose(&self) -> Pose {
        // The path always holds the start.
        let last = self.trajectory.path.last().copied().unwrap_or(PathPoint {
            position: [0.0; 3],
            heading: 0.0,
            elevation: 0.0,
        });
        last.pose()
    }

    /// The privileged teacher: ground the gold object once it is in view; else walk the
    /// geodesic path to its viewpoint; there, face it (turning, then looking up or down)
    /// and ground it, seen or not.
    fn teacher(&self, seen: &[InView]) -> Action {
        let Some(step) = self.task.steps.get(self.trajectory.answers.len()) else {
            return Action::Stop;
        };
        let gold = step.target_id;
        if seen.iter().any(|v| v.id == gold) {
            return Action::Ground { object_id: gold };
        }
        match self.walk.teacher() {
            Action::Stop => {}
            walking => return walking,
        }
        let Some(object) = self.scene.objects().get(gold) else {
            return Action::Ground { object_id: gold };
        };
        let pose = self.pose();
        let eye = pose.position_m + Vec3::Z * CAMERA_HEIGHT_M;
        let to = object.centre_m - eye;
        let turn = wrap_to_pi(f64::from(to.x.atan2(to.y) - pose.heading_rad)) as f32;
        let half_turn = self.config.walk.turn_deg.to_radians() / 2.0;
        if turn > half_turn {
            return Action::TurnRight;
        }
        if turn < -half_turn {
            return Action::TurnLeft;
        }
        let look = to.z.atan2(to.truncate().length()) - pose.elevation_rad;
        let half_look = self.config.walk.look_deg.to_radians() / 2.0;
        if look > half_look {
            Action::LookUp
        } else if look < -half_look {
            Action::LookDown
        } else {
            Action::Ground { object_id: gold }
        }
    }

    fn error(&self, message: String) -> StepError {
        StepError {
            episode: self.episode_id.to_string(),
            message,
        }
    }

    /// Answers the current step from where the agent stands; the next step's walk begins.
    fn ground(&mut self, object_id: u32) -> Result<StepOutcome, StepError> {
        let at = self.trajectory.path.len() - 1;
        self.trajectory.answers.push(object_id);
        self.trajectory.grounded_at.push(at);
        let step = self.trajectory.answers.len();
        if step >= self.task.steps.len() {
            self.done = true;
            return Ok(StepOutcome::Stopped);
        }
        let pose = self.pose();
        self.earlier_collisions += self.walk.collisions();
        self.walk = Self::walk_for(
            self.task,
            self.episode_id,
            &self.scene,
            self.config,
            step,
            pose.position_m,
            pose.heading_rad,
        )
        .map_err(|e| self.error(e))?;
        Ok(StepOutcome::Running)
    }
}

impl Environment for NavEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        let pose = self.pose();
        let seen = in_view(&self.scene, &self.config.view, &pose).map_err(|message| {
            TaskError::SensorsUnavailable {
                task: crate::INFO.name.into(),
                message,
            }
        })?;
        let mut observation = grounding_observation(
            self.task,
            self.scene.objects(),
            &self.trajectory.answers,
            privileged,
        );
        let teacher = privileged.then(|| self.teacher(&seen));
        observation.agent = Some(Box::new(GroundingAgent {
            position_m: pose.position_m,
            heading_rad: pose.heading_rad,
            elevation_rad: pose.elevation_rad,
            moves: u32::try_from(self.trajectory.path.len() - 1).unwrap_or(u32::MAX),
            collisions: self.earlier_collisions + self.walk.collisions(),
            ground_within_m: self.config.view.ground_within_m,
            in_view: seen,
            teacher,
        }));
        let mut observation = Observation::Grounding(observation);
        if !sensors.is_empty() {
            let eye = pose.position_m + Vec3::Z * CAMERA_HEIGHT_M;
            let mut readings =
                grounding_readings(&self.scene.loaded, eye, sensors).map_err(TaskError::source)?;
            add_floor_readings(
                &self.scene.nav.grid,
                pose.position_m,
                sensors,
                &mut readings,
            );
            observation.set_sensors(readings);
        }
        Ok(observation)
    }

    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError> {
        if self.done {
            return Err(self.error("the episode has already ended".into()));
        }
        match action {
            Action::Ground { object_id } => return self.ground(*object_id),
            Action::Stop => {
                self.done = true;
                return Ok(StepOutcome::Stopped);
            }
            Action::MoveForward
            | Action::TurnLeft
            | Action::TurnRight
            | Action::LookUp
            | Action::LookDown => {}
            other => {
                return Err(self.error(format!(
                    "{other:?} is not a navigate-then-ground action: MoveForward, TurnLeft, TurnRight, LookUp, LookDown, Ground, Stop"
                )));
            }
        }
        let going_on = self
            .walk
            .step(action)
            .map_err(|e| self.error(e.to_string()))?;
        let (position, heading) = (
            self.walk.positions().last().copied(),
            self.walk.headings().last().copied(),
        );
        if let (Some(position), Some(heading)) = (position, heading) {
            self.trajectory.path.push(PathPoint {
                position: position.to_array(),
                heading,
                elevation: self.walk.elevation_rad(),
            });
        }
        if going_on {
            Ok(StepOutcome::Running)
        } else {
            // The step's moves are spent.
            self.done = true;
            Ok(StepOutcome::StepLimit)
        }
    }

    fn finish(mut self: Box<Self>) -> Result<EpisodeEnd, TaskError> {
        let (metrics, correct) =
            crate::outcome::score(&self.scene, &self.config.view, self.task, &self.trajectory)
                .map_err(|message| TaskError::Episode {
                    file: self.file.to_path_buf(),
                    episode: self.episode_id.to_string(),
                    message,
                })?;
        self.trajectory.correct = correct;
        let json = serde_json::to_string(&self.trajectory).map_err(TaskError::source)?;
        Ok(EpisodeEnd {
            metrics,
            trajectory: RawValue::from_string(json).map_err(TaskError::source)?,
        })
    }
}
