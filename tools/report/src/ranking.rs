//! Which episodes are the worst, the order the report lists each run's episodes in.
//!
//! The rule: failures first, by the lowest value of the task's success metric (`sr`, else its
//! first rate metric); among equals, the largest navigation error (`ne`) when the task has
//! one, else the lowest per-episode score of its first pooled fraction (ALFRED's goal
//! conditions met, `gc`); then file order. A missing value or one that is not a number counts
//! as the worst.

use crate::metrics::{episode_value, label};
use waymark_core::{Aggregate, MetricDef, Unit};
use waymark_task::EpisodeRecord;

/// The tie-break after success.
#[derive(Clone, Copy, Debug)]
enum Then {
    /// Larger is worse (an error in metres).
    LargestFirst(&'static MetricDef),
    /// Smaller is worse (a score).
    SmallestFirst(&'static MetricDef),
}

/// A task's worst-first order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ranking {
    success: Option<&'static MetricDef>,
    then: Option<Then>,
}

impl Ranking {
    /// The order for a task with the metrics `defs`.
    pub(crate) fn of(defs: &'static [MetricDef]) -> Self {
        let success = defs
            .iter()
            .find(|d| d.name == "sr")
            .or_else(|| defs.iter().find(|d| d.aggregate == Aggregate::Rate));
        let then = match defs.iter().find(|d| d.name == "ne") {
            Some(ne) => Some(Then::LargestFirst(ne)),
            None => defs
                .iter()
                .find(|d| {
                    d.unit == Unit::Fraction && matches!(d.aggregate, Aggregate::Pooled { .. })
                })
                .map(Then::SmallestFirst),
        };
        Self { success, then }
    }

    /// The rule in words, for the report.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(success) = self.success {
            parts.push(format!("lowest {} first", label(success)));
        }
        match self.then {
            Some(Then::LargestFirst(d)) => parts.push(format!("then largest {}", label(d))),
            Some(Then::SmallestFirst(d)) => {
                parts.push(format!("then lowest {} of the episode", label(d)));
            }
            None => {}
        }
        parts.push("then file order".into());
        parts.join(", ")
    }

    /// Positions in `records`, worst first.
    pub(crate) fn worst_first(&self, records: &[EpisodeRecord]) -> Vec<usize> {
        let value = |def: &MetricDef, r: &EpisodeRecord| {
            episode_value(def, &r.metrics).filter(|v| !v.is_nan())
        };
        let keys: Vec<(f64, f64)> = records
            .iter()
            .map(|r| {
                // Both keys ascend from the worst; what is missing sorts first.
                let success = self
                    .success
                    .map_or(0.0, |d| value(d, r).unwrap_or(f64::NEG_INFINITY));
                let then = match self.then {
                    Some(Then::LargestFirst(d)) => value(d, r).map_or(f64::NEG_INFINITY, |v| -v),
                    Some(Then::SmallestFirst(d)) => value(d, r).unwrap_or(f64::NEG_INFINITY),
                    None => 0.0,
                };
                (success, then)
            })
            .collect();
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = (keys[a], keys[b]);
            ka.0.total_cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(a.cmp(&b))
        });
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_core::{Metrics, NAV_METRICS};
    use waymark_task::EndReason;

    fn record(index: usize, metrics: Metrics) -> EpisodeRecord {
        EpisodeRecord {
            index,
            id: format!("e{index}"),
            scene: "s".into(),
            language: None,
            task_type: None,
            metrics,
            end: EndReason::Stopped,
            error: None,
            counters: Default::default(),
            cost_usd: None,
            trajectory: serde_json::value::RawValue::from_string("[]".into()).unwrap(),
        }
    }

    #[test]
    fn navigation_failures_first_then_the_largest_error() {
        static DEFS: [MetricDef; 10] = NAV_METRICS;
        let ranking = Ranking::of(&DEFS);
        let records = [
            record(0, Metrics::new().with_real("sr", 1.0).with_real("ne", 1.0)),
            record(1, Metrics::new().with_real("sr", 0.0).with_real("ne", 4.0)),
            record(2, Metrics::new().with_real("sr", 0.0).with_real("ne", 9.0)),
            record(3, Metrics::new().with_real("sr", 1.0).with_real("ne", 2.0)),
            record(
                4,
                Metrics::new()
                    .with_real("sr", 0.0)
                    .with_real("ne", f64::NAN),
            ),
        ];
        assert_eq!(ranking.worst_first(&records), vec![4, 2, 1, 3, 0]);
        assert_eq!(
            ranking.describe(),
            "lowest SR (%) first, then largest NE (m), then file order"
        );
    }

    /// ALFRED's shape: a success rate and a pooled goal-condition fraction.
    static HOUSEHOLD: [MetricDef; 3] = [
        MetricDef::new("sr", "", Unit::Fraction, Aggregate::Rate, true),
        MetricDef::new(
            "gc",
            "",
            Unit::Fraction,
            Aggregate::Pooled {
                denominator: "total",
            },
            true,
        ),
        MetricDef::new("total", "", Unit::Count, Aggregate::Mean, false),
    ];

    #[test]
    fn household_failures_by_the_fraction_of_goal_conditions_met() {
        let ranking = Ranking::of(&HOUSEHOLD);
        let ep = |i, sr, gc, total| {
            record(
                i,
                Metrics::new()
                    .with_real("sr", sr)
                    .with_count("gc", gc)
                    .with_count("total", total),
            )
        };
        let records = [
            ep(0, 0.0, 1, 2),
            ep(1, 1.0, 2, 2),
            ep(2, 0.0, 1, 4),
            ep(3, 0.0, 1, 2),
        ];
        assert_eq!(ranking.worst_first(&records), vec![2, 0, 3, 1]);
    }
}
