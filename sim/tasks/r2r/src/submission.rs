//! R2R's official submission, `[{instr_id, trajectory: [[viewpoint, heading, elevation], …]}]`,
//! and scoring one as `eval.py` does.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::Path;
use waymark_core::{InstrId, Metrics, TrajectoryPoint, ViewpointId};
use waymark_io::{read_json, write_json_atomic};
use waymark_scenes::read_r2r_episodes;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, GraphStore, score_nav_trajectory};
use waymark_task::{EpisodeMeta, EpisodeRecord, ScoreOptions, TaskArgs, TaskError};

/// One entry as written: the trajectory exactly as `episodes.jsonl` holds it.
#[derive(Serialize)]
struct WrittenEntry<'a> {
    instr_id: &'a str,
    trajectory: &'a RawValue,
}

/// One entry as read.
#[derive(Deserialize)]
struct SubmissionEntry {
    instr_id: InstrId,
    trajectory: Vec<TrajectoryPoint>,
}

/// Writes the submission of `records` (in their order).
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let entries: Vec<WrittenEntry<'_>> = records
        .iter()
        .map(|r| WrittenEntry {
            instr_id: &r.id,
            trajectory: &r.trajectory,
        })
        .collect();
    Ok(write_json_atomic(path, &entries, false)?)
}

/// Scores `submission` against `--episodes` on `--connectivity`. Like `eval.py`, every
/// instruction of the episode file must have a trajectory (unless `partial`), an unknown id is
/// an error, and a move between non-adjacent viewpoints is an error naming the instruction and
/// both viewpoints.
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes_file = args.path("episodes")?;
    let episodes = read_r2r_episodes(&episodes_file).map_err(TaskError::source)?;
    let graphs = GraphStore::new(args.path("connectivity")?);
    let threshold_m = args.parse_or("success-threshold", DEFAULT_SUCCESS_THRESHOLD_M)?;
    let entries: Vec<SubmissionEntry> = read_json(submission)?;
    let position: HashMap<&InstrId, usize> = episodes
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.instr_id, i))
        .collect();
    let mut trajectory_of: Vec<Option<&SubmissionEntry>> = vec![None; episodes.len()];
    for (index, entry) in entries.iter().enumerate() {
        let Some(&i) = position.get(&entry.instr_id) else {
            return Err(TaskError::UnknownEpisode {
                index,
                id: entry.instr_id.to_string(),
            });
        };
        if trajectory_of[i].replace(entry).is_some() {
            return Err(TaskError::DuplicateEntry {
                id: entry.instr_id.to_string(),
            });
        }
    }
    if !options.partial {
        let missing: Vec<&str> = episodes
            .iter()
            .zip(&trajectory_of)
            .filter(|(_, t)| t.is_none())
            .map(|(e, _)| e.instr_id.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(TaskError::MissingEpisodes {
                count: missing.len(),
                examples: missing[..missing.len().min(5)].join(", "),
            });
        }
    }
    let mut scored = Vec::with_capacity(entries.len());
    for (episode, entry) in episodes.iter().zip(trajectory_of) {
        let Some(entry) = entry else { continue };
        let graph = graphs.graph(&episode.scan).map_err(TaskError::source)?;
        let visited: Vec<ViewpointId> = entry
            .trajectory
            .iter()
            .map(|p| p.viewpoint.clone())
            .collect();
        let metrics = score_nav_trajectory(&graph, episode, &visited, threshold_m)
            .map_err(TaskError::source)?;
        let meta = EpisodeMeta {
            id: episode.instr_id.to_string(),
            scene: episode.scan.to_string(),
            language: episode.language.clone(),
            task_type: None,
        };
        scored.push((meta, metrics.to_metrics()));
    }
    Ok(scored)
}
