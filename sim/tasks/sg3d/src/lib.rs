//! The SG3D task family (Zhang et al. 2024, "Task-oriented Sequential Grounding in 3D
//! Scenes"): a task is a description and steps, each naming one object of a scanned scene;
//! the planner answers each step's object id in turn, with the whole task as context. Step
//! accuracy is pooled over every step of every task, task accuracy counts tasks with every
//! step right, and the edit distance compares the answered and the gold id sequences.
//!
//! Object ids are SG3D's (the scene's 0-based object ids; see [`objects`]), candidates are a
//! scene's labelled instances but its walls and floors, with the spatial relations of
//! [`relations`]. [`generate`] writes tasks from templates (English, Arabic) for any
//! instance-labelled scene.

pub mod breakdown;
mod env;
mod episodes;
pub mod generate;
mod metrics;
pub mod objects;
pub mod relations;
mod scenes;
mod submission;
pub mod task_file;

pub use env::{Sg3dEnv, grounding_observation, grounding_readings};
pub use episodes::{Sg3dEpisodes, check_targets, task_context};
pub use generate::{GenerateConfig, Language, generate_tasks};
pub use metrics::{EDIT_DISTANCE, SG3D_METRICS, STEPS, T_ACC, episode_metrics, levenshtein};
pub use objects::SceneObjects;
pub use scenes::{LoadedScene, SceneStore};
pub use task_file::{GroundingTask, TaskStep, read_tasks, scene_of, write_tasks};

use std::path::Path;
use waymark_core::{GroundingObservation, Metrics};
use waymark_task::{
    Breakdowns, EpisodeMeta, EpisodeRecord, ScoreOptions, Task, TaskArgs, TaskEpisodes, TaskError,
    TaskInfo, TaskOption,
};

/// The SG3D task.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sg3dTask;

/// The declaration of [`Sg3dTask`].
pub static INFO: TaskInfo = TaskInfo {
    name: "sg3d",
    description: "sequential grounding in 3D scenes (SG3D): answer the object each step of a task names",
    observation_kind: GroundingObservation::KIND,
    episode_formats: &[
        "SG3D JSON: [{scan_id, task_description, action_steps: [{action, target_id, label}]}]",
        "SG3D text form (.txt, with --scan): `Task: …`, `Steps:`, `1. … [label-id]`, tasks separated by `===`",
    ],
    metrics: &SG3D_METRICS,
    options: &[
        TaskOption {
            name: "episodes",
            value_name: "PATH",
            help: "the task file: SG3D's JSON array, or its text form (.txt)",
            default: None,
            required: true,
        },
        TaskOption {
            name: "scenes",
            value_name: "PATH",
            help: "a folder of scenes (S.npy, S.ply, S/S_vh_clean_2.ply) or one scene file; scan ScanNet_S is scene S (eval only: scoring compares ids)",
            default: None,
            required: false,
        },
        TaskOption {
            name: "viewpoint",
            value_name: "X,Y,Z",
            help: "where views and objects per sector are seen from, for planners that ask for them (default: above the scene's centre, 1.25 m over its lowest point)",
            default: None,
            required: false,
        },
        TaskOption {
            name: "scan",
            value_name: "SCAN_ID",
            help: "the scan of every task of a text-form file, which names none (ScanNet_scene0451_01)",
            default: None,
            required: false,
        },
    ],
};

impl Task for Sg3dTask {
    fn info(&self) -> &'static TaskInfo {
        &INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(Sg3dEpisodes::open(args)?))
    }

    /// Writes `{"<task id>": [object id, …]}`.
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

    /// Step accuracy by step position and by the target's label.
    fn breakdowns(
        &self,
        args: &TaskArgs,
        records: &[EpisodeRecord],
    ) -> Result<Breakdowns, TaskError> {
        breakdown::breakdowns(args, records)
    }
}
