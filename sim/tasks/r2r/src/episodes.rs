//! An opened R2R episode file and its graphs.

use crate::env::R2rEnv;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use waymark_core::{DiscreteNavObservation, EpisodeContext, NavEpisode};
use waymark_scenes::read_r2r_episodes;
use waymark_sim::metrics::walk_indices;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, DiscreteNavConfig, DiscreteNavEnv, GraphStore};
use waymark_task::{EpisodeMeta, Environment, TaskArgs, TaskEpisodes, TaskError};

/// An R2R episode file with the graph store its scans load from.
#[derive(Debug)]
pub struct R2rEpisodes {
    file: PathBuf,
    episodes: Vec<NavEpisode>,
    meta: Vec<EpisodeMeta>,
    graphs: GraphStore,
    env: DiscreteNavConfig,
    success_threshold_m: f64,
}

impl R2rEpisodes {
    /// Reads `--episodes`; graphs load from `--connectivity` when first needed.
    pub fn open(args: &TaskArgs) -> Result<Self, TaskError> {
        let file = args.path("episodes")?;
        let episodes = read_r2r_episodes(&file).map_err(TaskError::source)?;
        let meta = episodes
            .iter()
            .map(|e| EpisodeMeta {
                id: e.instr_id.to_string(),
                scene: e.scan.to_string(),
                language: e.language.clone(),
                task_type: None,
            })
            .collect();
        Ok(Self {
            file,
            episodes,
            meta,
            graphs: GraphStore::new(args.path("connectivity")?),
            env: DiscreteNavConfig {
                max_steps: args.parse_or("max-steps", DiscreteNavConfig::default().max_steps)?,
                ..DiscreteNavConfig::default()
            },
            success_threshold_m: args
                .parse_or("success-threshold", DEFAULT_SUCCESS_THRESHOLD_M)?,
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
        self.episodes
            .get(position)
            .ok_or_else(|| TaskError::Episode {
                file: self.file.clone(),
                episode: format!("#{position}"),
                message: format!("the file has {} episodes", self.episodes.len()),
            })
    }
}

impl TaskEpisodes for R2rEpisodes {
    fn episodes_file(&self) -> &Path {
        &self.file
    }

    fn episodes(&self) -> &[EpisodeMeta] {
        &self.meta
    }

    fn max_steps(&self) -> u32 {
        self.env.max_steps
    }

    fn success_threshold_m(&self) -> Option<f64> {
        Some(self.success_threshold_m)
    }

    /// Loads the graphs of the scans the episodes use (in parallel) and checks that every
    /// reference path is a walk on its graph.
    fn check(&self, positions: &[usize]) -> Result<(), TaskError> {
        let episodes = positions
            .iter()
            .map(|&p| self.episode(p))
            .collect::<Result<Vec<_>, _>>()?;
        let scans: BTreeSet<_> = episodes.iter().map(|e| &e.scan).collect();
        scans
            .par_iter()
            .try_for_each(|scan| self.graphs.graph(scan).map(drop))
            .map_err(TaskError::source)?;
        episodes
            .par_iter()
            .try_for_each(|e| {
                let graph = self.graphs.graph(&e.scan)?;
                walk_indices(&graph, &e.instr_id, &e.reference_path).map(drop)
            })
            .map_err(TaskError::source)
    }

    fn context(
        &self,
        position: usize,
        seed: u64,
        privileged: bool,
    ) -> Result<EpisodeContext, TaskError> {
        let e = self.episode(position)?;
        Ok(EpisodeContext {
            task: crate::INFO.name.into(),
            observation_kind: DiscreteNavObservation::KIND.into(),
            episode_id: e.instr_id.to_string(),
            scene: e.scan.to_string(),
            instruction: e.instruction.clone(),
            language: e.language.clone(),
            seed,
            max_steps: self.env.max_steps,
            privileged: privileged.then(|| {
                serde_json::json!({
                    "reference_path": e.reference_path,
                    "goal": e.goal(),
                    "distance_m": e.distance_m,
                })
            }),
        })
    }

    fn start(&self, position: usize) -> Result<Box<dyn Environment + '_>, TaskError> {
        let episode = self.episode(position)?;
        let graph = self.graphs.graph(&episode.scan).map_err(TaskError::source)?;
        let env = DiscreteNavEnv::new(graph.clone(), self.env.clone(), episode)
            .map_err(TaskError::source)?;
        Ok(Box::new(R2rEnv {
            env,
            graph,
            episode,
            success_threshold_m: self.success_threshold_m,
        }))
    }
}
