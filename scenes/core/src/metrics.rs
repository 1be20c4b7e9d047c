//! Metric records for navigation episodes.
//!
//! Keys are lower case and values are fractions (never percentages), the same names in every
//! output: `episodes.jsonl`, `summary.json` and `waymark score --format json`.

use crate::named_metrics::{Aggregate, MetricDef, Metrics, Unit};
use serde::{Deserialize, Serialize};

/// Every official R2R metric for one instruction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NavMetrics {
    /// Trajectory length: summed edge lengths travelled, in metres.
    pub tl: f64,
    /// Navigation error: graph distance from the final viewpoint to the goal, in metres.
    pub ne: f64,
    /// Success: 1 when `ne` is below the success threshold, else 0.
    pub sr: f64,
    /// Oracle success: 1 when some visited viewpoint lies within the threshold of the goal.
    pub osr: f64,
    /// Success weighted by path length: `sr · d0 / max(tl, d0)`.
    pub spl: f64,
    /// Normalized dynamic time warping against the reference path.
    pub ndtw: f64,
    /// Success weighted by nDTW: `sr · ndtw`.
    pub sdtw: f64,
    /// Coverage weighted by length score.
    pub cls: f64,
    /// Actions taken (trajectory entries after the start).
    pub steps: u32,
    /// Moves blocked or deflected by geometry (continuous navigation; 0 for graphs).
    #[serde(default)]
    pub collisions: u32,
}

/// The navigation metrics every VLN task reports, in the order R2R papers give them; `steps`
/// and `collisions` are waymark's own (the official evaluators do not report them).
pub const NAV_METRICS: [MetricDef; 10] = [
    MetricDef::new(
        "tl",
        "trajectory length",
        Unit::Metres,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "ne",
        "navigation error: distance from the end to the goal",
        Unit::Metres,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "sr",
        "success rate: stopped within the success radius",
        Unit::Fraction,
        Aggregate::Rate,
        true,
    ),
    MetricDef::new(
        "osr",
        "oracle success rate: passed within the success radius",
        Unit::Fraction,
        Aggregate::Rate,
        true,
    ),
    MetricDef::new(
        "spl",
        "success weighted by path length",
        Unit::Fraction,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "ndtw",
        "normalized dynamic time warping",
        Unit::Fraction,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "sdtw",
        "success weighted by nDTW",
        Unit::Fraction,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "cls",
        "coverage weighted by length score",
        Unit::Fraction,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "steps",
        "actions taken",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "collisions",
        "moves blocked or deflected by geometry",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
];

impl NavMetrics {
    /// The metrics as named values, in [`NAV_METRICS`] order.
    pub fn to_metrics(&self) -> Metrics {
        Metrics::with_capacity(NAV_METRICS.len())
            .with_real("tl", self.tl)
            .with_real("ne", self.ne)
            .with_real("sr", self.sr)
            .with_real("osr", self.osr)
            .with_real("spl", self.spl)
            .with_real("ndtw", self.ndtw)
            .with_real("sdtw", self.sdtw)
            .with_real("cls", self.cls)
            .with_count("steps", u64::from(self.steps))
            .with_count("collisions", u64::from(self.collisions))
    }
}

/// Success weighted by path length, as R2R's `eval.py`: `sr · d0 / max(tl, d0)`, with `d0` the
/// shortest start–goal distance and `tl` the length travelled. When start and goal coincide and
/// the agent never moved (`0 / 0`), it is `sr`.
pub fn spl(sr: f64, d0_m: f64, tl_m: f64) -> f64 {
    if d0_m == 0.0 && tl_m == 0.0 {
        sr
    } else {
        sr * d0_m / tl_m.max(d0_m)
    }
}

/// Normalized dynamic time warping (Ilharco et al. 2019) between a prediction of `n_pred` points
/// and a reference of `n_ref` points, given their pairwise distance:
/// `exp(−DTW / (n_ref · threshold))`.
pub fn ndtw_by(
    n_pred: usize,
    n_ref: usize,
    dist: impl Fn(usize, usize) -> f64,
    threshold_m: f64,
) -> f64 {
    let cols = n_ref + 1;
    let mut row_prev = vec![f64::INFINITY; cols];
    let mut row = vec![f64::INFINITY; cols];
    row_prev[0] = 0.0;
    for i in 0..n_pred {
        row[0] = f64::INFINITY;
        for j in 0..n_ref {
            let best = row_prev[j + 1].min(row[j]).min(row_prev[j]);
            row[j + 1] = dist(i, j) + best;
        }
        std::mem::swap(&mut row, &mut row_prev);
    }
    (-row_prev[cols - 1] / (n_ref as f64 * threshold_m)).exp()
}

/// Coverage weighted by length score (Jain et al. 2019), given the pairwise distance between
/// prediction point `i` and reference point `j` and the two path lengths. The length score is
/// 1 when both lengths are zero.
pub fn cls_by(
    n_pred: usize,
    n_ref: usize,
    dist: impl Fn(usize, usize) -> f64,
    pred_length_m: f64,
    ref_length_m: f64,
    threshold_m: f64,
) -> f64 {
    let coverage = (0..n_ref)
        .map(|j| {
            let nearest = (0..n_pred)
                .map(|i| dist(i, j))
                .fold(f64::INFINITY, f64::min);
            (-nearest / threshold_m).exp()
        })
        .sum::<f64>()
        / n_ref as f64;
    let expected = coverage * ref_length_m;
    let denominator = expected + (expected - pred_length_m).abs();
    let length_score = if denominator == 0.0 {
        1.0
    } else {
        expected / denominator
    };
    coverage * length_score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_metrics_follow_the_definitions() {
        let m = NavMetrics {
            tl: 2.0,
            steps: 3,
            ..Default::default()
        };
        let named = m.to_metrics();
        let names: Vec<&str> = named.iter().map(|(n, _)| n).collect();
        let defs: Vec<&str> = NAV_METRICS.iter().map(|d| d.name).collect();
        assert_eq!(names, defs);
        assert_eq!(
            serde_json::to_string(&named).unwrap(),
            serde_json::to_string(&m).unwrap(),
            "the same JSON as the struct"
        );
    }

    #[test]
    fn spl_by_hand() {
        assert_eq!(spl(1.0, 5.0, 10.0), 0.5);
        assert_eq!(
            spl(1.0, 5.0, 4.0),
            1.0,
            "shorter than d0 (stopped inside the radius)"
        );
        assert_eq!(spl(0.0, 5.0, 5.0), 0.0);
        assert_eq!(spl(1.0, 0.0, 0.0), 1.0, "0 / 0 is sr");
    }
}
