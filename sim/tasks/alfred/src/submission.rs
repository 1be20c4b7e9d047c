//! ALFRED's leaderboard action dump (`models/eval/leaderboard.py`):
//! `{"<split>": [{"<trial id>": [<AI2-THOR call>, …]}, …]}`, one element per episode (a
//! trial's annotations in order, without their index), and scoring one by replaying it.

use crate::env::{Attempt, action_of};
use crate::episodes::AlfredEpisodes;
use crate::traj::ApiAction;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use waymark_core::{Action, Metrics};
use waymark_io::{read_json, write_json_atomic};
use waymark_task::{
    EpisodeMeta, EpisodeRecord, ScoreOptions, StepOutcome, TaskArgs, TaskEpisodes, TaskError,
};

/// The dump's key for waymark's runs (ALFRED's leaderboard uses `tests_seen` and
/// `tests_unseen`; the scorer reads every key).
const SPLIT_KEY: &str = "episodes";

/// The trial id and annotation index of an episode id (`trial_…_<annotation>`; the whole id
/// and 0 when it has no index).
pub(crate) fn trial_of(episode_id: &str) -> (&str, u64) {
    episode_id
        .rsplit_once('_')
        .and_then(|(trial, k)| Some((trial, k.parse().ok()?)))
        .unwrap_or((episode_id, 0))
}

/// Writes the action dump of `records` (in their order): every call the agent made.
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let mut entries = Vec::with_capacity(records.len());
    for r in records {
        let attempts: Vec<Attempt> = r.trajectory_as().map_err(TaskError::source)?;
        let calls: Vec<ApiAction> = attempts.into_iter().map(|a| a.api_action).collect();
        entries.push(BTreeMap::from([(trial_of(&r.id).0.to_string(), calls)]));
    }
    Ok(write_json_atomic(
        path,
        &BTreeMap::from([(SPLIT_KEY, entries)]),
        false,
    )?)
}

/// Scores an action dump against `--episodes`: each trial's entries are its annotations in
/// order; each is replayed from the start, and the episode ends after its last call (as
/// ALFRED's evaluation ends at stop).
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes = AlfredEpisodes::open(args)?;
    let dump: BTreeMap<String, Vec<BTreeMap<String, Vec<ApiAction>>>> = read_json(submission)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut entries: Vec<(String, Vec<ApiAction>)> = Vec::new();
    for element in dump.into_values().flatten() {
        for (trial, calls) in element {
            let k = seen.entry(trial.clone()).or_insert(0);
            entries.push((format!("{trial}_{k}"), calls));
            *k += 1;
        }
    }
    let set = episodes.set();
    let entry_of = set.match_submission(entries.iter().map(|(id, _)| id.as_str()), options)?;
    let mut scored = Vec::new();
    for (position, entry) in entry_of.into_iter().enumerate() {
        let Some(entry) = entry else { continue };
        let (id, calls) = &entries[entry];
        let mut env = episodes.environment(position)?;
        for (k, call) in calls.iter().enumerate() {
            let action = action_of(call).ok_or_else(|| TaskError::Episode {
                file: submission.to_path_buf(),
                episode: id.clone(),
                message: format!("call {k}: `{}` is not an ALFRED action", call.action),
            })?;
            let outcome = waymark_task::Environment::step(&mut env, &action).map_err(|e| {
                TaskError::Episode {
                    file: submission.to_path_buf(),
                    episode: id.clone(),
                    message: e.to_string(),
                }
            })?;
            if outcome != StepOutcome::Running {
                break;
            }
        }
        if !env.is_done() {
            let _ = waymark_task::Environment::step(&mut env, &Action::Stop);
        }
        let end = waymark_task::Environment::finish(Box::new(env))?;
        scored.push((set.episodes[position].clone(), end.metrics));
    }
    Ok(scored)
}
