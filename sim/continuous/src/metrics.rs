//! VLN-CE metrics over a continuous trajectory: geodesic navigation error, success (STOP within
//! the threshold), oracle success, SPL, path length, steps, nDTW and SDTW over positions (exact
//! DTW; VLN-CE approximates it with fastdtw), CLS and collisions.

use crate::geodesic::GeodesicField;
use crate::walkable::WalkableGrid;
use glam::Vec3;
use waymark_core::NavMetrics;
use waymark_core::metrics::{cls_by, ndtw_by, spl};

/// What a finished episode looked like.
#[derive(Clone, Debug, PartialEq)]
pub struct ContinuousOutcome<'a> {
    /// Positions after each step, the start first.
    pub positions: &'a [Vec3],
    /// The reference path.
    pub reference: &'a [Vec3],
    /// Whether the agent called STOP (an episode cut by the step limit never succeeds).
    pub stopped: bool,
    /// Actions taken.
    pub steps: u32,
    /// Collisions.
    pub collisions: u32,
}

/// Folded from +0.0: `Sum` for floats starts at -0.0, which a path that never moves would keep.
fn path_length(points: &[Vec3]) -> f64 {
    points
        .windows(2)
        .map(|w| f64::from(w[0].distance(w[1])))
        .fold(0.0, |total, d| total + d)
}

/// Scores an episode. Distances to the goal are geodesic (a position pressed just off the
/// walkable area is measured from the nearest walkable point within `snap_m`, plus the gap);
/// nDTW and CLS use straight-line distances between positions, as VLN-CE does.
pub fn score_continuous(
    grid: &WalkableGrid,
    field: &GeodesicField,
    snap_m: f32,
    outcome: &ContinuousOutcome<'_>,
    threshold_m: f64,
) -> NavMetrics {
    let to_goal = |p: Vec3| {
        field
            .distance_snapped(grid, p, snap_m)
            .map_or_else(|| f64::from(p.distance(field.goal())), f64::from)
    };
    let positions = outcome.positions;
    let (first, last) = (positions[0], positions[positions.len() - 1]);
    let ne = to_goal(last);
    let d0 = to_goal(first);
    let sr = f64::from(u8::from(outcome.stopped && ne < threshold_m));
    let osr = f64::from(u8::from(
        positions.iter().any(|&p| to_goal(p) < threshold_m),
    ));
    let tl = path_length(positions);
    let spl = spl(sr, d0, tl);
    let mut moved = positions.to_vec();
    moved.dedup();
    let reference = outcome.reference;
    let dist = |i: usize, j: usize| f64::from(moved[i].distance(reference[j]));
    let ndtw = ndtw_by(moved.len(), reference.len(), dist, threshold_m);
    NavMetrics {
        tl,
        ne,
        sr,
        osr,
        spl,
        ndtw,
        sdtw: sr * ndtw,
        cls: cls_by(
            moved.len(),
            reference.len(),
            dist,
            tl,
            path_length(reference),
            threshold_m,
        ),
        steps: outcome.steps,
        collisions: outcome.collisions,
    }
}
