//! The records of an output folder: one `episodes.jsonl` line per instruction, the run's
//! settings in `run.json`, and the official submission entries.

use crate::shard::ShardSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use waymark_core::{InstrId, NavMetrics, ScanId, TrajectoryPoint};

/// Why an episode ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The planner chose to stop.
    Stopped,
    /// The step limit was reached.
    StepLimit,
    /// The planner failed or chose an invalid action; the agent stays where it was.
    Error,
}

impl EndReason {
    /// The name used in JSON outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stopped => "stopped",
            Self::StepLimit => "step_limit",
            Self::Error => "error",
        }
    }
}

/// One line of `episodes.jsonl`: an instruction's metrics and trajectory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRecord {
    /// Position of the instruction in the episode file (before sharding), for a stable order.
    pub index: usize,
    /// The instruction id.
    pub instr_id: InstrId,
    /// The scan.
    pub scan: ScanId,
    /// The instruction's language, when known.
    pub language: Option<String>,
    /// Every metric.
    #[serde(flatten)]
    pub metrics: NavMetrics,
    /// Why the episode ended.
    pub end: EndReason,
    /// The failure, when `end` is `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The planner's counts (token usage, failures by cause), when it reports any.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, u64>,
    /// The planner's estimated cost in USD, where prices are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// The trajectory.
    pub trajectory: Trajectory,
}

/// A trajectory: graph poses for discrete tasks, floor positions for continuous ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Trajectory {
    /// `[viewpoint, heading, elevation]` per step (the R2R submission layout).
    Graph(Vec<TrajectoryPoint>),
    /// `{position, heading}` per step (z-up world, metres and radians).
    Continuous(Vec<PosePoint>),
}

/// A continuous pose.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PosePoint {
    /// Floor position (world, z up, metres).
    pub position: [f32; 3],
    /// Heading in radians, clockwise from +y.
    pub heading: f32,
}

/// One entry of the official R2R `submission.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmissionEntry {
    /// The instruction id.
    pub instr_id: InstrId,
    /// The trajectory.
    pub trajectory: Vec<TrajectoryPoint>,
}

impl SubmissionEntry {
    /// The entry of a graph-task record (`None` for continuous records).
    pub fn of(record: &EpisodeRecord) -> Option<Self> {
        match &record.trajectory {
            Trajectory::Graph(points) => Some(Self {
                instr_id: record.instr_id.clone(),
                trajectory: points.clone(),
            }),
            Trajectory::Continuous(_) => None,
        }
    }
}

/// The settings of a run, kept in `run.json` so a resumed run or a merge can check that every
/// part was made the same way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunManifest {
    /// The task, for example `r2r`.
    pub task: String,
    /// The planner's registry name.
    pub planner: String,
    /// Settings that change what the planner does (for an LLM planner: the model, the prompt,
    /// the observation source), so a resumed run or a merge cannot mix two set-ups.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub planner_settings: BTreeMap<String, String>,
    /// The episode file's name (its split), for example `R2R_val_seen.json`.
    pub episodes_file: String,
    /// Instructions in the episode file.
    pub instructions_in_file: usize,
    /// The run's seed.
    pub seed: u64,
    /// The step limit.
    pub max_steps: u32,
    /// The success radius in metres.
    pub success_threshold_m: f64,
    /// Only the first N instructions of the file, when set.
    pub limit: Option<usize>,
    /// This run's shard (`0/1` for a whole batch).
    pub shard: ShardSpec,
}
