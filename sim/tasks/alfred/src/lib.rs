//! The ALFRED task family without Unity: a symbolic stand-in for AI2-THOR built from ALFRED's
//! released files (`traj_data.json`, the floor plans' layouts), ALFRED's low-level actions
//! with AI2-THOR's preconditions and effects, its goal conditions and official metrics, and
//! its leaderboard action dump with a scorer that replays one.

mod build;
mod env;
mod episodes;
mod goals;
mod metrics;
mod privileged;
mod render;
mod results;
mod submission;
mod top_down;
mod traj;
mod types;
mod world;

pub use env::{AlfredEnv, Attempt, action_of};
pub use episodes::{AlfredEpisodes, MAX_FAILS, MAX_STEPS};
pub use goals::{GoalConditions, TASK_TYPES};
pub use metrics::{ALFRED_METRICS, episode_metrics};
pub use render::{top_down_base64, top_down_png};
pub use results::RESULTS_FILE;
pub use traj::ApiAction;
pub use world::{Failure, World};

use std::path::Path;
use waymark_core::{HouseholdObservation, Metrics};
use waymark_task::{
    EpisodeMeta, EpisodeRecord, ScoreOptions, Task, TaskArgs, TaskEpisodes, TaskError, TaskInfo,
    TaskOption,
};

/// The ALFRED task.
#[derive(Debug, Default, Clone, Copy)]
pub struct AlfredTask;

/// The declaration of [`AlfredTask`].
pub static INFO: TaskInfo = TaskInfo {
    name: "alfred",
    description: "household instruction following (ALFRED) in a symbolic AI2-THOR household",
    observation_kind: HouseholdObservation::KIND,
    episode_formats: &[
        "ALFRED json_2.1.0: <split>/<task>/<trial>/traj_data.json (a folder), or one traj_data.json",
    ],
    metrics: &ALFRED_METRICS,
    options: &[
        TaskOption {
            name: "episodes",
            value_name: "PATH",
            help: "a folder of traj_data.json files (searched recursively) or one file",
            default: None,
            required: true,
        },
        TaskOption {
            name: "layouts",
            value_name: "DIR",
            help: "folder of FloorPlanN-layout.json and FloorPlanN-openable.json files",
            default: None,
            required: true,
        },
        TaskOption {
            name: "max-steps",
            value_name: "N",
            help: "actions allowed per episode (ALFRED: 1000)",
            default: Some("1000"),
            required: false,
        },
        TaskOption {
            name: "max-fails",
            value_name: "N",
            help: "failed actions that end an episode (ALFRED: 10)",
            default: Some("10"),
            required: false,
        },
    ],
};

impl Task for AlfredTask {
    fn info(&self) -> &'static TaskInfo {
        &INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(AlfredEpisodes::open(args)?))
    }

    /// Writes ALFRED's leaderboard action dump to `path` and ALFRED's results file
    /// (`task_results.json`) beside it.
    fn write_submission(&self, records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
        submission::write(records, path)?;
        let results = path.with_file_name(results::RESULTS_FILE);
        results::write(records, &results)
    }

    fn score(
        &self,
        args: &TaskArgs,
        submission: &Path,
        options: ScoreOptions,
    ) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
        submission::score(args, submission, options)
    }
}
