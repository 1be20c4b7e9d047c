//! SG3D's metrics: step accuracy pooled over every step of every task, task accuracy, and
//! the edit distance between the answered and the gold id sequences.

use waymark_core::{Aggregate, MetricDef, Metrics, Unit};

/// SG3D's metrics in its order, then waymark's counts. Per episode `s_acc` is the number of
/// correct steps; over a run it is pooled, Σ correct / Σ steps (SG3D's step accuracy), while
/// `t_acc` is the rate of tasks with every step correct.
pub static SG3D_METRICS: [MetricDef; 4] = [
    MetricDef::new(
        "s_acc",
        "step accuracy: correct steps (pooled over every task's steps)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "steps",
        },
        true,
    ),
    T_ACC,
    EDIT_DISTANCE,
    STEPS,
];

/// Task accuracy: every step of the task correct.
pub const T_ACC: MetricDef = MetricDef::new(
    "t_acc",
    "task accuracy: every step of the task correct",
    Unit::Fraction,
    Aggregate::Rate,
    true,
);

/// SG3D's edit distance between the answered and the gold id sequences.
pub const EDIT_DISTANCE: MetricDef = MetricDef::new(
    "edit_distance",
    "Levenshtein distance between the answered and the gold object id sequences",
    Unit::Count,
    Aggregate::Mean,
    true,
);

/// The task's steps (the denominator of pooled step metrics).
pub const STEPS: MetricDef = MetricDef::new(
    "steps",
    "the task's steps",
    Unit::Count,
    Aggregate::Mean,
    false,
);

/// One task's metrics for `answers` (in step order; fewer than the steps when the planner
/// stopped early, an unanswered step counting as wrong) against `gold`.
pub fn episode_metrics(answers: &[u32], gold: &[u32]) -> Metrics {
    let correct = gold.iter().zip(answers).filter(|(g, a)| g == a).count() as u64;
    let all = !gold.is_empty() && correct == gold.len() as u64;
    Metrics::with_capacity(SG3D_METRICS.len())
        .with_count("s_acc", correct)
        .with_real("t_acc", if all { 1.0 } else { 0.0 })
        .with_count("edit_distance", levenshtein(answers, gold) as u64)
        .with_count("steps", gold.len() as u64)
}

/// The fewest insertions, deletions and substitutions that turn `a` into `b`.
pub fn levenshtein(a: &[u32], b: &[u32]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(x != y);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use waymark_core::MetricMeans;

    #[test]
    fn levenshtein_by_hand() {
        assert_eq!(levenshtein(&[], &[]), 0);
        assert_eq!(levenshtein(&[1, 2, 3], &[]), 3);
        assert_eq!(levenshtein(&[], &[1, 2]), 2);
        assert_eq!(levenshtein(&[1, 2, 3], &[1, 2, 3]), 0);
        // One substitution.
        assert_eq!(levenshtein(&[1, 9, 3], &[1, 2, 3]), 1);
        // One deletion (2), one insertion (4).
        assert_eq!(levenshtein(&[1, 2, 3], &[1, 3, 4]), 2);
        // kitten → sitting as ids: k→s, e→i, +g.
        assert_eq!(levenshtein(&[1, 2, 3, 3, 4, 5], &[6, 2, 3, 3, 2, 5, 7]), 3);
    }

    #[test]
    fn pooled_step_accuracy_and_task_accuracy() {
        // 2 of 3 correct, a task of 1 step answered right, a task of 4 steps left after 1.
        let a = episode_metrics(&[5, 6, 0], &[5, 6, 7]);
        let b = episode_metrics(&[3], &[3]);
        let c = episode_metrics(&[1], &[1, 2, 3, 4]);
        assert_eq!(
            (a.real("s_acc"), a.real("t_acc"), a.real("edit_distance")),
            (2.0, 0.0, 1.0)
        );
        assert_eq!((b.real("s_acc"), b.real("t_acc")), (1.0, 1.0));
        assert_eq!(
            c.real("edit_distance"),
            3.0,
            "three gold ids never answered"
        );
        let m = MetricMeans::of(&SG3D_METRICS, [&a, &b, &c]);
        // Pooled: (2 + 1 + 1) / (3 + 1 + 4) = 0.5; the per-task mean would be 0.58.
        assert_eq!(m.get("s_acc"), Some(0.5));
        assert_eq!(m.get("t_acc"), Some(1.0 / 3.0));
        assert_eq!(m.get("edit_distance"), Some(4.0 / 3.0));
    }
}
