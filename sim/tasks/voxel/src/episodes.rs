//! Voxel episode files, or episodes made from `--seeds`, and the opened set.

use crate::env::VoxelEnv;
use crate::{Steve1Family, TaskKind};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use waymark_core::{EpisodeContext, SensorRequest, VoxelActionSpace};
use waymark_task::{
    Environment, EpisodeMeta, EpisodeSet, TaskArgs, TaskEpisodes, TaskError, TaskInfo,
};

/// One episode of a voxel episode file (a JSON array of these).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoxelEpisode {
    /// Unique in the file.
    pub id: String,
    /// The world seed.
    pub seed: u64,
    /// STEVE-1: the prompt's family (`wood`, `dirt`, …; see [`Steve1Family`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// STEVE-1: the prompt (its paper's text when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Actions allowed (STEVE-1: 3,000; Crafter: 10,000 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_steps: Option<u32>,
    /// The world's side in chunks of 16 blocks (8 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world_chunks: Option<u32>,
    /// The action space (STEVE-1: `minerl`, Crafter: `crafter` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_space: Option<VoxelActionSpace>,
}

/// An episode with every default filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedEpisode {
    /// The file's entry.
    pub episode: VoxelEpisode,
    /// The STEVE-1 family (None for Crafter).
    pub family: Option<Steve1Family>,
    /// The instruction the planner is given.
    pub instruction: String,
    /// Actions allowed.
    pub max_steps: u32,
    /// World side in chunks.
    pub world_chunks: u32,
    /// The action space.
    pub action_space: VoxelActionSpace,
}

/// Crafter's instruction: the benchmark has none; the planner is told the goal.
pub const CRAFTER_INSTRUCTION: &str = "Survive and unlock as many of Crafter's 22 achievements as you can: collect wood, sapling, drink, stone, coal, iron and diamond; place a table, furnace, stone and plant; make wood, stone and iron pickaxes and swords; eat a cow and a ripe plant; defeat a zombie and a skeleton; sleep and wake up.";

/// The episodes `--seeds` names: `N` (seeds 0 to N−1) or `A..B` (A to B−1).
fn parse_seeds(text: &str) -> Option<std::ops::Range<u64>> {
    match text.split_once("..") {
        Some((a, b)) => Some(a.trim().parse().ok()?..b.trim().parse().ok()?),
        None => Some(0..text.trim().parse().ok()?),
    }
}

/// An opened set of voxel episodes.
#[derive(Debug)]
pub struct VoxelEpisodes {
    kind: TaskKind,
    set: EpisodeSet,
    episodes: Vec<ResolvedEpisode>,
}

