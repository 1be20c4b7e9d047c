//! Geodesic distances and paths to a goal on a walkable area.
//!
//! A Theta*-style Dijkstra from the goal over the grid's cells: each cell's parent is the
//! farthest point towards the goal it can see along a walkable straight line, so distances are
//! any-angle (smoothed) path lengths, not staircase grid lengths. In an open room they equal
//! the straight-line distance; they are never shorter.

use crate::error::NavError;
use crate::walkable::WalkableGrid;
use glam::{Vec2, Vec3};
use std::collections::BinaryHeap;
use waymark_core::dijkstra::Cheapest;

/// Parent marker: the goal point itself.
/// The eight neighbours of a grid cell, as (dx, dy): the four sides, then the diagonals.
pub(crate) const NEIGHBOURS: [(i64, i64); 8] = [
    (-1, 0),
    (1, 0),
    (0, -1),
    (0, 1),
    (-1, -1),
    (1, -1),
    (-1, 1),
    (1, 1),
];

const GOAL: u32 = u32::MAX - 1;
/// Parent marker: not reached.
const NONE: u32 = u32::MAX;

/// Distances from every cell of the goal's island to the goal.
#[derive(Clone, Debug)]
pub struct GeodesicField {
    goal: Vec3,
    island: u32,
    /// Distance to the goal per cell (infinite where unreachable).
    dist_m: Vec<f32>,
    /// The cell each cell heads for, [`GOAL`] or [`NONE`].
    parent: Vec<u32>,
}

impl GeodesicField {
    /// Computes the field towards `goal`, snapped to the walkable area within `snap_m`.
    pub fn new(grid: &WalkableGrid, goal: Vec3, snap_m: f32) -> Result<Self, NavError> {
        let (goal_cell, _) = grid.snap(goal, snap_m, None).ok_or(NavError::OffWalkable {
            what: "goal".into(),
            point: goal,
            max_m: snap_m,
        })?;
        let (nx, ny) = grid.dims();
        let n = nx * ny;
        let goal_xy = goal.truncate();
        let mut field = Self {
            goal: goal.truncate().extend(grid.centre(goal_cell).z),
            island: grid.island(goal_cell),
            dist_m: vec![f32::INFINITY; n],
            parent: vec![NONE; n],
        };
        let mut done = vec![false; n];
        field.dist_m[goal_cell] = grid.centre(goal_cell).truncate().distance(goal_xy);
        field.parent[goal_cell] = GOAL;
        let mut heap = BinaryHeap::from([Cheapest(f64::from(field.dist_m[goal_cell]), goal_cell)]);
        let diagonal = std::f32::consts::SQRT_2;
        while let Some(Cheapest(d, c)) = heap.pop() {
            // Pushed from f32 distances: the conversion back is exact.
            let d = d as f32;
            if std::mem::replace(&mut done[c], true) {
                continue;
            }
            let (x, y) = ((c % nx) as i64, (c / nx) as i64);
            for (dx, dy) in NEIGHBOURS {
                let (qx, qy) = (x + dx, y + dy);
                if qx < 0 || qy < 0 || qx >= nx as i64 || qy >= ny as i64 {
                    continue;
                }
                let q = qy as usize * nx + qx as usize;
                if done[q] || grid.island(q) != field.island {
                    continue;
                }
                let cq = grid.centre(q).truncate();
                if (grid.centre(q).z - grid.centre(c).z).abs() > grid.config().max_step_m {
                    continue;
                }
                // Try the parent's line of sight first (any-angle), else step from c.
                let p = field.parent[c];
                let (p_pos, p_dist) = field.anchor(grid, p);
                let (cand, parent) = if grid.segment_walkable(cq, p_pos) {
                    (p_dist + cq.distance(p_pos), p)
                } else {
                    let step = if dx != 0 && dy != 0 { diagonal } else { 1.0 };
                    (d + step * grid.config().cell_m, c as u32)
                };
                if cand < field.dist_m[q] {
                    field.dist_m[q] = cand;
                    field.parent[q] = parent;
                    heap.push(Cheapest(f64::from(cand), q));
                }
            }
        }
        Ok(field)
    }

    /// Position and distance of a parent marker: the goal point, or a cell centre.
    fn anchor(&self, grid: &WalkableGrid, p: u32) -> (Vec2, f32) {
        if p == GOAL {
            (self.goal.truncate(), 0.0)
        } else {
            (grid.centre(p as usize).truncate(), self.dist_m[p as usize])
        }
    }

    /// The distance from cell `c`'s centre to the goal, `None` when it is not reached.
    pub fn cell_distance(&self, c: usize) -> Option<f32> {
        self.dist_m.get(c).copied().filter(|d| d.is_finite())
    }

    /// The goal's island.
    pub fn island(&self) -> u32 {
        self.island
    }

    /// The goal (on the floor).
    pub fn goal(&self) -> Vec3 {
        self.goal
    }

