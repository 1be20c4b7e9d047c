//! The floor plan's grid of standing cells and shortest action sequences on it.

use glam::DVec3;
use std::collections::{HashMap, HashSet, VecDeque};
use waymark_core::Action;

/// An agent pose on the grid: a cell and a facing (0, 90, 180, 270 degrees clockwise from
/// `+z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GridPose {
    /// `(x / step, z / step)`.
    pub cell: (i32, i32),
    /// Degrees.
    pub rotation_deg: i32,
}

/// The cells the agent can stand on.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    cells: HashSet<(i32, i32)>,
    step_m: f64,
}

impl Grid {
    /// A grid of `cells` with `step_m` metres between neighbours.
    pub fn new(cells: impl IntoIterator<Item = (i32, i32)>, step_m: f64) -> Self {
        Self {
            cells: cells.into_iter().collect(),
            step_m,
        }
    }

    /// The grid of a household task's privileged context (`reachable_cells`, `grid_m`).
    pub fn from_privileged(privileged: &serde_json::Value) -> Result<Self, String> {
        let cells = privileged["reachable_cells"]
            .as_array()
            .ok_or("no reachable_cells in the privileged context")?
            .iter()
            .filter_map(|c| Some((c.get(0)?.as_i64()? as i32, c.get(1)?.as_i64()? as i32)));
        let step_m = privileged["grid_m"].as_f64().unwrap_or(0.25);
        Ok(Self::new(cells, step_m))
    }

    /// The metres between neighbouring cells.
    pub fn step_m(&self) -> f64 {
        self.step_m
    }

    /// The pose of an agent at `position_m` facing `rotation_deg`.
    pub fn pose_of(&self, position_m: DVec3, rotation_deg: f64) -> GridPose {
        GridPose {
            cell: (
                (position_m.x / self.step_m).round() as i32,
                (position_m.z / self.step_m).round() as i32,
            ),
            rotation_deg: (rotation_deg.round() as i32).rem_euclid(360),
        }
    }

    /// The shortest sequence of `MoveForward`, `TurnLeft` and `TurnRight` from `from` to a
    /// pose where `goal` holds (breadth first; ties in that action order), or `None`.
    pub fn path(&self, from: GridPose, goal: impl Fn(GridPose) -> bool) -> Option<Vec<Action>> {
        let mut came: HashMap<GridPose, (GridPose, Action)> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        let mut seen = HashSet::from([from]);
        while let Some(pose) = queue.pop_front() {
            if goal(pose) {
                let mut actions = Vec::new();
                let mut at = pose;
                while let Some((before, action)) = came.get(&at) {
                    actions.push(action.clone());
                    at = *before;
                }
                actions.reverse();
                return Some(actions);
            }
            for (action, next) in self.successors(pose) {
                if seen.insert(next) {
                    came.insert(next, (pose, action));
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// The shortest action sequence from `from` to the reachable pose of lowest `cost`
    /// (ties to the nearer pose, breadth first), or `None` when `cost` is NaN everywhere.
    pub fn path_to_best(
        &self,
        from: GridPose,
        cost: impl Fn(GridPose) -> f64,
    ) -> Option<Vec<Action>> {
        let mut came: HashMap<GridPose, (GridPose, Action)> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        let mut seen = HashSet::from([from]);
        let mut best: Option<(f64, GridPose)> = None;
        while let Some(pose) = queue.pop_front() {
            let c = cost(pose);
            if !c.is_nan() && best.is_none_or(|(b, _)| c < b) {
                best = Some((c, pose));
            }
            for (action, next) in self.successors(pose) {
                if seen.insert(next) {
                    came.insert(next, (pose, action));
                    queue.push_back(next);
                }
            }
        }
        let (_, mut at) = best?;
        let mut actions = Vec::new();
        while let Some((before, action)) = came.get(&at) {
            actions.push(action.clone());
            at = *before;
        }
        actions.reverse();
        Some(actions)
    }

    /// Where a pose stands, metres (ALFRED's x and z).
    pub fn position_m(&self, pose: GridPose) -> glam::DVec2 {
        glam::DVec2::new(f64::from(pose.cell.0), f64::from(pose.cell.1)) * self.step_m
    }

    fn successors(&self, pose: GridPose) -> Vec<(Action, GridPose)> {
        let (dx, dz) = match pose.rotation_deg {
            0 => (0, 1),
            90 => (1, 0),
            180 => (0, -1),
            _ => (-1, 0),
        };
        let ahead = (pose.cell.0 + dx, pose.cell.1 + dz);
        let turned = |by: i32| GridPose {
            cell: pose.cell,
            rotation_deg: (pose.rotation_deg + by).rem_euclid(360),
        };
        let mut next = Vec::with_capacity(3);
        if self.cells.contains(&ahead) {
            next.push((
                Action::MoveForward,
                GridPose {
                    cell: ahead,
                    rotation_deg: pose.rotation_deg,
                },
            ));
        }
        next.push((Action::TurnLeft, turned(-90)));
        next.push((Action::TurnRight, turned(90)));
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_pose_is_reached_by_a_shortest_path() {
        let grid = Grid::new([(0, 0), (0, 1), (0, 2), (1, 2)], 0.25);
        let start = GridPose {
            cell: (0, 0),
            rotation_deg: 0,
        };
        // Lowest cost: cell (1, 2) facing +x.
        let cost = |p: GridPose| {
            let d = f64::from((p.cell.0 - 1).abs() + (p.cell.1 - 2).abs());
            d + if p.rotation_deg == 90 { 0.0 } else { 0.5 }
        };
        let path = grid.path_to_best(start, cost).unwrap();
        assert_eq!(
            path,
            [
                Action::MoveForward,
                Action::MoveForward,
                Action::TurnRight,
                Action::MoveForward
            ]
        );
        assert_eq!(grid.path_to_best(start, |_| f64::NAN), None);
        assert_eq!(
            grid.position_m(GridPose {
                cell: (4, -2),
                rotation_deg: 0
            }),
            glam::DVec2::new(1.0, -0.5)
        );
    }

    #[test]
    fn paths_are_shortest_and_respect_the_cells() {
        // An L-shaped corridor: (0,0) → (0,2) → (2,2).
        let grid = Grid::new([(0, 0), (0, 1), (0, 2), (1, 2), (2, 2)], 0.25);
        let start = GridPose {
            cell: (0, 0),
            rotation_deg: 0,
        };
        let path = grid
            .path(start, |p| p.cell == (2, 2) && p.rotation_deg == 90)
            .unwrap();
        assert_eq!(
            path,
            vec![
                Action::MoveForward,
                Action::MoveForward,
                Action::TurnRight,
                Action::MoveForward,
                Action::MoveForward
            ]
        );
        assert!(grid.path(start, |p| p.cell == (5, 5)).is_none());
        assert_eq!(grid.path(start, |p| p == start), Some(vec![]));
    }
}
