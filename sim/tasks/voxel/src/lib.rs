//! The voxel-world task family: two tasks on the `waymark-voxel` world.
//!
//! - `steve1`: STEVE-1's eleven early-game prompts ([`steve1`]), 3,000 MineRL ticks each,
//!   with its four released programmatic measures and waymark's seven for the other
//!   prompts; summaries per prompt (the episode's task type) give STEVE-1's table.
//! - `crafter`: the Crafter benchmark ([`crafter`]) in 3D: Crafter's 17 actions, 10,000
//!   steps, its 22 achievements' success rates and its score; the submission is Crafter's
//!   own `stats.jsonl`.
//!
//! Episodes come from a JSON file ([`VoxelEpisode`]) or from `--seeds`. An episode's
//! trajectory holds its seed and every action, so it replays exactly (recordings, the
//! window).

pub mod crafter;
mod env;
mod episodes;
pub mod steve1;

pub use env::{Actions, Trajectory, VoxelEnv};
pub use episodes::{CRAFTER_INSTRUCTION, ResolvedEpisode, VoxelEpisode, VoxelEpisodes};
pub use waymark_core::Steve1Family;

use std::collections::BTreeMap;
use std::path::Path;
use waymark_core::{Metrics, VoxelObservation};
use waymark_task::{
    EpisodeMeta, EpisodeRecord, ScoreOptions, Task, TaskArgs, TaskEpisodes, TaskError, TaskInfo,
    TaskOption,
};

/// Episodes of `kind` on `seeds` (STEVE-1: every prompt on each), each `max_steps` long,
/// as `--seeds` makes them (the shipped demo files are these).
pub fn demo_episodes(
    kind: TaskKind,
    seeds: std::ops::Range<u64>,
    max_steps: u32,
) -> Vec<VoxelEpisode> {
    let mut episodes = kind.episodes_for(seeds);
    for e in &mut episodes {
        e.max_steps = Some(max_steps);
    }
    episodes
}

/// Which of the two voxel tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// STEVE-1's prompts.
    Steve1,
    /// The Crafter benchmark.
    Crafter,
}

impl TaskKind {
    /// Its declaration.
    pub fn info(self) -> &'static TaskInfo {
        match self {
            Self::Steve1 => &STEVE1_INFO,
            Self::Crafter => &CRAFTER_INFO,
        }
    }

    /// Episodes per seed of `seeds`: Crafter one, STEVE-1 one per prompt.
    fn episodes_for(self, seeds: std::ops::Range<u64>) -> Vec<VoxelEpisode> {
        let plain = |id: String, seed: u64, family: Option<String>| VoxelEpisode {
            id,
            seed,
            family,
            prompt: None,
            max_steps: None,
            world_chunks: None,
            action_space: None,
        };
        match self {
            Self::Crafter => seeds.map(|s| plain(format!("seed-{s}"), s, None)).collect(),
            Self::Steve1 => Steve1Family::ALL
                .into_iter()
                .flat_map(|f| {
                    seeds
                        .clone()
                        .map(move |s| plain(format!("{}-{s}", f.name()), s, Some(f.name().into())))
                })
                .collect(),
        }
    }

    fn default_length(self) -> u32 {
        match self {
            Self::Steve1 => 3_000,
            Self::Crafter => 10_000,
        }
    }

    fn default_space(self) -> waymark_core::VoxelActionSpace {
        match self {
            Self::Steve1 => waymark_core::VoxelActionSpace::Minerl,
            Self::Crafter => waymark_core::VoxelActionSpace::Crafter,
        }
    }
}

const fn common_options(
    length_default: &'static str,
    space_default: &'static str,
) -> [TaskOption; 5] {
    [
        TaskOption {
            name: "episodes",
            value_name: "PATH",
            help: "a voxel episode file: a JSON array of {id, seed, family (STEVE-1), prompt, max_steps, world_chunks, action_space}",
            default: None,
            required: false,
        },
        TaskOption {
            name: "seeds",
            value_name: "N|A..B",
            help: "instead of --episodes: seeds 0..N (or A..B); STEVE-1 runs every prompt on each",
            default: None,
            required: false,
        },
        TaskOption {
            name: "length",
            value_name: "STEPS",
            help: length_default,
            default: None,
            required: false,
        },
        TaskOption {
            name: "world-chunks",
            value_name: "N",
            help: "the world's side in 16-block chunks, overriding the file (else the file's, else 8)",
            default: None,
            required: false,
        },
        TaskOption {
            name: "action-space",
            value_name: "crafter|minerl",
            help: space_default,
            default: None,
            required: false,
        },
    ]
}

