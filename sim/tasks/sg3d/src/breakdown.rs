//! SG3D's breakdowns of a run: step accuracy by step position (`01`, `02`, …) and by the
//! label of the step's target.

use crate::task_file::{GroundingTask, read_tasks};
use waymark_task::{Breakdowns, EpisodeRecord, TaskArgs, TaskError};

/// Tallies each record's steps, `correct_of` saying which of its task's steps were answered
/// right (missing entries count as wrong).
pub fn tally_steps(
    tasks: &[GroundingTask],
    records: &[EpisodeRecord],
    correct_of: impl Fn(&EpisodeRecord, &GroundingTask) -> Result<Vec<bool>, TaskError>,
) -> Result<Breakdowns, TaskError> {
    let mut out = Breakdowns::new();
    for record in records {
        let Some(task) = tasks.get(record.index) else {
            continue;
        };
        let correct = correct_of(record, task)?;
        for (k, step) in task.steps.iter().enumerate() {
            let right = correct.get(k).copied().unwrap_or(false);
            for (table, key) in [
                ("by_step_position", format!("{:02}", k + 1)),
                ("by_label", step.label.clone()),
            ] {
                out.entry(table.to_string())
                    .or_default()
                    .entry(key)
                    .or_default()
                    .add(right);
            }
        }
    }
    Ok(out)
}

/// The tasks of the run's `--episodes` (and `--scan`).
pub fn run_tasks(args: &TaskArgs) -> Result<Vec<GroundingTask>, TaskError> {
    read_tasks(&args.path("episodes")?, args.text("scan"))
}

/// SG3D's breakdowns: a step is right when its answer is the gold id.
pub(crate) fn breakdowns(
    args: &TaskArgs,
    records: &[EpisodeRecord],
) -> Result<Breakdowns, TaskError> {
    tally_steps(&run_tasks(args)?, records, |record, task| {
        let answers: Vec<u32> = record.trajectory_as().map_err(TaskError::source)?;
        Ok(task
            .steps
            .iter()
            .zip(&answers)
            .map(|(s, &a)| s.target_id == a)
            .collect())
    })
}
