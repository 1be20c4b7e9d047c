//! `waymark eval r2r`: a planner over an R2R-family episode file on Matterport-format graphs.

use crate::batch::{BatchConfig, BatchItem, Finished, drive_episode, in_pool, run_batch, select};
use crate::error::EvalError;
use crate::progress::Progress;
use crate::record::{EndReason, EpisodeRecord, Trajectory};
use crate::run_dir::RunDir;
use crate::seed::episode_seed;
use crate::summary::Summary;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use waymark_core::{EpisodeRef, NavEpisode, ViewpointId};
use waymark_planner::{EpisodeContext, PlannerRegistry};
use waymark_scenes::read_r2r_episodes;
use waymark_sim::metrics::walk_indices;
use waymark_sim::{
    DiscreteNavConfig, DiscreteNavEnv, GraphStore, StepOutcome, score_nav_trajectory,
};

/// Settings of an R2R batch.
#[derive(Clone, Debug)]
pub struct R2rEvalConfig {
    /// Planner, episode file, output, workers, shard, limit, seed, success radius.
    pub batch: BatchConfig,
    /// Folder of `<scan>_connectivity.json` files.
    pub connectivity_dir: PathBuf,
    /// Environment settings (step limit, field of view).
    pub env: DiscreteNavConfig,
}

/// Reads an episode file and the graphs of every scan it uses (in parallel on the current
/// rayon pool), and checks that every reference path is a walk on its graph.
pub fn load_r2r_batch(
    connectivity_dir: &Path,
    episodes_file: &Path,
) -> Result<(Vec<NavEpisode>, GraphStore), EvalError> {
    let episodes = read_r2r_episodes(episodes_file)?;
    let graphs = GraphStore::new(connectivity_dir);
    check_episodes(&episodes.iter().collect::<Vec<_>>(), &graphs)?;
    Ok((episodes, graphs))
}

/// Loads the graphs `episodes` need and checks each reference path is walkable.
fn check_episodes(episodes: &[&NavEpisode], graphs: &GraphStore) -> Result<(), EvalError> {
    let scans: BTreeSet<_> = episodes.iter().map(|e| &e.scan).collect();
    scans
        .par_iter()
        .try_for_each(|scan| graphs.graph(scan).map(drop))?;
    episodes.par_iter().try_for_each(|e| {
        let graph = graphs.graph(&e.scan)?;
        walk_indices(&graph, &e.instr_id, &e.reference_path).map(drop)
    })?;
    Ok(())
}

/// Runs (or resumes) a batch and writes the output folder. Returns the summary.
pub fn run_r2r_eval(
    config: &R2rEvalConfig,
    registry: &PlannerRegistry,
    progress: &dyn Progress,
) -> Result<Summary, EvalError> {
    in_pool(
        registry,
        &config.batch.planner,
        config.batch.workers,
        || run_in_pool(config, registry, progress),
    )
}

fn run_in_pool(
    config: &R2rEvalConfig,
    registry: &PlannerRegistry,
    progress: &dyn Progress,
) -> Result<Summary, EvalError> {
    let all = read_r2r_episodes(&config.batch.episodes_file)?;
    let selected = select(&all, config.batch.limit, config.batch.shard);
    let graphs = GraphStore::new(&config.connectivity_dir);
    check_episodes(
        &selected.iter().map(|(_, e)| *e).collect::<Vec<_>>(),
        &graphs,
    )?;

    let manifest = config
        .batch
        .manifest("r2r", all.len(), config.env.max_steps);
    let items: Vec<BatchItem<'_, NavEpisode>> = selected
        .iter()
        .map(|&(position, episode)| BatchItem {
            position,
            id: &episode.instr_id,
            episode,
        })
        .collect();
    run_batch(
        &RunDir::new(&config.batch.out_dir),
        &manifest,
        &items,
        progress,
        |position, episode| run_episode(config, registry, &graphs, position, episode),
    )
}

/// Runs one episode to its end and scores it. Planner failures and invalid actions end the
/// episode where the agent stands and are recorded; they do not stop the batch.
fn run_episode(
    config: &R2rEvalConfig,
    registry: &PlannerRegistry,
    graphs: &GraphStore,
    position: usize,
    episode: &NavEpisode,
) -> Result<Finished, EvalError> {
    let graph = graphs.graph(&episode.scan)?;
    let mut env = DiscreteNavEnv::new(graph.clone(), config.env.clone(), episode)?;
    let mut planner = registry.create(&config.batch.planner)?;
    let context = EpisodeContext {
        episode: EpisodeRef::Discrete(episode),
        seed: episode_seed(config.batch.seed, episode.instr_id.as_str()),
    };
    let driven = drive_episode(
        planner.as_mut(),
        context,
        &mut env,
        |env| env.observe(),
        |env, action| match env.step(action) {
            Ok(StepOutcome::Running) => Ok(None),
            Ok(StepOutcome::Stopped) => Ok(Some(EndReason::Stopped)),
            Ok(StepOutcome::StepLimit) => Ok(Some(EndReason::StepLimit)),
            Err(e) => Err(e.to_string()),
        },
    );
    let trajectory = env.into_trajectory();
    let visited: Vec<ViewpointId> = trajectory.iter().map(|p| p.viewpoint.clone()).collect();
    let metrics =
        score_nav_trajectory(&graph, episode, &visited, config.batch.success_threshold_m)?;
    Ok(driven.finish(|end, error| EpisodeRecord {
        index: position,
        instr_id: episode.instr_id.clone(),
        scan: episode.scan.clone(),
        language: episode.language.clone(),
        metrics,
        end,
        error,
        counters: Default::default(),
        cost_usd: None,
        trajectory: Trajectory::Graph(trajectory),
    }))
}
