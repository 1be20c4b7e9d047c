//! Metric records for navigation episodes.
//!
//! Keys are lower case and values are fractions (never percentages), the same names in every
//! output: `episodes.jsonl`, `summary.json` and `waymark score --format json`.

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

/// Means of [`NavMetrics`] over a set of episodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NavMetricsMean {
    /// How many episodes were averaged.
    pub episodes: usize,
    /// Mean trajectory length in metres.
    pub tl: f64,
    /// Mean navigation error in metres.
    pub ne: f64,
    /// Success rate.
    pub sr: f64,
    /// Oracle success rate.
    pub osr: f64,
    /// Mean SPL.
    pub spl: f64,
    /// Mean nDTW.
    pub ndtw: f64,
    /// Mean SDTW.
    pub sdtw: f64,
    /// Mean CLS.
    pub cls: f64,
    /// Mean number of steps.
    pub steps: f64,
    /// Mean number of collisions.
    #[serde(default)]
    pub collisions: f64,
}

impl NavMetricsMean {
    /// Averages the metrics in iteration order (so the result is deterministic).
    /// An empty input gives zero episodes and zero means.
    pub fn of<'a>(metrics: impl IntoIterator<Item = &'a NavMetrics>) -> Self {
        let mut sum = Self::default();
        for m in metrics {
            sum.episodes += 1;
            sum.tl += m.tl;
            sum.ne += m.ne;
            sum.sr += m.sr;
            sum.osr += m.osr;
            sum.spl += m.spl;
            sum.ndtw += m.ndtw;
            sum.sdtw += m.sdtw;
            sum.cls += m.cls;
            sum.steps += f64::from(m.steps);
            sum.collisions += f64::from(m.collisions);
        }
        if sum.episodes == 0 {
            return sum;
        }
        let n = sum.episodes as f64;
        Self {
            episodes: sum.episodes,
            tl: sum.tl / n,
            ne: sum.ne / n,
            sr: sum.sr / n,
            osr: sum.osr / n,
            spl: sum.spl / n,
            ndtw: sum.ndtw / n,
            sdtw: sum.sdtw / n,
            cls: sum.cls / n,
            steps: sum.steps / n,
            collisions: sum.collisions / n,
        }
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
    fn mean_of_two() {
        let a = NavMetrics {
            tl: 2.0,
            sr: 1.0,
            steps: 3,
            ..Default::default()
        };
        let b = NavMetrics {
            tl: 4.0,
            sr: 0.0,
            steps: 4,
            ..Default::default()
        };
        let m = NavMetricsMean::of([&a, &b]);
        assert_eq!(m.episodes, 2);
        assert_eq!(m.tl, 3.0);
        assert_eq!(m.sr, 0.5);
        assert_eq!(m.steps, 3.5);
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

    #[test]
    fn mean_of_none_is_zero() {
        assert_eq!(NavMetricsMean::of([]), NavMetricsMean::default());
    }
}
