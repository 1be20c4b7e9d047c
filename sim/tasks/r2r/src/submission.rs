//! R2R's official submission, `[{instr_id, trajectory: [[viewpoint, heading, elevation], …]}]`,
//! and scoring one as `eval.py` does.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::path::Path;
use waymark_core::{InstrId, Metrics, NavEpisode, TrajectoryPoint};
use waymark_io::{read_json, write_json_atomic};
use waymark_scenes::read_r2r_episodes;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, ScoringGraphs};
use waymark_task::{EpisodeMeta, EpisodeRecord, EpisodeSet, ScoreOptions, TaskArgs, TaskError};

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
    let set = EpisodeSet {
        file: args.path("episodes")?,
        episodes: Vec::new(),
        max_steps: 0,
        success_threshold_m: None,
    };
    let episodes = read_r2r_episodes(&set.file).map_err(TaskError::source)?;
    let set = EpisodeSet {
        episodes: episodes.iter().map(crate::episodes::meta).collect(),
        ..set
    };
    // Only the distances the metrics read, never all-pairs tables: bit-identical to the
    // environment's scoring, and 30–100× faster than eval.py on the real data.
    let graphs = ScoringGraphs::new(args.path("connectivity")?);
    let threshold_m = args.parse_or("success-threshold", DEFAULT_SUCCESS_THRESHOLD_M)?;
    let entries: Vec<SubmissionEntry> = read_json(submission)?;
    let entry_of = set.match_submission(entries.iter().map(|e| e.instr_id.as_str()), options)?;
    let jobs: Vec<(&NavEpisode, EpisodeMeta, &SubmissionEntry)> = episodes
        .iter()
        .zip(set.episodes)
        .zip(entry_of)
        .filter_map(|((episode, meta), entry)| Some((episode, meta, &entries[entry?])))
        .collect();
    // In parallel; `collect` keeps the episode-file order, so the result is the same for any
    // number of threads.
    jobs.into_par_iter()
        .map(|(episode, meta, entry)| {
            let visited: Vec<&str> = entry
                .trajectory
                .iter()
                .map(|p| p.viewpoint.as_str())
                .collect();
            let metrics = graphs
                .score_episode(episode, &visited, threshold_m)
                .map_err(TaskError::source)?;
            Ok((meta, metrics.to_metrics()))
        })
        .collect()
}
