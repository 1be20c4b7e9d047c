//! An opened R2R episode file and its graphs.

use crate::env::R2rEnv;
use glam::DVec2;
use rayon::prelude::*;
use std::collections::BTreeSet;
use waymark_core::memo::Memo;
use waymark_core::{EpisodeContext, NavEpisode, SensorReadings, SensorRequest};
use waymark_scenes::read_r2r_episodes;
use waymark_sensors::Sensors;
use waymark_sim::metrics::walk_indices;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, DiscreteNavConfig, DiscreteNavEnv, GraphStore};
use waymark_task::{
    Environment, EpisodeMeta, EpisodeSet, TaskArgs, TaskEpisodes, TaskError, TopDown,
};

/// An R2R episode file with the graph store its scans load from.
#[derive(Debug)]
pub struct R2rEpisodes {
    set: EpisodeSet,
    episodes: Vec<NavEpisode>,
    graphs: GraphStore,
    env: DiscreteNavConfig,
    success_threshold_m: f64,
    /// The sensors layer over `--scenes`, when given.
    sensors: Option<Sensors>,
    /// Readings per (scan, viewpoint): a viewpoint always sees the same.
    readings: Memo<(String, String), SensorReadings>,
}

impl R2rEpisodes {
    /// Reads `--episodes`; graphs load from `--connectivity` when first needed.
    pub fn open(args: &TaskArgs) -> Result<Self, TaskError> {
        let file = args.path("episodes")?;
        let episodes = read_r2r_episodes(&file).map_err(TaskError::source)?;
        let env = DiscreteNavConfig {
            max_steps: args.at_least_one_or("max-steps", DiscreteNavConfig::default().max_steps)?,
            ..DiscreteNavConfig::default()
        };
        let success_threshold_m =
            args.positive_f64_or("success-threshold", DEFAULT_SUCCESS_THRESHOLD_M)?;
        let set = EpisodeSet {
            file,
            episodes: episodes.iter().map(meta).collect(),
            max_steps: env.max_steps,
            success_threshold_m: Some(success_threshold_m),
        };
        Ok(Self {
            set,
            episodes,
            graphs: GraphStore::new(args.folder("connectivity")?),
            env,
            success_threshold_m,
            sensors: args.text("scenes").map(Sensors::from_folder),
            readings: Memo::new(),
        })
    }

    /// What the sensors see at `viewpoint` of `graph` (memoized per viewpoint).
    pub(crate) fn read_sensors(
        &self,
        graph: &waymark_sim::NavGraph,
        viewpoint: waymark_sim::NodeIx,
        request: &SensorRequest,
    ) -> Result<std::sync::Arc<SensorReadings>, TaskError> {
        let sensors = self.sensors.as_ref().ok_or_else(no_scenes)?;
        let scan = graph.scan().to_string();
        let key = (scan.clone(), graph.id(viewpoint).to_string());
        self.readings.get_or_make(&key, || {
            sensors
                .read(&scan, graph.position(viewpoint).as_vec3(), request)
                .map_err(TaskError::source)
        })
    }

    /// The episodes, in file order.
    pub fn nav_episodes(&self) -> &[NavEpisode] {
        &self.episodes
    }

    /// The graph store.
    pub fn graphs(&self) -> &GraphStore {
        &self.graphs
    }

    fn episode(&self, position: usize) -> Result<&NavEpisode, TaskError> {
        self.set.pick(&self.episodes, position)
    }
}

/// What the generic layers know of an R2R episode.
pub(crate) fn meta(e: &NavEpisode) -> EpisodeMeta {
    EpisodeMeta {
        id: e.instr_id.to_string(),
        scene: e.scan.to_string(),
        language: e.language.clone(),
        task_type: None,
    }
}

impl TaskEpisodes for R2rEpisodes {
    fn set(&self) -> &EpisodeSet {
        &self.set
    }