    /// The first point towards the goal that `p` can walk to straight, with its distance to
    /// the goal; `None` when `p` is off the goal's island.
    fn first_anchor(&self, grid: &WalkableGrid, p: Vec3) -> Option<(Vec2, f32, u32)> {
        let xy = p.truncate();
        if grid.segment_walkable(xy, self.goal.truncate()) {
            return Some((self.goal.truncate(), 0.0, GOAL));
        }
        let c = grid.cell_at(xy)?;
        if grid.island(c) != self.island {
            return None;
        }
        // The cell's own anchor, or its parent's if visible from `p` itself.
        let mut best: Option<(Vec2, f32, u32)> = None;
        for candidate in [c as u32, self.parent[c]] {
            if candidate == NONE {
                continue;
            }
            let (pos, dist) = self.anchor(grid, candidate);
            if !dist.is_finite() || !grid.segment_walkable(xy, pos) {
                continue;
            }
            if best.is_none_or(|(bp, bd, _)| dist + xy.distance(pos) < bd + xy.distance(bp)) {
                best = Some((pos, dist, candidate));
            }
        }
        best
    }

    /// Geodesic distance from `p` to the goal (never less than the straight-line distance);
    /// `None` when `p` is not on the goal's island.
    pub fn distance(&self, grid: &WalkableGrid, p: Vec3) -> Option<f32> {
        let (pos, dist, _) = self.first_anchor(grid, p)?;
        let straight = p.truncate().distance(self.goal.truncate());
        Some((dist + p.truncate().distance(pos)).max(straight))
    }

    /// Like [`Self::distance`], but a point just off the goal's island (an agent pressed
    /// against a wall) is first moved to the nearest cell of the island within `snap_m`.
    pub fn distance_snapped(&self, grid: &WalkableGrid, p: Vec3, snap_m: f32) -> Option<f32> {
        self.distance(grid, p).or_else(|| {
            let (_, q) = grid.snap(p, snap_m, Some(self.island))?;
            Some(self.distance(grid, q)? + p.truncate().distance(q.truncate()))
        })
    }

    /// Like [`Self::path`], from the nearest cell of the goal's island within `snap_m` when
    /// `p` itself is just off it.
    pub fn path_snapped(&self, grid: &WalkableGrid, p: Vec3, snap_m: f32) -> Option<Vec<Vec3>> {
        self.path(grid, p).or_else(|| {
            let (_, q) = grid.snap(p, snap_m, Some(self.island))?;
            let mut path = self.path(grid, q)?;
            path.insert(0, p);
            path.dedup_by(|a, b| a.distance(*b) < 1e-4);
            Some(path)
        })
    }

    /// The smoothed shortest path from `p` to the goal (floor points, `p` first).
    pub fn path(&self, grid: &WalkableGrid, p: Vec3) -> Option<Vec<Vec3>> {
        let (_, _, mut next) = self.first_anchor(grid, p)?;
        let mut path = vec![p];
        let mut guard = 0;
        while next != GOAL {
            path.push(grid.centre(next as usize));
            next = self.parent[next as usize];
            guard += 1;
            if next == NONE || guard > self.parent.len() {
                return None;
            }
        }
        path.push(self.goal);
        path.dedup_by(|a, b| a.distance(*b) < 1e-4);
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walkable::WalkableConfig;
    use crate::walkable::tests::two_rooms;

    #[test]
    fn open_room_distances_are_straight_lines() {
        let grid = WalkableGrid::build(&two_rooms(), &WalkableConfig::default()).unwrap();
        let field = GeodesicField::new(&grid, Vec3::new(0.6, 3.3, 0.0), 0.5).unwrap();
        let p = Vec3::new(2.3, 1.4, 0.0);
        let d = field.distance(&grid, p).unwrap();
        assert!(
            (d - p.truncate().distance(Vec2::new(0.6, 3.3))).abs() < 1e-4,
            "{d}"
        );
    }

    #[test]
    fn around_the_wall_is_longer_than_straight() {
        let grid = WalkableGrid::build(&two_rooms(), &WalkableConfig::default()).unwrap();
        let goal = Vec3::new(4.5, 3.0, 0.0);
        let field = GeodesicField::new(&grid, goal, 0.5).unwrap();
        let start = Vec3::new(1.5, 3.0, 0.0);
        let d = field.distance(&grid, start).unwrap();
        // Via the doorway corner (about (3.0, 0.82)): two legs of about 2.7 m each.
        assert!(d > 3.0 + 1.0 && d < 6.5, "{d}");
        let path = field.path(&grid, start).unwrap();
        assert_eq!(path[0], start);
        assert!((path.last().unwrap().truncate() - goal.truncate()).length() < 1e-5);
        let length: f32 = path
            .windows(2)
            .map(|w| w[0].truncate().distance(w[1].truncate()))
            .sum();
        assert!((length - d).abs() < 0.05, "path {length} vs distance {d}");
        for w in path.windows(2) {
            assert!(
                grid.segment_walkable(w[0].truncate(), w[1].truncate()),
                "every leg is walkable"
            );
        }
        // Off the area: no distance.
        assert!(field.distance(&grid, Vec3::new(3.0, 3.0, 0.0)).is_none());
    }
}
