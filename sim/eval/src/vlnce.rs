//! `waymark eval vlnce`: a planner over VLN-CE episodes on one scene, in continuous space.

use crate::batch::{BatchItem, Finished, drive_episode, file_name, in_pool, run_batch, select};
use crate::error::EvalError;
use crate::progress::Progress;
use crate::record::{EndReason, EpisodeRecord, PosePoint, RunManifest, Trajectory};
use crate::run_dir::RunDir;
use crate::seed::episode_seed;
use crate::shard::ShardSpec;
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
    /// The planner's registry name.
    pub planner: String,
    /// The planner's settings, recorded in `run.json` (see [`RunManifest::planner_settings`]).
    pub planner_settings: std::collections::BTreeMap<String, String>,
    /// The scene file every episode takes place in.
    pub scene: PathBuf,
    /// The scene file's up axis, when it does not say.
    pub up: Option<UpAxis>,
    /// The VLN-CE episode file.
    pub episodes_file: PathBuf,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Worker threads.
    pub workers: usize,
    /// This run's shard.
    pub shard: ShardSpec,
    /// Only the first N episodes of the file.
    pub limit: Option<usize>,
    /// The run's seed.
    pub seed: u64,
    /// Action sizes and the step limit.
    pub env: ContinuousNavConfig,
    /// The agent.
    pub walkable: WalkableConfig,
    /// The success radius in metres.
    pub success_threshold_m: f64,
}

/// Runs (or resumes) a VLN-CE batch and writes the output folder. Every episode is checked
/// (its scene, start and goal on one walkable island) before anything is written.
pub fn run_vlnce_eval(
    config: &VlnceEvalConfig,
    registry: &PlannerRegistry,
    progress: &dyn Progress,
) -> Result<Summary, EvalError> {
    in_pool(registry, &config.planner, config.workers, || {
        run_in_pool(config, registry, progress)
    })
}

fn run_in_pool(
    config: &VlnceEvalConfig,
    registry: &PlannerRegistry,
    progress: &dyn Progress,
) -> Result<Summary, EvalError> {
    let episodes = read_vlnce_episodes(&config.episodes_file)?;
    let scene = load_scene(&config.scene, config.up)?;
    let nav = Arc::new(
        NavScene::new(&scene, &config.walkable).map_err(|e| EvalError::Invalid(e.to_string()))?,
    );
    let ids: Vec<InstrId> = episodes
        .iter()
        .map(|e| InstrId::new(&e.episode_id))
        .collect();
    let selected = select(&episodes, config.limit, config.shard);
    selected.par_iter().try_for_each(|(_, e)| {
        if e.scene != scene.name {
            return Err(EvalError::Invalid(format!(
                "{}: episode {} is for scene {}, not {}",
                config.episodes_file.display(),
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
                    config.episodes_file.display(),
                    e.episode_id
                ))
            })
    })?;
    let manifest = RunManifest {
        task: "vlnce".into(),
        planner: config.planner.clone(),
        planner_settings: config.planner_settings.clone(),
        episodes_file: file_name(&config.episodes_file),
        instructions_in_file: episodes.len(),
        seed: config.seed,
        max_steps: config.env.max_steps,
        success_threshold_m: config.success_threshold_m,
        limit: config.limit,
        shard: config.shard,
    };
    let items: Vec<BatchItem<'_, ContinuousEpisode>> = selected
        .iter()
        .map(|&(position, episode)| BatchItem {
            position,
            id: &ids[position],
            episode,
        })
        .collect();
    run_batch(
        &RunDir::new(&config.out_dir),
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
    let mut planner = registry.create(&config.planner)?;
    let context = EpisodeContext {
        episode: EpisodeRef::Continuous(episode),
        seed: episode_seed(config.seed, &episode.episode_id),
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
        metrics: env.metrics(config.success_threshold_m),
        end,
        error,
        counters: Default::default(),
        cost_usd: None,
        trajectory: Trajectory::Continuous(trajectory),
    }))
}
