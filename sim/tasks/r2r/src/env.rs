//! One R2R episode in the discrete environment.

use crate::episodes::R2rEpisodes;
use serde_json::value::RawValue;
use std::sync::Arc;
use waymark_core::{Action, NavEpisode, Observation, SensorRequest, ViewpointId};
use waymark_sim::{DiscreteNavEnv, NavGraph, score_nav_trajectory};
use waymark_task::{Environment, EpisodeEnd, StepError, StepOutcome, TaskError};

/// The discrete environment on one episode, scored with the official metrics at the end.
pub(crate) struct R2rEnv<'a> {
    pub env: DiscreteNavEnv,
    pub graph: Arc<NavGraph>,
    pub episode: &'a NavEpisode,
    pub episodes: &'a R2rEpisodes,
    pub success_threshold_m: f64,
}

impl Environment for R2rEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        let mut observation = self.env.observe_nav();
        if !privileged {
            observation.teacher = None;
        }
        if !sensors.is_empty() {
            let readings =
                self.episodes
                    .read_sensors(&self.graph, self.env.viewpoint(), sensors)?;
            observation.sensors = Some(readings.as_ref().clone());
        }
        Ok(Observation::DiscreteNav(observation))
    }

    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError> {
        self.env.step(action).map_err(|e| StepError {
            episode: self.episode.instr_id.to_string(),
            message: e.to_string(),
        })
    }

    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError> {
        let trajectory = self.env.into_trajectory();
        let visited: Vec<ViewpointId> = trajectory.iter().map(|p| p.viewpoint.clone()).collect();
        let metrics = score_nav_trajectory(
            &self.graph,
            self.episode,
            &visited,
            self.success_threshold_m,
        )
        .map_err(TaskError::source)?;
        let json = serde_json::to_string(&trajectory).map_err(TaskError::source)?;
        Ok(EpisodeEnd {
            metrics: metrics.to_metrics(),
            trajectory: RawValue::from_string(json).map_err(TaskError::source)?,
        })
    }
}
