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
        }
    }
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
    fn mean_of_none_is_zero() {
        assert_eq!(NavMetricsMean::of([]), NavMetricsMean::default());
    }
}
