//! The submission, `{"<task id>": [object id, …]}` (each task's answered ids in step order),
//! and its scorer.

use crate::episodes::Sg3dEpisodes;
use crate::metrics::episode_metrics;
use std::collections::BTreeMap;
use std::path::Path;
use waymark_core::Metrics;
use waymark_io::{read_json, write_json_atomic};
use waymark_task::{EpisodeMeta, EpisodeRecord, ScoreOptions, TaskArgs, TaskEpisodes, TaskError};

/// Writes every record's answers under its episode id.
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let mut answers: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for r in records {
        answers.insert(&r.id, r.trajectory_as().map_err(TaskError::source)?);
    }
    Ok(write_json_atomic(path, &answers, false)?)
}

/// Scores a submission against `--episodes` as SG3D does: per task, each answer against its
/// step's gold id (missing answers are wrong, extra ones count in the edit distance only).
/// Scenes are not read: scoring compares ids.
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes = Sg3dEpisodes::open(args)?;
    let answers: BTreeMap<String, Vec<u32>> = read_json(submission)?;
    let set = episodes.set();
    let entries: Vec<(&String, &Vec<u32>)> = answers.iter().collect();
    let entry_of = set.match_submission(entries.iter().map(|(id, _)| id.as_str()), options)?;
    let mut scored = Vec::new();
    for (position, entry) in entry_of.into_iter().enumerate() {
        let Some(entry) = entry else { continue };
        let gold = episodes.task(position)?.targets();
        scored.push((
            set.episodes[position].clone(),
            episode_metrics(entries[entry].1, &gold),
        ));
    }
    Ok(scored)
}
