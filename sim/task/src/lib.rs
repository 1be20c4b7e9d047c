//! The task interface: one small seam every task family implements.
//!
//! A task family (R2R on graphs, VLN-CE, …) is one crate that provides a [`Task`]: its
//! declaration ([`TaskInfo`]: name, observation kind, metrics, options), its episode files
//! ([`Task::open`] → [`TaskEpisodes`]: the episodes in file order, checks, environments),
//! its environment ([`Environment`]: observe, step, finish with metrics and a trajectory), and
//! its official submission writer and scorer. Everything generic — the batch runner (workers,
//! resume, shards, seeds, merge, summaries), the CLI's `eval`/`score`/`merge`/`tasks`, the
//! window's episode list — is written once against these traits and finds tasks through the
//! task registry (`waymark_eval::tasks`).

mod args;
mod env;
mod error;
mod record;

pub use args::{TaskArgs, TaskOption};
pub use env::{Environment, EpisodeEnd, StepOutcome};
pub use error::{StepError, TaskError};
pub use record::{EndReason, EpisodeRecord};

use std::path::Path;
use waymark_core::{EpisodeContext, MetricDef, Metrics};

/// What a task declares about itself.
#[derive(Debug)]
pub struct TaskInfo {
    /// The registry name (`waymark eval <name>`).
    pub name: &'static str,
    /// One line for `waymark tasks`.
    pub description: &'static str,
    /// The kind of observations its environment gives (`discrete_nav`, …), which planners
    /// declare support for.
    pub observation_kind: &'static str,
    /// The episode file formats it reads, for `waymark tasks`.
    pub episode_formats: &'static [&'static str],
    /// Its metrics, in the order papers report them.
    pub metrics: &'static [MetricDef],
    /// Its options (`--connectivity DIR`, …) beyond the batch's own.
    pub options: &'static [TaskOption],
}

/// One episode as the generic layers see it.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeMeta {
    /// The episode id, unique in its file (for R2R, the instruction id).
    pub id: String,
    /// The scan or scene.
    pub scene: String,
    /// The instruction's language tag, when known.
    pub language: Option<String>,
    /// The task type (ALFRED's `pick_and_place_simple`, …), for per-type summaries.
    pub task_type: Option<String>,
}

/// How to score a submission.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreOptions {
    /// Score only the episodes the submission holds, instead of requiring all of them.
    pub partial: bool,
}

/// A task family.
pub trait Task: Send + Sync {
    /// Its declaration.
    fn info(&self) -> &'static TaskInfo;

    /// Reads the episode file (and whatever the episodes need, lazily) named by `args`.
    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError>;

    /// Writes the official submission of `records` (sorted by file position) to `path`.
    fn write_submission(&self, records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError>;

    /// Scores the submission file `submission` against the episodes `args` name, as the
    /// official evaluator does: each scored episode's position in the file and its metrics,
    /// in file order.
    fn score(
        &self,
        args: &TaskArgs,
        submission: &Path,
        options: ScoreOptions,
    ) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError>;
}

/// An opened episode file.
pub trait TaskEpisodes: Send + Sync {
    /// The episode file.
    fn episodes_file(&self) -> &Path;

    /// Every episode of the file, in file order.
    fn episodes(&self) -> &[EpisodeMeta];

    /// Actions allowed per episode.
    fn max_steps(&self) -> u32;

    /// The success radius in metres, for tasks that have one.
    fn success_threshold_m(&self) -> Option<f64>;

    /// Checks the episodes at `positions` (their scenes load, their paths are walkable, …)
    /// before anything is written.
    fn check(&self, positions: &[usize]) -> Result<(), TaskError>;

    /// What the planner is told at the start of the episode at `position`; the task's
    /// privileged view (reference path, goal) is included only when `privileged`.
    fn context(
        &self,
        position: usize,
        seed: u64,
        privileged: bool,
    ) -> Result<EpisodeContext, TaskError>;

    /// A fresh environment for the episode at `position`.
    fn start(&self, position: usize) -> Result<Box<dyn Environment + '_>, TaskError>;
}
