//! A scripted model that answers LLM-Planner's prompts with the gold plan: for checking the
//! executor, the parser and the plan format end to end (a planner fed the right plan should
//! succeed), and for benchmarks that need a model which is never the bottleneck.

use crate::pool::{Example, PoolError, read_annotated, trajectory_files};
use crate::prompt::Labels;
use std::collections::HashMap;
use std::path::Path;

/// Gold plans by goal.
#[derive(Clone, Debug, Default)]
pub struct GoldModel {
    by_goal: HashMap<String, Vec<String>>,
    examples: HashMap<String, Example>,
}

impl GoldModel {
    /// The gold plans of every trajectory under `dir` (an ALFRED `json_2.1.0` folder or
    /// split), under the goal of each of its annotations (trimmed). Where annotations of two
    /// trajectories share a goal, the first in path order keeps it.
    pub fn read(dir: &Path) -> Result<Self, PoolError> {
        let mut by_goal = HashMap::new();
        let mut examples = HashMap::new();
        for path in trajectory_files(dir)? {
            let (example, goals) = read_annotated(&path, String::new())?;
            let steps: Vec<String> = example.steps.iter().map(ToString::to_string).collect();
            for goal in goals {
                let goal = goal.trim().to_string();
                by_goal.entry(goal.clone()).or_insert_with(|| steps.clone());
                examples.entry(goal).or_insert_with(|| example.clone());
            }
        }
        Ok(Self { by_goal, examples })
    }

    /// The trajectory whose annotation has this goal (trimmed): its gold plan, task type and
    /// whether its target is sliced.
    pub fn example(&self, goal: &str) -> Option<&Example> {
        self.examples.get(goal.trim())
    }

    /// The answer to `prompt` (written with `labels`): the gold plan of its task without the
    /// steps the prompt says are completed, as a model continues after "Next Plans:".
    /// `None` for a task it does not know.
    pub fn answer(&self, prompt: &str, labels: &Labels) -> Option<String> {
        let (_, query) = prompt.rsplit_once(labels.task_description)?;
        let goal = query.lines().next()?.trim();
        let steps = self.by_goal.get(goal)?;
        let completed = query
            .lines()
            .find_map(|line| line.strip_prefix(labels.completed_plans))
            .map_or(0, |done| {
                done.split(", ").filter(|s| !s.trim().is_empty()).count()
            });
        let rest = steps.get(completed.min(steps.len())..).unwrap_or_default();
        Some(format!(" {}", rest.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlanStep, format_plan};
    use crate::prompt::{ENGLISH, QueryBlock, build};

    #[test]
    fn it_answers_with_the_rest_of_the_gold_plan() {
        let steps = vec![
            PlanStep {
                action: "Navigation".into(),
                object: "Fridge".into(),
                receptacle: None,
            },
            PlanStep {
                action: "OpenObject".into(),
                object: "Fridge".into(),
                receptacle: None,
            },
        ];
        let model = GoldModel {
            by_goal: HashMap::from([(
                "Chill an apple.".to_string(),
                steps.iter().map(ToString::to_string).collect(),
            )]),
            examples: HashMap::new(),
        };
        let prompt = |completed: &[String]| {
            build(
                &ENGLISH,
                &[],
                &QueryBlock {
                    task_instr: "Chill an apple.",
                    completed,
                    vis_objs: &[],
                },
            )
        };
        assert_eq!(
            model.answer(&prompt(&[]), &ENGLISH).unwrap(),
            format!(" {}", format_plan(&steps))
        );
        assert_eq!(
            model
                .answer(&prompt(&["Navigation fridge".into()]), &ENGLISH)
                .unwrap(),
            " OpenObject fridge"
        );
        let other = build(
            &ENGLISH,
            &[],
            &QueryBlock {
                task_instr: "Something else.",
                completed: &[],
                vis_objs: &[],
            },
        );
        assert_eq!(model.answer(&other, &ENGLISH), None);
    }
}
