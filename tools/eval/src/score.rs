//! Scoring a submission with a task's official scorer.

use crate::error::EvalError;
use std::path::Path;
use waymark_core::{MetricMeans, Metrics};
use waymark_task::{EpisodeMeta, ScoreOptions, Task, TaskArgs};

/// Scores `submission` against the episodes `args` name: the aggregates over the scored
/// episodes and each one's metrics, in episode-file order.
pub fn score_submission(
    task: &dyn Task,
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<(MetricMeans, Vec<(EpisodeMeta, Metrics)>), EvalError> {
    let scored = task.score(args, submission, options)?;
    if scored.is_empty() {
        // Means over nothing would read as all-zero results.
        return Err(EvalError::EmptySubmission(submission.to_path_buf()));
    }
    let means = MetricMeans::of(task.info().metrics, scored.iter().map(|(_, m)| m));
    Ok((means, scored))
}