static STEVE1_OPTIONS: [TaskOption; 5] = common_options(
    "actions per episode, overriding the file (else the file's, else 3000)",
    "the action space, overriding the file (else the file's, else minerl)",
);
static CRAFTER_OPTIONS: [TaskOption; 5] = common_options(
    "actions per episode, overriding the file (else the file's, else 10000)",
    "the action space, overriding the file (else the file's, else crafter)",
);

/// The STEVE-1 task's declaration.
pub static STEVE1_INFO: TaskInfo = TaskInfo {
    name: "steve1",
    description: "STEVE-1's eleven early-game prompts in the voxel world, with programmatic scores",
    observation_kind: VoxelObservation::KIND,
    episode_formats: &[
        "voxel episodes JSON: [{id, seed, family, prompt?, max_steps?, world_chunks?, action_space?}], or --seeds",
    ],
    metrics: &steve1::STEVE1_METRICS,
    options: &STEVE1_OPTIONS,
};

/// The Crafter task's declaration.
pub static CRAFTER_INFO: TaskInfo = TaskInfo {
    name: "crafter",
    description: "the Crafter benchmark in 3D: 22 achievements, their success rates and the Crafter score",
    observation_kind: VoxelObservation::KIND,
    episode_formats: &[
        "voxel episodes JSON: [{id, seed, max_steps?, world_chunks?, action_space?}], or --seeds",
    ],
    metrics: &crafter::CRAFTER_METRICS,
    options: &CRAFTER_OPTIONS,
};

/// The `steve1` task.
#[derive(Debug, Default, Clone, Copy)]
pub struct Steve1Task;

/// The `crafter` task.
#[derive(Debug, Default, Clone, Copy)]
pub struct CrafterTask;

impl Task for Steve1Task {
    fn info(&self) -> &'static TaskInfo {
        &STEVE1_INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(VoxelEpisodes::open(TaskKind::Steve1, args)?))
    }

    /// Writes `{"<episode id>": {measure: value, …}}` (STEVE-1 has no submission format).
    fn write_submission(&self, records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
        let out: BTreeMap<&str, BTreeMap<&str, f64>> = records
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.metrics.iter().map(|(k, v)| (k, v.as_f64())).collect(),
                )
            })
            .collect();
        waymark_io::write_json_atomic(path, &out, true)?;
        Ok(())
    }

    fn score(
        &self,
        args: &TaskArgs,
        submission: &Path,
        options: ScoreOptions,
    ) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
        let episodes = self.open(args)?;
        let values: BTreeMap<String, BTreeMap<String, f64>> = waymark_io::read_json(submission)?;
        let ids: Vec<&String> = values.keys().collect();
        let set = episodes.set();
        let entry_of = set.match_submission(ids.iter().map(|s| s.as_str()), options)?;
        Ok(set
            .episodes
            .iter()
            .zip(entry_of)
            .filter_map(|(meta, entry)| {
                let measured = &values[ids[entry?]];
                let mut m = Metrics::new();
                for def in &steve1::STEVE1_METRICS {
                    m.set(
                        def.name,
                        waymark_core::MetricValue::Real(
                            measured.get(def.name).copied().unwrap_or(0.0),
                        ),
                    );
                }
                Some((meta.clone(), m))
            })
            .collect())
    }
}

impl Task for CrafterTask {
    fn info(&self) -> &'static TaskInfo {
        &CRAFTER_INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(VoxelEpisodes::open(TaskKind::Crafter, args)?))
    }

    /// Writes Crafter's `stats.jsonl`.
    fn write_submission(&self, records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
        crafter::write_stats(records, path)
    }

    fn score(
        &self,
        args: &TaskArgs,
        submission: &Path,
        options: ScoreOptions,
    ) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
        let episodes = self.open(args)?;
        crafter::score_stats(episodes.as_ref(), submission, options)
    }
}
