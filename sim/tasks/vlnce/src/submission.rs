//! VLN-CE's submission, `{episode_id: [{position, heading, stop}, …]}` in Habitat's frame (y
//! up, heading counter-clockwise), and scoring one.

use crate::episodes::VlnceEpisodes;
use glam::Vec3;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use waymark_continuous::GeodesicField;
use waymark_continuous::metrics::{ContinuousOutcome, score_continuous};
use waymark_core::{Metrics, PosePoint};
use waymark_io::{read_json, write_json_atomic};
use waymark_task::{
    EndReason, EpisodeMeta, EpisodeRecord, ScoreOptions, TaskArgs, TaskEpisodes, TaskError,
};

/// Writes the submission of `records`, keyed (and so sorted) by episode id.
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let mut submission = serde_json::Map::new();
    for r in records {
        let poses: Vec<PosePoint> = r.trajectory_as().map_err(TaskError::source)?;
        let stopped = r.end == EndReason::Stopped;
        let steps: Vec<serde_json::Value> = poses
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let [x, y, z] = p.position;
                serde_json::json!({
                    "position": [x, z, -y],
                    "heading": -p.heading,
                    "stop": stopped && i + 1 == poses.len(),
                })
            })
            .collect();
        submission.insert(r.id.clone(), serde_json::Value::Array(steps));
    }
    Ok(write_json_atomic(path, &submission, false)?)
}

/// One pose of a submission.
#[derive(Deserialize)]
struct SubmittedPose {
    /// Habitat frame: `[x, y (up), z]`.
    position: [f32; 3],
    /// Counter-clockwise, radians (not needed for the metrics).
    #[serde(rename = "heading")]
    _heading: f32,
    stop: bool,
}

/// Scores `submission` against `--episodes` on `--scene`: the metrics of `eval vlnce` from the
/// positions alone. Collisions are not in a submission and count as 0; an episode succeeds
/// only when its last pose says `stop`.
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes = VlnceEpisodes::open(args)?;
    let entries: Vec<(String, Vec<SubmittedPose>)> =
        read_json::<BTreeMap<String, Vec<SubmittedPose>>>(submission)?
            .into_iter()
            .collect();
    let set = episodes.set();
    let entry_of = set.match_submission(entries.iter().map(|(id, _)| id.as_str()), options)?;
    let nav = episodes.nav_scene();
    let snap_m = episodes.env_config().snap_m;
    let threshold_m = episodes.success_threshold_m;
    let mut scored = Vec::new();
    for (i, entry) in entry_of.iter().enumerate() {
        let Some((_, poses)) = entry.map(|e| &entries[e]) else {
            continue;
        };
        let episode = episodes.episode(i)?;
        let meta = set.episodes[i].clone();
        let bad = |message: String| TaskError::Episode {
            file: submission.to_path_buf(),
            episode: meta.id.clone(),
            message,
        };
        if poses.is_empty() {
            return Err(bad("empty trajectory".into()));
        }
        let positions: Vec<Vec3> = poses
            .iter()
            .map(|p| {
                let [x, up, z] = p.position;
                Vec3::new(x, -z, up)
            })
            .collect();
        let field = GeodesicField::new(&nav.grid, episode.goal_position_m, snap_m)
            .map_err(|e| bad(e.to_string()))?;
        let outcome = ContinuousOutcome {
            positions: &positions,
            reference: &episode.reference_path_m,
            stopped: poses.last().is_some_and(|p| p.stop),
            steps: u32::try_from(poses.len() - 1).unwrap_or(u32::MAX),
            collisions: 0,
        };
        let metrics = score_continuous(&nav.grid, &field, snap_m, &outcome, threshold_m);
        scored.push((meta, metrics.to_metrics()));
    }
    Ok(scored)
}