    /// Loads the graphs of the scans the episodes use (in parallel) and checks that every
    /// reference path is a walk on its graph.
    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError> {
        let episodes = positions
            .iter()
            .map(|&p| self.episode(p))
            .collect::<Result<Vec<_>, _>>()?;
        let scans: BTreeSet<_> = episodes.iter().map(|e| &e.scan).collect();
        scans
            .par_iter()
            .try_for_each(|scan| self.graphs.graph(scan).map(drop))
            .map_err(TaskError::source)?;
        if sensors.free_space_m.is_some() || sensors.walks {
            return Err(TaskError::SensorsUnavailable {
                task: crate::INFO.name.into(),
                message: "free space and walks are for continuous scenes; on graphs the observation lists the navigable viewpoints".into(),
            });
        }
        if !sensors.is_empty() {
            let dir = self.sensors.as_ref().ok_or_else(no_scenes)?;
            scans
                .par_iter()
                .try_for_each(|scan| dir.prepare(scan.as_str()).map(drop))
                .map_err(TaskError::source)?;
        }
        episodes.par_iter().try_for_each(|e| {
            let graph = self.graphs.graph(&e.scan).map_err(TaskError::source)?;
            walk_indices(&graph, &e.instr_id, &e.reference_path)
                .map(drop)
                .map_err(|err| TaskError::Episode {
                    file: self.set.file.clone(),
                    episode: e.instr_id.to_string(),
                    message: format!("its reference path: {err}"),
                })
        })
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
                "reference_path": e.reference_path,
                "goal": e.goal(),
                "distance_m": e.distance_m,
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
        let graph = self
            .graphs
            .graph(&episode.scan)
            .map_err(TaskError::source)?;
        let env = DiscreteNavEnv::new(graph.clone(), self.env.clone(), episode)
            .map_err(TaskError::source)?;
        Ok(Box::new(R2rEnv {
            env,
            graph,
            episode,
            episodes: self,
            success_threshold_m: self.success_threshold_m,
        }))
    }

    /// The scan's graph (its edges as the map), the reference path and the viewpoints the
    /// trajectory (`[[viewpoint, heading, elevation], …]`) visited, on the floor plane.
    fn top_down(
        &self,
        position: usize,
        trajectory: &serde_json::value::RawValue,
    ) -> Result<Option<TopDown>, TaskError> {
        let episode = self.episode(position)?;
        let graph = self
            .graphs
            .graph(&episode.scan)
            .map_err(TaskError::source)?;
        let poses: Vec<(String, f64, f64)> =
            serde_json::from_str(trajectory.get()).map_err(|e| TaskError::Episode {
                file: self.set.file.clone(),
                episode: episode.instr_id.to_string(),
                message: format!(
                    "a trajectory that is not [[viewpoint, heading, elevation], …]: {e}"
                ),
            })?;
        let floor = |id: &str| graph.index_of(id).map(|v| graph.position(v).truncate());
        let mut agent: Vec<DVec2> = poses.iter().filter_map(|(v, _, _)| floor(v)).collect();
        agent.dedup();
        let map = (0..graph.len() as waymark_sim::NodeIx)
            .flat_map(|v| {
                let graph = &graph;
                graph
                    .edges(v)
                    .iter()
                    .filter(move |e| v < e.to)
                    .map(move |e| {
                        [
                            graph.position(v).truncate(),
                            graph.position(e.to).truncate(),
                        ]
                    })
            })
            .collect();
        Ok(Some(TopDown {
            map,
            reference: episode
                .reference_path
                .iter()
                .filter_map(|v| floor(v.as_str()))
                .collect(),
            agent,
            success_radius_m: Some(self.success_threshold_m),
        }))
    }
}

fn no_scenes() -> TaskError {
    TaskError::SensorsUnavailable {
        task: crate::INFO.name.into(),
        message: "no --scenes folder of <scan>.ply was given".into(),
    }
}
