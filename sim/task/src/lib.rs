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
mod breakdown;
mod env;
mod error;
mod record;
mod top_down;

pub use args::{TaskArgs, TaskOption};
pub use breakdown::{Breakdowns, Tally};
pub use env::{Environment, EpisodeEnd};
pub use error::{StepError, TaskError};
pub use record::{EndReason, EpisodeRecord};
pub use top_down::TopDown;
pub use waymark_core::StepOutcome;

use std::path::{Path, PathBuf};
use waymark_core::{EpisodeContext, MetricDef, Metrics, SensorRequest};

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

/// What the generic layers know of an opened episode file; every task's [`TaskEpisodes`]
/// holds one.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeSet {
    /// The episode file.
    pub file: PathBuf,
    /// Every episode of the file, in file order.
    pub episodes: Vec<EpisodeMeta>,
    /// Actions allowed per episode.
    pub max_steps: u32,
    /// The success radius in metres, for tasks that have one.
    pub success_threshold_m: Option<f64>,
}

impl EpisodeSet {
    /// The task's own episode at `position` of `all` (the file's episodes, in file order),
    /// or an error naming the file.
    pub fn pick<'a, E>(&self, all: &'a [E], position: usize) -> Result<&'a E, TaskError> {
        all.get(position).ok_or_else(|| TaskError::Episode {
            file: self.file.clone(),
            episode: format!("#{position}"),
            message: format!("the file has {} episodes", all.len()),
        })
    }

    /// What a planner is told at the start of the episode at `position` of task `info`:
    /// its generic fields from this set, the `instruction` and, for privileged planners, the
    /// task's privileged view (made only then).
    pub fn context(
        &self,
        info: &TaskInfo,
        position: usize,
        instruction: &str,
        seed: u64,
        privileged: Option<impl FnOnce() -> serde_json::Value>,
    ) -> Result<EpisodeContext, TaskError> {
        let meta = self.pick(&self.episodes, position)?;
        Ok(EpisodeContext {
            task: info.name.into(),
            observation_kind: info.observation_kind.into(),
            episode_id: meta.id.clone(),
            scene: meta.scene.clone(),
            instruction: instruction.to_string(),
            language: meta.language.clone(),
            seed,
            max_steps: self.max_steps,
            privileged: privileged.map(|make| make()),
        })
    }

    /// Matches the episode ids of a submission (in its order) to the episodes: for each
    /// episode in file order, the index of its entry. Like the official evaluators, an unknown
    /// id, a repeated id or (unless `partial`) a missing episode is an error.
    pub fn match_submission<'a>(
        &self,
        entry_ids: impl IntoIterator<Item = &'a str>,
        options: ScoreOptions,
    ) -> Result<Vec<Option<usize>>, TaskError> {
        let ids: Vec<&str> = self.episodes.iter().map(|e| e.id.as_str()).collect();
        match_submission(&ids, entry_ids, options)
    }
}

/// [`EpisodeSet::match_submission`] on episode ids alone (`episode_ids`, in file order).
pub fn match_submission<'a>(
    episode_ids: &[&str],
    entry_ids: impl IntoIterator<Item = &'a str>,
    options: ScoreOptions,
) -> Result<Vec<Option<usize>>, TaskError> {
    let position: std::collections::HashMap<&str, usize> = episode_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let mut entry_of = vec![None; episode_ids.len()];
    for (index, id) in entry_ids.into_iter().enumerate() {
        let Some(&i) = position.get(id) else {
            return Err(TaskError::UnknownEpisode {
                index,
                id: id.to_string(),
            });
        };
        if entry_of[i].replace(index).is_some() {
            return Err(TaskError::DuplicateEntry { id: id.to_string() });
        }
    }
    if !options.partial {
        let missing: Vec<&str> = episode_ids
            .iter()
            .zip(&entry_of)
            .filter(|(_, entry)| entry.is_none())
            .map(|(&id, _)| id)
            .collect();
        if !missing.is_empty() {
            return Err(TaskError::MissingEpisodes {
                count: missing.len(),
                examples: missing[..missing.len().min(5)].join(", "),
            });
        }
    }
    Ok(entry_of)
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
#[derive(Clone, Copy, Debug, Default, PartialEq)]
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

    /// The task's own breakdowns of a run's `records` for `summary.json` (SG3D: step
    /// accuracy by step position and by label), with the run's options `args`; none by
    /// default.
    fn breakdowns(
        &self,
        args: &TaskArgs,
        records: &[EpisodeRecord],
    ) -> Result<Breakdowns, TaskError> {
        let _ = (args, records);
        Ok(Breakdowns::new())
    }
}

/// An opened episode file.
pub trait TaskEpisodes: Send + Sync {
    /// The file, its episodes and the settings every layer reports.
    fn set(&self) -> &EpisodeSet;

    /// Checks the episodes at `positions` (their scenes load, their paths are walkable, the
    /// scenes the `sensors` need are there, …) before anything is written.
    fn check(&self, positions: &[usize], sensors: &SensorRequest) -> Result<(), TaskError>;

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

    /// The episode at `position` from above, with `trajectory` (an [`EpisodeRecord`]'s, in
    /// the task's own layout) as the agent's path; `None` for tasks without a ground plane.
    fn top_down(
        &self,
        position: usize,
        trajectory: &serde_json::value::RawValue,
    ) -> Result<Option<TopDown>, TaskError> {
        let _ = (position, trajectory);
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn set() -> EpisodeSet {
        let meta = |id: &str| EpisodeMeta {
            id: id.into(),
            scene: "s".into(),
            language: None,
            task_type: None,
        };
        EpisodeSet {
            file: "e.json".into(),
            episodes: vec![meta("a"), meta("b"), meta("c")],
            max_steps: 30,
            success_threshold_m: None,
        }
    }

    #[test]
    fn submissions_match_like_the_official_evaluators() {
        let set = set();
        let full = ScoreOptions::default();
        let partial = ScoreOptions { partial: true };
        assert_eq!(
            set.match_submission(["c", "a", "b"], full).unwrap(),
            vec![Some(1), Some(2), Some(0)]
        );
        assert_eq!(
            set.match_submission(["b"], partial).unwrap(),
            vec![None, Some(0), None]
        );
        let err = |ids: &[&str]| {
            set.match_submission(ids.iter().copied(), full)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(&["a", "b"]),
            "trajectories not provided for 1 episode ids, for example c"
        );
        assert_eq!(err(&["a", "x"]), "submission entry 1: unknown episode id x");
        assert_eq!(err(&["a", "a"]), "a appears twice in the submission");
        assert!(set.pick(&[1, 2, 3], 3).is_err());
    }
}
