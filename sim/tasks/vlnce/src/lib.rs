//! The VLN-CE task family: continuous vision-and-language navigation on one scene, with
//! VLN-CE's actions (0.25 m forward, 15° turns, 30° looks, stop) driving a physical agent,
//! VLN-CE's metrics, and its `{episode_id: [{position, heading, stop}]}` submission (Habitat
//! frame: y up, heading counter-clockwise).

mod env;
mod episodes;
mod submission;

pub use episodes::VlnceEpisodes;

use std::path::Path;
use waymark_core::{ContinuousNavObservation, Metrics, NAV_METRICS};
use waymark_task::{
    EpisodeMeta, EpisodeRecord, ScoreOptions, Task, TaskArgs, TaskEpisodes, TaskError, TaskInfo,
    TaskOption,
};

/// The VLN-CE task.
#[derive(Debug, Default, Clone, Copy)]
pub struct VlnceTask;

/// An option with a default.
const fn option(
    name: &'static str,
    value_name: &'static str,
    help: &'static str,
    default: Option<&'static str>,
) -> TaskOption {
    TaskOption {
        name,
        value_name,
        help,
        default,
        required: false,
    }
}

/// The declaration of [`VlnceTask`]. The defaults are those of `ContinuousNavConfig` and
/// `WalkableConfig` (a unit test keeps them equal).
pub static INFO: TaskInfo = TaskInfo {
    name: "vlnce",
    description: "continuous vision-and-language navigation (VLN-CE episodes) on any mesh scene",
    observation_kind: ContinuousNavObservation::KIND,
    episode_formats: &["VLN-CE JSON: {episodes: [{episode_id, scene_id, start_position, …}]}"],
    metrics: &NAV_METRICS,
    options: &[
        TaskOption {
            name: "scene",
            value_name: "FILE",
            help: "the scene file (PLY, ScanNet layout) the episodes take place in",
            default: None,
            required: true,
        },
        option(
            "up",
            "AXIS",
            "the scene file's up axis when it does not say (z or y)",
            None,
        ),
        TaskOption {
            name: "episodes",
            value_name: "FILE",
            help: "the VLN-CE episode file",
            default: None,
            required: true,
        },
        option("max-steps", "N", "actions allowed per episode", Some("500")),
        option(
            "forward-step",
            "METRES",
            "MOVE_FORWARD distance",
            Some("0.25"),
        ),
        option(
            "turn-angle",
            "DEGREES",
            "TURN_LEFT / TURN_RIGHT angle",
            Some("15"),
        ),
        option(
            "look-angle",
            "DEGREES",
            "LOOK_UP / LOOK_DOWN angle",
            Some("30"),
        ),
        option("success-threshold", "METRES", "success radius", Some("3")),
        option("agent-radius", "METRES", "agent radius", Some("0.18")),
        option("agent-height", "METRES", "agent height", Some("1.5")),
        option(
            "max-step",
            "METRES",
            "highest step the agent climbs",
            Some("0.2"),
        ),
        option(
            "max-slope",
            "DEGREES",
            "steepest walkable slope",
            Some("35"),
        ),
        option("cell", "METRES", "walkable grid cell size", Some("0.05")),
    ],
};

impl Task for VlnceTask {
    fn info(&self) -> &'static TaskInfo {
        &INFO
    }

    fn open(&self, args: &TaskArgs) -> Result<Box<dyn TaskEpisodes>, TaskError> {
        Ok(Box::new(VlnceEpisodes::open(args)?))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use waymark_continuous::{ContinuousNavConfig, WalkableConfig};

    #[test]
    fn declared_defaults_are_the_configs_defaults() {
        let args = TaskArgs::new()
            .with("scene", "s.ply")
            .with("episodes", "e.json");
        let defaults: TaskArgs = INFO
            .options
            .iter()
            .filter_map(|o| o.default.map(|d| (o.name, d)))
            .fold(args.clone(), |a, (n, d)| a.with(n, d));
        let (env, walkable, threshold) = episodes::configs(&defaults).unwrap();
        assert_eq!(env, ContinuousNavConfig::default());
        assert_eq!(walkable, WalkableConfig::default());
        assert_eq!(threshold, 3.0);
        assert_eq!(episodes::configs(&args).unwrap().0, env);
    }
}
