//! ALFRED's metrics (`models/eval/eval_task.py`), pooled over episodes as ALFRED pools them.

use crate::goals::GoalConditions;
use waymark_core::{Aggregate, MetricDef, Metrics, Unit};

/// ALFRED's metrics in its order, then waymark's counts. Per episode `gc` is the number of goal
/// conditions met and `plw_sr`/`plw_gc` are ALFRED's path-length-weighted values (weighted by
/// the expert's length); over a run each is pooled: Σ met / Σ total conditions, Σ weighted /
/// Σ expert lengths.
pub static ALFRED_METRICS: [MetricDef; 8] = [
    MetricDef::new(
        "sr",
        "success rate: every goal condition met at the end",
        Unit::Fraction,
        Aggregate::Rate,
        true,
    ),
    MetricDef::new(
        "gc",
        "goal-condition success: conditions met (pooled over total conditions)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "total_goal_conditions",
        },
        true,
    ),
    MetricDef::new(
        "plw_sr",
        "path-length-weighted success: success · min(1, L*/t) · L* (pooled over L*)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "path_len_weight",
        },
        true,
    ),
    MetricDef::new(
        "plw_gc",
        "path-length-weighted goal conditions: gc · min(1, L*/t) · L* (pooled over L*)",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "path_len_weight",
        },
        true,
    ),
    MetricDef::new(
        "total_goal_conditions",
        "goal conditions of the task",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "path_len_weight",
        "L*: the expert's number of low-level actions",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "steps",
        "t: actions taken (failed ones count; not a final stop)",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "failures",
        "failed actions",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
];

/// One episode's metrics: `conditions` at the end, the expert's length `expert_steps` (L*),
/// the agent's `steps` (t) and failed actions. An episode that stops at t = 0 is scored with
/// path-length weights 0 (ALFRED's scorer divides by zero there and drops the episode).
pub fn episode_metrics(
    conditions: GoalConditions,
    expert_steps: u32,
    steps: u32,
    failures: u32,
) -> Metrics {
    let success = if conditions.success() { 1.0 } else { 0.0 };
    let gc_ratio = f64::from(conditions.met) / f64::from(conditions.total.max(1));
    let l_star = f64::from(expert_steps);
    let weight = if steps == 0 {
        0.0
    } else {
        (l_star / f64::from(steps)).min(1.0)
    };
    Metrics::with_capacity(ALFRED_METRICS.len())
        .with_real("sr", success)
        .with_count("gc", u64::from(conditions.met))
        .with_real("plw_sr", success * weight * l_star)
        .with_real("plw_gc", gc_ratio * weight * l_star)
        .with_count("total_goal_conditions", u64::from(conditions.total))
        .with_count("path_len_weight", u64::from(expert_steps))
        .with_count("steps", u64::from(steps))
        .with_count("failures", u64::from(failures))
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_core::MetricMeans;

    #[test]
    fn per_episode_values_and_pooling_follow_alfred() {
        // Two of three conditions met, L* = 40, t = 50: gc·min(1, L*/t)·L* = 2/3 · 0.8 · 40.
        let partial = episode_metrics(GoalConditions { met: 2, total: 3 }, 40, 50, 4);
        assert_eq!(partial.real("sr"), 0.0);
        assert_eq!(partial.real("gc"), 2.0);
        assert_eq!(partial.real("plw_sr"), 0.0);
        assert!((partial.real("plw_gc") - 2.0 / 3.0 * 0.8 * 40.0).abs() < 1e-12);
        // Success after a detour: L* = 20, t = 25.
        let detour = episode_metrics(GoalConditions { met: 1, total: 1 }, 20, 25, 0);
        assert_eq!(detour.real("plw_sr"), 0.8 * 20.0);
        // Stopping at t = 0: path-length weights 0 (ALFRED's scorer drops the episode).
        let at_once = episode_metrics(GoalConditions { met: 0, total: 2 }, 30, 0, 0);
        assert_eq!((at_once.real("plw_sr"), at_once.real("plw_gc")), (0.0, 0.0));
        let means = MetricMeans::of(&ALFRED_METRICS, [&partial, &detour, &at_once]);
        let m = |k: &str| means.get(k).unwrap();
        assert_eq!(m("sr"), 1.0 / 3.0);
        // Pooled: Σ met / Σ total = 3 / 6; Σ weighted / Σ L* = 16 / 90.
        assert_eq!(m("gc"), 0.5);
        assert!((m("plw_sr") - 16.0 / 90.0).abs() < 1e-12);
        assert!((m("plw_gc") - (2.0 / 3.0 * 0.8 * 40.0 + 16.0) / 90.0).abs() < 1e-12);
    }
}
