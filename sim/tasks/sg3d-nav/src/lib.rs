//! Navigate-then-ground, SG3D's embodied extension (Zhang et al. 2024): the agent starts at a
//! pose in the scan and walks with VLN-CE's actions (0.25 m forward, 15° turns, 30° looks); it
//! may ground a step's object only while it sees that object in its own rendered instance
//! view, within a distance limit. A task is SG3D's (its JSON or text form); the metrics are
//! SG3D's (a step is correct when the answered object is the gold one and is in view) plus,
//! per step, navigation success (the gold object in view when the step is answered), SPL
//! and moves.
//!
//! Each task starts at a walkable pose drawn from its scene and episode id ([`start`]); each
//! of its steps starts where the previous one was answered, with the camera level. The
//! trajectory is the walked path with the grounding events; the scorer replays it in the
//! scene ([`outcome`]), so a submission is scored exactly as the batch scored it.

mod env;
mod episodes;
mod metrics;
pub mod outcome;
mod scene;
pub mod start;
mod submission;
pub mod view;

pub use episodes::{NavConfig, NavEpisodes};
pub use metrics::SG3D_NAV_METRICS;
pub use outcome::{NavTrajectory, PathPoint};

use std::path::Path;
use waymark_core::{GroundingObservation, Metrics};
use waymark_task::{
    Breakdowns, EpisodeMeta, EpisodeRecord, ScoreOptions, Task, TaskArgs, TaskEpisodes, TaskError,
    TaskInfo, TaskOption,
};

/// The navigate-then-ground task.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sg3dNavTask;

/// An option with a default.
const fn option(
    name: &'static str,
    value_name: &'static str,
    help: &'static str,
    default: &'static str,
) -> TaskOption {
    TaskOption {
        name,
        value_name,
        help,
        default: Some(default),
        required: false,
    }
}

/// The declaration of [`Sg3dNavTask`]. The defaults are [`NavConfig`]'s (a unit test keeps
/// them equal).
pub static INFO: TaskInfo = TaskInfo {
    name: "sg3d-nav",
    description: "navigate-then-ground (SG3D's embodied variant): walk until each step's object is in view, then ground it",
    observation_kind: GroundingObservation::KIND,
    episode_formats: waymark_sg3d::INFO.episode_formats,
    metrics: &SG3D_NAV_METRICS,
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
            help: "a folder of mesh scenes (S.ply, S/S_vh_clean_2.ply) or one scene file; scan ScanNet_S is scene S",
            default: None,
            required: true,
        },
        TaskOption {
            name: "scan",
            value_name: "SCAN_ID",
            help: "the scan of every task of a text-form file, which names none",
            default: None,
            required: false,
        },
        option(
            "ground-distance",
            "METRES",
            "an object can be grounded when some of it is seen this close",
            "3",
        ),
        option(
            "max-moves",
            "N",
            "navigation actions allowed per step",
            "250",
        ),
        option("forward-step", "METRES", "MOVE_FORWARD distance", "0.25"),
        option(
            "turn-angle",
            "DEGREES",
            "TURN_LEFT / TURN_RIGHT angle",
            "15",
        ),
        option("look-angle", "DEGREES", "LOOK_UP / LOOK_DOWN angle", "30"),
        option(
            "view-size",
            "PIXELS",
            "side of the square instance view that decides what is in view",
            "128",
        ),
        option(
            "hfov",
            "DEGREES",
            "horizontal field of view of that view",
            "90",
        ),
    ],
};

impl Task for Sg3dNavTask {
    fn info(&self) -> &'static TaskInfo {
        &INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(NavEpisodes::open(args)?))
    }

    /// Writes `{"<task id>": {"answers": [...], "path": [...], "grounded_at": [...]}}`.
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

    /// Step accuracy by step position and by the target's label (a step right when its
    /// answer was the gold object, in view).
    fn breakdowns(
        &self,
        args: &TaskArgs,
        records: &[EpisodeRecord],
    ) -> Result<Breakdowns, TaskError> {
        let tasks = waymark_sg3d::breakdown::run_tasks(args)?;
        waymark_sg3d::breakdown::tally_steps(&tasks, records, |record, _| {
            let walk: NavTrajectory = record.trajectory_as().map_err(TaskError::source)?;
            Ok(walk.correct)
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn declared_defaults_are_the_configs_defaults() {
        let args = TaskArgs::new()
            .with("episodes", "t.json")
            .with("scenes", "s");
        let defaults: TaskArgs = INFO
            .options
            .iter()
            .filter_map(|o| o.default.map(|d| (o.name, d)))
            .fold(args.clone(), |a, (n, d)| a.with(n, d));
        assert_eq!(NavConfig::of(&defaults).unwrap(), NavConfig::default());
        assert_eq!(NavConfig::of(&args).unwrap(), NavConfig::default());
    }
}
