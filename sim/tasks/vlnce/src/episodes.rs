//! An opened VLN-CE episode file on its scene.

use crate::env::VlnceEnv;
use glam::DVec2;
use rayon::prelude::*;
use std::sync::Arc;
use waymark_continuous::env::NavScene;
use waymark_continuous::{ContinuousNavConfig, ContinuousNavEnv, WalkableConfig};
use waymark_core::{ContinuousEpisode, EpisodeContext, PosePoint, SensorRequest};
use waymark_scenes::load_scene;
use waymark_scenes::scene::UpAxis;
use waymark_scenes::scene_graph::SceneGraph;
use waymark_scenes::vlnce::read_vlnce_episodes;
use waymark_sensors::{Sensors, regions_of};
use waymark_task::{
    Environment, EpisodeMeta, EpisodeSet, TaskArgs, TaskEpisodes, TaskError, TopDown,
};

/// The environment, agent and success settings from the options (defaults where not given).
pub(crate) fn configs(
    args: &TaskArgs,
) -> Result<(ContinuousNavConfig, WalkableConfig, f64), TaskError> {
    let env = ContinuousNavConfig::default();
    let agent = WalkableConfig::default();
    Ok((
        ContinuousNavConfig {
            max_steps: args.at_least_one_or("max-steps", env.max_steps)?,
            forward_m: args.parse_or("forward-step", env.forward_m)?,
            turn_deg: args.parse_or("turn-angle", env.turn_deg)?,
            look_deg: args.parse_or("look-angle", env.look_deg)?,
            ..env
        },
        WalkableConfig {
            agent_radius_m: args.parse_or("agent-radius", agent.agent_radius_m)?,
            agent_height_m: args.parse_or("agent-height", agent.agent_height_m)?,
            max_step_m: args.parse_or("max-step", agent.max_step_m)?,
            max_slope_deg: args.parse_or("max-slope", agent.max_slope_deg)?,
            cell_m: args.parse_or("cell", agent.cell_m)?,
        },
        args.positive_f64_or("success-threshold", 3.0)?,
    ))
}

/// A VLN-CE episode file with its scene's walkable area and collision geometry, built once.
#[derive(Debug)]
pub struct VlnceEpisodes {
    set: EpisodeSet,
    episodes: Vec<ContinuousEpisode>,
    nav: Arc<NavScene>,
    env: ContinuousNavConfig,
    pub(crate) success_threshold_m: f64,
    /// The sensors layer on the scene loaded here (prepared for rendering on first use).
    sensors: Sensors,
}

impl VlnceEpisodes {
    /// Reads `--episodes`, loads `--scene` and builds its walkable area.
    pub fn open(args: &TaskArgs) -> Result<Self, TaskError> {
        let file = args.path("episodes")?;
        let (env, walkable, success_threshold_m) = configs(args)?;
        let episodes = read_vlnce_episodes(&file).map_err(TaskError::source)?;
        let up: Option<UpAxis> = args.parse_opt("up")?;
        let scene_path = args.path("scene")?;
        let scene = Arc::new(load_scene(&scene_path, up).map_err(TaskError::source)?);
        let rooms = SceneGraph::rooms_beside(&scene_path).map_err(TaskError::source)?;
        let nav = Arc::new(NavScene::new(&scene, &walkable).map_err(TaskError::source)?);
        let set = EpisodeSet {
            file,
            episodes: episodes
                .iter()
                .map(|e| EpisodeMeta {
                    id: e.episode_id.clone(),
                    scene: e.scene.clone(),
                    language: e.language.clone(),
                    task_type: None,
                })
                .collect(),
            max_steps: env.max_steps,
            success_threshold_m: Some(success_threshold_m),
        };
        Ok(Self {
            set,
            episodes,
            nav,
            env,
            success_threshold_m,
            sensors: Sensors::from_scene(scene, regions_of(&rooms)),
        })
    }

    /// The scene's walkable area and collision geometry.
    pub fn nav_scene(&self) -> &Arc<NavScene> {
        &self.nav
    }

    /// The environment settings.
    pub fn env_config(&self) -> &ContinuousNavConfig {
        &self.env
    }

    pub(crate) fn episode(&self, position: usize) -> Result<&ContinuousEpisode, TaskError> {
        self.set.pick(&self.episodes, position)
    }

    fn bad(&self, episode: &ContinuousEpisode, message: String) -> TaskError {
        TaskError::Episode {
            file: self.set.file.clone(),
            episode: episode.episode_id.clone(),
            message,
        }
    }

    /// A fresh environment on `episode`, whose scene must be this file's scene.
    pub(crate) fn env_for(
        &self,
        episode: &ContinuousEpisode,
    ) -> Result<ContinuousNavEnv, TaskError> {
        if episode.scene != self.nav.name {
            return Err(self.bad(
                episode,
                format!("is for scene {}, not {}", episode.scene, self.nav.name),
            ));
        }
        ContinuousNavEnv::new(self.nav.clone(), self.env.clone(), episode)
            .map_err(|e| self.bad(episode, e.to_string()))
    }
}

impl TaskEpisodes for VlnceEpisodes {
    fn set(&self) -> &EpisodeSet {
        &self.set
    }

    /// Checks that every episode is on this scene with start and goal on one walkable island.
    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError> {
        positions
            .par_iter()
            .try_for_each(|&p| self.env_for(self.episode(p)?).map(drop))?;
        if !sensors.is_empty() {
            self.sensors
                .prepare(&self.nav.name)
                .map_err(TaskError::source)?;
        }
        Ok(())
    }

    fn context(
        &self,
        position: usize,
        seed: u64,
        privileged: bool,
    ) -> Result<EpisodeContext, TaskError> {
        let e = self.episode(position)?;
        let privileged_view = || {
            serde_json::json!({
                "goal_position_m": e.goal_position_m,
                "reference_path_m": e.reference_path_m,
                "geodesic_distance_m": e.geodesic_distance_m,
            })
        };
        self.set.context(
            &crate::INFO,
            position,
            &e.instruction,
            seed,
            privileged.then_some(privileged_view),
        )
    }

    fn start(&self, position: usize) -> Result<Box<dyn Environment + '_>, TaskError> {
        let episode = self.episode(position)?;
        Ok(Box::new(VlnceEnv {
            env: self.env_for(episode)?,
            episode_id: &episode.episode_id,
            sensors: &self.sensors,
            success_threshold_m: self.success_threshold_m,
        }))
    }

    /// The reference path and the agent's poses (`[{position, heading}, …]`) on the floor
    /// plane; no map (the walkable area is a grid, not lines).
    fn top_down(
        &self,
        position: usize,
        trajectory: &serde_json::value::RawValue,
    ) -> Result<Option<TopDown>, TaskError> {
        let episode = self.episode(position)?;
        let poses: Vec<PosePoint> = serde_json::from_str(trajectory.get()).map_err(|e| {
            self.bad(
                episode,
                format!("a trajectory that is not [{{position, heading}}, …]: {e}"),
            )
        })?;
        let mut agent: Vec<DVec2> = poses
            .iter()
            .map(|p| DVec2::new(f64::from(p.position[0]), f64::from(p.position[1])))
            .collect();
        agent.dedup();
        Ok(Some(TopDown {
            map: Vec::new(),
            reference: episode
                .reference_path_m
                .iter()
                .map(|p| p.truncate().as_dvec2())
                .collect(),
            agent,
            success_radius_m: Some(self.success_threshold_m),
        }))
    }
}
