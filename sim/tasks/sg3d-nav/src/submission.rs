//! The submission, `{"<task id>": {"answers": [...], "grounded_at": [...], "path": [...]}}`
//! (each task's trajectory), and its scorer, which replays every path in its scene.

use crate::episodes::NavEpisodes;
use crate::outcome::NavTrajectory;
use std::collections::BTreeMap;
use std::path::Path;
use waymark_core::Metrics;
use waymark_io::{read_json, write_json_atomic};
use waymark_task::{EpisodeMeta, EpisodeRecord, ScoreOptions, TaskArgs, TaskEpisodes, TaskError};

/// Writes every record's trajectory under its episode id.
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let mut entries: BTreeMap<&str, NavTrajectory> = BTreeMap::new();
    for r in records {
        entries.insert(&r.id, r.trajectory_as().map_err(TaskError::source)?);
    }
    Ok(write_json_atomic(path, &entries, false)?)
}

/// Scores a submission against `--episodes` in the scenes of `--scenes`.
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes = NavEpisodes::open(args)?;
    let entries: BTreeMap<String, NavTrajectory> = read_json(submission)?;
    let listed: Vec<(&String, &NavTrajectory)> = entries.iter().collect();
    let set = episodes.set();
    let entry_of = set.match_submission(listed.iter().map(|(id, _)| id.as_str()), options)?;
    let mut scored = Vec::new();
    for (position, entry) in entry_of.into_iter().enumerate() {
        let Some(entry) = entry else { continue };
        scored.push((
            set.episodes[position].clone(),
            episodes.score(position, listed[entry].1)?,
        ));
    }
    Ok(scored)
}
