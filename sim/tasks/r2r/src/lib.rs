//! The R2R task family: instruction-level episodes (R2R, RxR, REVERIE and generated files) on
//! Matterport-format navigation graphs, run in the discrete environment with
//! Matterport3DSimulator's semantics, scored as the official `eval.py` does, submitted in R2R's
//! `[{instr_id, trajectory}]` format.

mod env;
mod episodes;
mod submission;

pub use episodes::R2rEpisodes;

use std::path::Path;
use waymark_core::{DiscreteNavObservation, Metrics, NAV_METRICS};
use waymark_task::{
    EpisodeMeta, EpisodeRecord, ScoreOptions, Task, TaskArgs, TaskEpisodes, TaskError, TaskInfo,
    TaskOption,
};

/// The R2R task.
#[derive(Debug, Default, Clone, Copy)]
pub struct R2rTask;

/// The declaration of [`R2rTask`].
pub static INFO: TaskInfo = TaskInfo {
    name: "r2r",
    description: "discrete vision-and-language navigation on Matterport-format graphs (R2R, RxR, REVERIE)",
    observation_kind: DiscreteNavObservation::KIND,
    episode_formats: &["R2R/RxR/REVERIE JSON: [{path_id, scan, path, heading, instructions, …}]"],
    metrics: &NAV_METRICS,
    options: &[
        TaskOption {
            name: "connectivity",
            value_name: "DIR",
            help: "folder of <scan>_connectivity.json files",
            default: None,
            required: true,
        },
        TaskOption {
            name: "episodes",
            value_name: "FILE",
            help: "the R2R-format episode file",
            default: None,
            required: true,
        },
        TaskOption {
            name: "scenes",
            value_name: "DIR",
            help: "folder of <scan>.ply scenes, for planners that ask for sensor readings",
            default: None,
            required: false,
        },
        TaskOption {
            name: "max-steps",
            value_name: "N",
            help: "actions allowed per episode",
            default: Some("30"),
            required: false,
        },
        TaskOption {
            name: "success-threshold",
            value_name: "METRES",
            help: "success radius in metres",
            default: Some("3"),
            required: false,
        },
    ],
};

impl Task for R2rTask {
    fn info(&self) -> &'static TaskInfo {
        &INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(R2rEpisodes::open(args)?))
    }

    fn write_submission(&self, records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
        submission::write(records, path)
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
