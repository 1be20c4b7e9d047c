//! One VLN-CE episode in the physics environment.

use glam::Vec3;
use serde_json::value::RawValue;
use waymark_continuous::ContinuousNavEnv;
use waymark_continuous::walks::add_floor_readings;
use waymark_core::{Action, Observation, PosePoint, SensorRequest};
use waymark_sensors::{CAMERA_HEIGHT_M, Sensors};
use waymark_task::{Environment, EpisodeEnd, StepError, StepOutcome, TaskError};

/// The continuous environment on one episode.
pub(crate) struct VlnceEnv<'a> {
    pub env: ContinuousNavEnv,
    pub episode_id: &'a str,
    pub sensors: &'a Sensors,
    pub success_threshold_m: f64,
}

impl Environment for VlnceEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        let mut observation = self.env.observe(privileged);
        if !sensors.is_empty() {
            let Observation::ContinuousNav(state) = &observation else {
                return Ok(observation);
            };
            let position = state.position_m;
            let eye = position + Vec3::Z * CAMERA_HEIGHT_M;
            let mut readings = self
                .sensors
                .read(&state.scene, eye, sensors)
                .map_err(TaskError::source)?;
            add_floor_readings(&self.env.scene().grid, position, sensors, &mut readings);
            observation.set_sensors(readings);
        }
        Ok(observation)
    }

    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError> {
        match self.env.step(action) {
            Ok(true) => Ok(StepOutcome::Running),
            Ok(false) if *action == Action::Stop => Ok(StepOutcome::Stopped),
            Ok(false) => Ok(StepOutcome::StepLimit),
            Err(e) => Err(StepError {
                episode: self.episode_id.to_string(),
                message: e.to_string(),
            }),
        }
    }

    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError> {
        let trajectory: Vec<PosePoint> = self
            .env
            .positions()
            .iter()
            .zip(self.env.headings())
            .map(|(p, &heading)| PosePoint {
                position: p.to_array(),
                heading,
            })
            .collect();
        let json = serde_json::to_string(&trajectory).map_err(TaskError::source)?;
        Ok(EpisodeEnd {
            metrics: self.env.metrics(self.success_threshold_m).to_metrics(),
            trajectory: RawValue::from_string(json).map_err(TaskError::source)?,
        })
    }
}
