//! One VLN-CE episode in the physics environment.

use serde_json::value::RawValue;
use waymark_continuous::ContinuousNavEnv;
use waymark_core::{Action, Observation, PosePoint};
use waymark_task::{EpisodeEnd, Environment, StepError, StepOutcome, TaskError};

/// The continuous environment on one episode.
pub(crate) struct VlnceEnv<'a> {
    pub env: ContinuousNavEnv,
    pub episode_id: &'a str,
    pub success_threshold_m: f64,
}

impl Environment for VlnceEnv<'_> {
    fn observe(&self, privileged: bool) -> Observation {
        self.env.observe(privileged)
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
