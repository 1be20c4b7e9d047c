//! R2R's official submission, `[{instr_id, trajectory: [[viewpoint, heading, elevation], …]}]`,
//! and scoring one as `eval.py` does.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use waymark_core::{Metrics, NavEpisode, ScanId};
use waymark_io::{IoError, JsonStr, parse_json, write_json_atomic};
use waymark_scenes::read_r2r_episodes;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, ScoringGraphs};
use waymark_task::{EpisodeMeta, EpisodeRecord, EpisodeSet, ScoreOptions, TaskArgs, TaskError};

/// One entry as written: the trajectory exactly as `episodes.jsonl` holds it.
#[derive(Serialize)]
struct WrittenEntry<'a> {
    instr_id: &'a str,
    trajectory: &'a RawValue,
}

/// One entry as read, borrowing its ids from the file's bytes. Heading and elevation must be
/// numbers; scoring reads only the viewpoints.
#[derive(Deserialize)]
struct SubmissionEntry<'a> {
    #[serde(borrow)]
    instr_id: JsonStr<'a>,
    #[serde(borrow)]
    trajectory: Vec<(JsonStr<'a>, f64, f64)>,
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

/// How many instructions of a path `eval.py` scores: it expects the ids `{path_id}_0` to
/// `{path_id}_2` and passes over any other entry of the submission.
const EVAL_PY_INSTRUCTIONS_PER_PATH: u64 = 3;

/// Whether `eval.py` leaves `episode` out: an R2R-numbered instruction (`{path_id}_{k}`)
/// beyond the third of its path. R2R val_seen has one path with four instructions; eval.py
/// scores 1,020 of its 1,021 instructions. REVERIE-style ids (`{id}_{k}`) are all scored.
fn beyond_eval_py(episode: &NavEpisode) -> bool {
    episode
        .instr_id
        .as_str()
        .strip_prefix(&format!("{}_", episode.path_id))
        .and_then(|k| k.parse::<u64>().ok())
        .is_some_and(|k| k >= EVAL_PY_INSTRUCTIONS_PER_PATH)
}

/// Scores `submission` against `--episodes` on `--connectivity` as `eval.py` does: the first
/// three instructions of each path are scored, each must have a trajectory (unless
/// `partial`), and an entry for a later instruction is passed over (logged). Stricter than
/// eval.py, which skips them silently: an id not in the episode file, or given twice, is an
/// error. A move between non-adjacent viewpoints is an error naming the instruction and both
/// viewpoints.
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes_file = args.path("episodes")?;
    let connectivity = args.folder("connectivity")?;
    let threshold_m = args.positive_f64_or("success-threshold", DEFAULT_SUCCESS_THRESHOLD_M)?;
    // Only the distances the metrics read, never all-pairs tables: bit-identical to the
    // environment's scoring, and about 50× faster than eval.py on the real data.
    let graphs = ScoringGraphs::new(connectivity);
    let bytes = std::fs::read(submission).map_err(|e| IoError::io(submission, e))?;
    // The episodes, then their scans' graphs, are read while the submission is parsed.
    let (episodes, entries) = rayon::join(
        || -> Result<Vec<NavEpisode>, TaskError> {
            let episodes = read_r2r_episodes(&episodes_file).map_err(TaskError::source)?;
            let scans: BTreeSet<&ScanId> = episodes.iter().map(|e| &e.scan).collect();
            scans.into_par_iter().for_each(|scan| {
                // A scan that fails to load is not remembered: scoring its first episode
                // reads it again and reports the error with that episode.
                let _ = graphs.graph(scan);
            });
            Ok(episodes)
        },
        || parse_json::<Vec<SubmissionEntry<'_>>>(submission, &bytes),
    );
    let (episodes, entries) = (episodes?, entries?);
    let (scored, beyond): (Vec<NavEpisode>, Vec<NavEpisode>) =
        episodes.into_iter().partition(|e| !beyond_eval_py(e));
    let passed_over: HashSet<&str> = beyond.iter().map(|e| e.instr_id.as_str()).collect();
    // The entries matched, by their place in the whole submission.
    let kept: Vec<usize> = (0..entries.len())
        .filter(|&i| !passed_over.contains(entries[i].instr_id.as_str()))
        .collect();
    if kept.len() < entries.len() {
        tracing::info!(
            entries = entries.len() - kept.len(),
            "not scored: instructions beyond the third of their path, as eval.py"
        );
    }
    let set = EpisodeSet {
        episodes: scored.iter().map(crate::episodes::meta).collect(),
        file: episodes_file,
        max_steps: 0,
        success_threshold_m: None,
    };
    let entry_of = set
        .match_submission(kept.iter().map(|&i| entries[i].instr_id.as_str()), options)
        .map_err(|error| match error {
            TaskError::UnknownEpisode { index, id } => TaskError::UnknownEpisode {
                index: kept[index],
                id,
            },
            other => other,
        })?;
    let jobs: Vec<(&NavEpisode, EpisodeMeta, &SubmissionEntry<'_>)> = scored
        .iter()
        .zip(set.episodes)
        .zip(entry_of)
        .filter_map(|((episode, meta), entry)| Some((episode, meta, &entries[kept[entry?]])))
        .collect();
    // In parallel; `collect` keeps the episode-file order, so the result is the same for any
    // number of threads.
    jobs.into_par_iter()
        .map(|(episode, meta, entry)| {
            let visited: Vec<&str> = entry.trajectory.iter().map(|p| p.0.as_str()).collect();
            let metrics = graphs
                .score_episode(episode, &visited, threshold_m)
                .map_err(TaskError::source)?;
            Ok((meta, metrics.to_metrics()))
        })
        .collect()
}
