//! Navigate-then-ground's metrics: SG3D's, with a step correct only when its object was in
//! view, then per-step navigation success and SPL (pooled over every step, as SG3D pools
//! step accuracy) and the moves per task. SG3D has no embodied evaluator; the navigation
//! metrics are this task's own, and its scorer reports them beside SG3D's.

use crate::outcome::StepResult;
use waymark_core::{Aggregate, MetricDef, Metrics, Unit};
use waymark_sg3d::{EDIT_DISTANCE, STEPS, T_ACC, levenshtein};

/// The metrics in report order.
pub static SG3D_NAV_METRICS: [MetricDef; 7] = [
    MetricDef::new(
        "s_acc",
        "step accuracy: steps answered with the gold object while it was in view (pooled over every task's steps)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "steps",
        },
        true,
    ),
    T_ACC,
    EDIT_DISTANCE,
    MetricDef::new(
        "nav_sr",
        "navigation success: steps answered while the gold object was in view (pooled)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "steps",
        },
        true,
    ),
    MetricDef::new(
        "nav_spl",
        "navigation success weighted by the shortest walk over the walk taken, per step (pooled)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "steps",
        },
        true,
    ),
    MetricDef::new(
        "moves",
        "navigation actions taken in the task",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    STEPS,
];

/// SPL of one step: success × shortest / max(shortest, walked); a step whose object no
/// walkable point reaches counts 1 when it was seen all the same.
fn spl(result: &StepResult) -> f64 {
    if !result.gold_in_view {
        return 0.0;
    }
    match result.shortest_m.map(f64::from) {
        Some(shortest) if shortest > 0.0 => shortest / shortest.max(f64::from(result.walked_m)),
        _ => 1.0,
    }
}

/// One task's metrics from its answered steps (fewer than `gold` when it stopped early: the
/// rest count as wrong) and the moves of the whole task.
pub fn task_metrics(results: &[StepResult], gold: &[u32], moves: usize) -> Metrics {
    let correct = results
        .iter()
        .zip(gold)
        .filter(|(r, g)| r.answer == **g && r.answer_in_view)
        .count() as u64;
    let all = !gold.is_empty() && correct == gold.len() as u64;
    let answers: Vec<u32> = results.iter().map(|r| r.answer).collect();
    Metrics::with_capacity(SG3D_NAV_METRICS.len())
        .with_count("s_acc", correct)
        .with_real("t_acc", if all { 1.0 } else { 0.0 })
        .with_count("edit_distance", levenshtein(&answers, gold) as u64)
        .with_count(
            "nav_sr",
            results.iter().filter(|r| r.gold_in_view).count() as u64,
        )
        .with_real("nav_spl", results.iter().map(spl).sum())
        .with_count("moves", moves as u64)
        .with_count("steps", gold.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(answer: u32, seen: (bool, bool), walked_m: f32, shortest_m: Option<f32>) -> StepResult {
        StepResult {
            answer,
            answer_in_view: seen.0,
            gold_in_view: seen.1,
            moves: 0,
            walked_m,
            shortest_m,
        }
    }

    #[test]
    fn metrics_by_hand() {
        // Step 1: right and seen, walked 4 m of a 2 m shortest walk (SPL 0.5).
        // Step 2: the gold object answered but not in view (wrong; navigation failed).
        // Step 3: a wrong object in view while the gold one was also in view, shortest
        // 3 m walked 2 m (SPL 1). One step unanswered.
        let results = [
            step(5, (true, true), 4.0, Some(2.0)),
            step(7, (false, false), 1.0, Some(1.0)),
            step(9, (true, true), 2.0, Some(3.0)),
        ];
        let m = task_metrics(&results, &[5, 7, 8, 2], 31);
        assert_eq!(m.real("s_acc"), 1.0);
        assert_eq!(m.real("t_acc"), 0.0);
        // [5, 7, 9] → [5, 7, 8, 2]: one substitution, one insertion.
        assert_eq!(m.real("edit_distance"), 2.0);
        assert_eq!(m.real("nav_sr"), 2.0);
        assert!((m.real("nav_spl") - 1.5).abs() < 1e-12);
        assert_eq!(m.real("moves"), 31.0);
        assert_eq!(m.real("steps"), 4.0);
        let unreachable_but_seen = step(1, (true, true), 3.0, None);
        assert_eq!(spl(&unreachable_but_seen), 1.0);
        let perfect = task_metrics(&[step(1, (true, true), 0.0, Some(0.0))], &[1], 0);
        assert_eq!((perfect.real("s_acc"), perfect.real("t_acc")), (1.0, 1.0));
    }
}