impl VoxelEpisodes {
    /// Reads `--episodes`, or makes the episodes `--seeds` names (STEVE-1: each of the
    /// eleven prompts on each seed).
    pub fn open(kind: TaskKind, args: &TaskArgs) -> Result<Self, TaskError> {
        let info = kind.info();
        let (file, raw) = match (args.text("episodes"), args.text("seeds")) {
            (Some(path), _) => {
                let path = PathBuf::from(path);
                let raw: Vec<VoxelEpisode> = waymark_io::read_json(&path)?;
                (path, raw)
            }
            (None, Some(seeds)) => {
                let range = parse_seeds(seeds).ok_or_else(|| TaskError::BadOption {
                    option: "seeds".into(),
                    value: seeds.into(),
                    message: "expected a count (100) or a range (0..100)".into(),
                })?;
                (
                    PathBuf::from(format!("<seeds {seeds}>")),
                    kind.episodes_for(range),
                )
            }
            (None, None) => {
                return Err(TaskError::MissingOption {
                    option: "episodes (or --seeds)".into(),
                });
            }
        };
        let length: Option<u32> = args.parse_opt("length")?;
        let chunks: Option<u32> = args.parse_opt("world-chunks")?;
        let space = match args.text("action-space") {
            None => None,
            Some("crafter") => Some(VoxelActionSpace::Crafter),
            Some("minerl") => Some(VoxelActionSpace::Minerl),
            Some(other) => {
                return Err(TaskError::BadOption {
                    option: "action-space".into(),
                    value: other.into(),
                    message: "expected crafter or minerl".into(),
                });
            }
        };
        let mut seen = std::collections::HashSet::new();
        let mut episodes = Vec::with_capacity(raw.len());
        for episode in raw {
            let bad = |message: String| TaskError::Episode {
                file: file.clone(),
                episode: episode.id.clone(),
                message,
            };
            if !seen.insert(episode.id.clone()) {
                return Err(bad("the id appears twice".into()));
            }
            let family = match (&episode.family, kind) {
                (Some(name), TaskKind::Steve1) => {
                    Some(Steve1Family::from_name(name).ok_or_else(|| {
                        bad(format!(
                            "unknown prompt family `{name}`; expected one of {}",
                            Steve1Family::names()
                        ))
                    })?)
                }
                (None, TaskKind::Steve1) => {
                    return Err(bad(format!(
                        "a STEVE-1 episode needs a `family` ({})",
                        Steve1Family::names()
                    )));
                }
                (_, TaskKind::Crafter) => None,
            };
            let instruction = match family {
                Some(f) => episode
                    .prompt
                    .clone()
                    .unwrap_or_else(|| f.prompt().to_string()),
                None => CRAFTER_INSTRUCTION.to_string(),
            };
            let max_steps = length
                .or(episode.max_steps)
                .unwrap_or(kind.default_length());
            if max_steps == 0 {
                return Err(bad("max_steps must be at least 1".into()));
            }
            let world_chunks = chunks.or(episode.world_chunks).unwrap_or(8);
            if !(2..=64).contains(&world_chunks) {
                return Err(bad(format!(
                    "world_chunks {world_chunks}: expected 2 to 64"
                )));
            }
            let action_space = space
                .or(episode.action_space)
                .unwrap_or(kind.default_space());
            episodes.push(ResolvedEpisode {
                episode,
                family,
                instruction,
                max_steps,
                world_chunks,
                action_space,
            });
        }
        let metas = episodes
            .iter()
            .map(|e| EpisodeMeta {
                id: e.episode.id.clone(),
                scene: format!("seed-{}", e.episode.seed),
                language: Some("en".into()),
                task_type: e.family.map(|f| f.name().to_string()),
            })
            .collect();
        let _: &TaskInfo = info;
        Ok(Self {
            kind,
            set: EpisodeSet {
                file,
                episodes: metas,
                max_steps: episodes.iter().map(|e| e.max_steps).max().unwrap_or(1),
                success_threshold_m: None,
            },
            episodes,
        })
    }

    /// The episode at `position`.
    pub fn episode(&self, position: usize) -> Result<&ResolvedEpisode, TaskError> {
        self.set.pick(&self.episodes, position)
    }
}

/// The voxel world renders first-person views and nothing else: other readings are refused.
pub(crate) fn check_request(kind: TaskKind, request: &SensorRequest) -> Result<(), TaskError> {
    let views_only = SensorRequest {
        views: request.views.clone(),
        ..SensorRequest::default()
    };
    if *request == views_only {
        return Ok(());
    }
    Err(TaskError::SensorsUnavailable {
        task: kind.info().name.into(),
        message: "the voxel world renders first-person views (`views`: one at the agent's yaw and pitch, with depth); its observation lists nearby blocks and creatures already".into(),
    })
}

impl TaskEpisodes for VoxelEpisodes {
    fn set(&self) -> &EpisodeSet {
        &self.set
    }

    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError> {
        check_request(self.kind, sensors)?;
        for &p in positions {
            self.episode(p)?;
        }
        Ok(())
    }

    /// The instruction is the STEVE-1 prompt, or Crafter's goal; no privileged context (a
    /// privileged planner sees the blocks around it in each observation).
    fn context(
        &self,
        position: usize,
        seed: u64,
        _privileged: bool,
    ) -> Result<EpisodeContext, TaskError> {
        let episode = self.episode(position)?;
        let mut context = self.set.context(
            self.kind.info(),
            position,
            &episode.instruction,
            seed,
            None::<fn() -> serde_json::Value>,
        )?;
        context.max_steps = episode.max_steps;
        Ok(context)
    }

    fn start(&self, position: usize) -> Result<Box<dyn Environment + '_>, TaskError> {
        Ok(Box::new(VoxelEnv::new(self.kind, self.episode(position)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_parse_as_count_or_range() {
        assert_eq!(parse_seeds("3"), Some(0..3));
        assert_eq!(parse_seeds("5..8"), Some(5..8));
        assert_eq!(parse_seeds("x"), None);
    }
}
