//! `waymark eval vlnce`: a planner over VLN-CE episodes on one scene, in continuous space.

use crate::batch::{BatchConfig, BatchItem, Finished, drive_episode, in_pool, run_batch, select};
use crate::error::EvalError;
use crate::progress::Progress;
use crate::record::{EndReason, EpisodeRecord, PosePoint, Trajectory};
use crate::run_dir::RunDir;
use crate::seed::episode_seed;
use crate::summary::Summary;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_continuous::env::NavScene;
use waymark_continuous::{ContinuousNavConfig, ContinuousNavEnv, WalkableConfig};
use waymark_core::{Action, ContinuousEpisode, EpisodeRef, InstrId, ScanId};
use waymark_planner::{EpisodeContext, PlannerRegistry};
use waymark_scenes::load_scene;
use waymark_scenes::scene::UpAxis;
use waymark_scenes::vlnce::read_vlnce_episodes;

/// Settings of a VLN-CE batch.
#[derive(Clone, Debug)]
pub struct VlnceEvalConfig {
    /// Planner, episode file, output, workers, shard, limit, seed, success radius.
    pub batch: BatchConfig,
    /// The scene file every episode takes place in.
    pub scene: PathBuf,
    /// The scene file's up axis, when it does not say.
    pub up: Option<UpAxis>,
    /// Action sizes and the step limit.
    pub env: ContinuousNavConfig,
    /// The agent.
    pub walkable: WalkableConfig,
}

/// Runs (or resumes) a VLN-CE batch and writes the output folder. Every episode is checked
/// (its scene, start and goal on one walkable island) before anything is written.
pub fn run_vlnce_eval(
    config: &VlnceEvalConfig,
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
    config: &VlnceEvalConfig,
    registry: &PlannerRegistry,
    progress: &dyn Progress,
) -> Result<Summary, EvalError> {
    let episodes = read_vlnce_episodes(&config.batch.episodes_file)?;
    let scene = load_scene(&config.scene, config.up)?;
    let nav = Arc::new(
        NavScene::new(&scene, &config.walkable).map_err(|e| EvalError::Invalid(e.to_string()))?,
    );
    let ids: Vec<InstrId> = episodes
        .iter()
        .map(|e| InstrId::new(&e.episode_id))
        .collect();
    let selected = select(&episodes, config.batch.limit, config.batch.shard);
    selected.par_iter().try_for_each(|(_, e)| {
        if e.scene != scene.name {
            return Err(EvalError::Invalid(format!(
                "{}: episode {} is for scene {}, not {}",
                config.batch.episodes_file.display(),
                e.episode_id,
                e.scene,
                scene.name
            )));
        }
        ContinuousNavEnv::new(nav.clone(), config.env.clone(), e)
            .map(drop)
            .map_err(|err| {
                EvalError::Invalid(format!(
                    "{}: episode {}: {err}",
                    config.batch.episodes_file.display(),
                    e.episode_id
                ))
            })
    })?;
    let manifest = config
        .batch
        .manifest("vlnce", episodes.len(), config.env.max_steps);
    let items: Vec<BatchItem<'_, ContinuousEpisode>> = selected
        .iter()
        .map(|&(position, episode)| BatchItem {
            position,
            id: &ids[position],
            episode,
        })
        .collect();
    run_batch(
        &RunDir::new(&config.batch.out_dir),
        &manifest,
        &items,
        progress,
        |position, episode| run_episode(config, registry, &nav, position, episode),
    )
}

/// Runs one episode to its end and scores it; planner failures end it where the agent stands.
fn run_episode(
    config: &VlnceEvalConfig,
    registry: &PlannerRegistry,
    nav: &Arc<NavScene>,
    position: usize,
    episode: &ContinuousEpisode,
) -> Result<Finished, EvalError> {
    let mut env = ContinuousNavEnv::new(nav.clone(), config.env.clone(), episode)
        .map_err(|e| EvalError::Invalid(e.to_string()))?;
    let mut planner = registry.create(&config.batch.planner)?;
    let context = EpisodeContext {
        episode: EpisodeRef::Continuous(episode),
        seed: episode_seed(config.batch.seed, &episode.episode_id),
    };
    let driven = drive_episode(
        planner.as_mut(),
        context,
        &mut env,
        |env| env.observe(),
        |env, action| match env.step(action) {
            Ok(true) => Ok(None),
            Ok(false) if *action == Action::Stop => Ok(Some(EndReason::Stopped)),
            Ok(false) => Ok(Some(EndReason::StepLimit)),
            Err(e) => Err(format!("{}: invalid action: {e}", episode.episode_id)),
        },
    );
    let trajectory = env
        .positions()
        .iter()
        .zip(env.headings())
        .map(|(p, &heading)| PosePoint {
            position: p.to_array(),
            heading,
        })
        .collect();
    Ok(driven.finish(|end, error| EpisodeRecord {
        index: position,
        instr_id: InstrId::new(&episode.episode_id),
        scan: ScanId::new(&episode.scene),
        language: episode.language.clone(),
        metrics: env.metrics(config.batch.success_threshold_m),
        end,
        error,
        counters: Default::default(),
        cost_usd: None,
        trajectory: Trajectory::Continuous(trajectory),
    }))
}
