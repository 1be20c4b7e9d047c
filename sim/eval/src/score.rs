//! Scoring a submission as the official `eval.py` does.

use crate::error::EvalError;
use crate::record::SubmissionEntry;
use std::collections::HashMap;
use waymark_core::{InstrId, NavEpisode, NavMetrics, NavMetricsMean, ViewpointId};
use waymark_sim::{GraphStore, score_nav_trajectory};

/// How to score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreOptions {
    /// The success radius in metres.
    pub success_threshold_m: f64,
    /// Score only the instructions the submission holds, instead of requiring all of them.
    pub partial: bool,
}

/// Scores `submission` against `episodes`. Like `eval.py`, every instruction of the episode
/// file must have a trajectory (unless `partial`), an unknown id is an error, and a move
/// between non-adjacent viewpoints is an error naming the instruction and both viewpoints.
///
/// Returns the means and the per-instruction metrics in episode-file order.
pub fn score_submission(
    episodes: &[NavEpisode],
    graphs: &GraphStore,
    submission: &[SubmissionEntry],
    options: ScoreOptions,
) -> Result<(NavMetricsMean, Vec<(InstrId, NavMetrics)>), EvalError> {
    let position: HashMap<&InstrId, usize> = episodes
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.instr_id, i))
        .collect();
    let mut trajectory_of: Vec<Option<&SubmissionEntry>> = vec![None; episodes.len()];
    for (index, entry) in submission.iter().enumerate() {
        let Some(&i) = position.get(&entry.instr_id) else {
            return Err(EvalError::UnknownInstruction {
                index,
                instr_id: entry.instr_id.clone(),
            });
        };
        if trajectory_of[i].replace(entry).is_some() {
            return Err(EvalError::Duplicate {
                instr_id: entry.instr_id.clone(),
                context: " in the submission".into(),
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
            return Err(EvalError::MissingInstructions {
                count: missing.len(),
                examples: missing[..missing.len().min(5)].join(", "),
            });
        }
    }
    let mut scored = Vec::with_capacity(submission.len());
    for (episode, entry) in episodes.iter().zip(trajectory_of) {
        let Some(entry) = entry else { continue };
        let graph = graphs.graph(&episode.scan)?;
        let visited: Vec<ViewpointId> = entry
            .trajectory
            .iter()
            .map(|p| p.viewpoint.clone())
            .collect();
        let metrics = score_nav_trajectory(&graph, episode, &visited, options.success_threshold_m)?;
        scored.push((episode.instr_id.clone(), metrics));
    }
    let mean = NavMetricsMean::of(scored.iter().map(|(_, m)| m));
    Ok((mean, scored))
}
