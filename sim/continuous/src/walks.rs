//! What the walkable floor adds to the sensors' readings in continuous scenes: how far the
//! agent could walk straight on at each of the eight absolute headings, and the shortest walk
//! to each object and region it sees.

use crate::geodesic::NEIGHBOURS;
use crate::walkable::WalkableGrid;
use glam::{Vec2, Vec3};
use std::collections::BinaryHeap;
use waymark_core::dijkstra::Cheapest;
use waymark_core::sensors::Walk;
use waymark_core::{SensorReadings, SensorRequest};

/// How far from where a thing was seen its walk may end (objects stand on blocked cells:
/// the walk goes to the nearest walkable point), metres.
pub const WALK_SNAP_M: f32 = 1.0;

/// The unit direction of an absolute heading (clockwise from `+y`), degrees.
fn direction(heading_deg: f32) -> Vec2 {
    let h = heading_deg.to_radians();
    Vec2::new(h.sin(), h.cos())
}

/// The absolute heading (clockwise from `+y`) from `a` to `b`, degrees in `[0, 360)`.
fn heading_of(a: Vec2, b: Vec2) -> f32 {
    let d = b - a;
    d.x.atan2(d.y).to_degrees().rem_euclid(360.0)
}

/// How far the agent at `from_m` could walk straight on at each absolute heading `45° · k`
/// (k = 0…7), up to `max_m`: samples every half cell stay on walkable cells of the agent's
/// island, changing floor height by no more than a step between samples. All zero off the
/// walkable floor.
pub fn free_distances_m(grid: &WalkableGrid, from_m: Vec3, max_m: f32) -> Vec<f32> {
    let start = from_m.truncate();
    let Some(c0) = grid.cell_at(start).filter(|&c| grid.is_walkable(c)) else {
        return vec![0.0; 8];
    };
    let step_m = grid.config().cell_m * 0.5;
    // Whole steps, counted, so that the cap itself is reached without rounding short of it.
    let steps = (max_m / step_m + 1e-3).floor() as u32;
    (0..8u8)
        .map(|k| {
            let dir = direction(f32::from(k) * 45.0);
            let mut z = grid.centre(c0).z;
            let clear = (1..=steps)
                .take_while(|&i| {
                    let Some(c) = grid.cell_at(start + dir * (i as f32 * step_m)) else {
                        return false;
                    };
                    let cz = grid.centre(c).z;
                    let ok = grid.is_walkable(c)
                        && grid.island(c) == grid.island(c0)
                        && (cz - z).abs() <= grid.config().max_step_m;
                    z = cz;
                    ok
                })
                .count() as u32;
            if clear == steps {
                max_m
            } else {
                clear as f32 * step_m
            }
        })
        .collect()
}

/// The spacing of the lattice walks are searched on, metres.
pub const WALK_LATTICE_M: f32 = 0.25;
/// Walks longer than the farthest thing seen times this (plus [`WALK_SNAP_M`]) are not
/// searched for.
const WALK_REACH_FACTOR: f32 = 2.0;

/// What the walkable floor adds to sensor `readings` taken at `from_m`, as `request` asks:
/// free space per heading ([`free_distances_m`]) and the walk to each thing seen
/// ([`add_walks`]).
pub fn add_floor_readings(
    grid: &WalkableGrid,
    from_m: Vec3,
    request: &SensorRequest,
    readings: &mut SensorReadings,
) {
    if let Some(max_m) = request.free_space_m {
        readings.free_m = free_distances_m(grid, from_m, max_m);
    }
    if request.walks {
        add_walks(grid, from_m, readings);
    }
}

/// Adds to every seen object and region the shortest walk from `from_m` to where it was seen
/// (its heading and distance from the agent): a Dijkstra search on a lattice of
/// [`WALK_LATTICE_M`] centred on the agent, eight neighbours per node, a node counting when its
/// cell is walkable on the agent's island and an edge when its midpoint is too; the walk ends
/// at the reached node nearest the seen point within [`WALK_SNAP_M`] (objects stand on blocked
/// cells). Its length is the lattice path's (up to 8 % over the taut path); its first stretch
/// runs to the farthest node of the path the agent can walk to in a straight line. Things
/// with no such node get none. Searching one small lattice per observation keeps this cheap
/// enough for every step; no crate offers a grid search bounded this way.
pub fn add_walks(grid: &WalkableGrid, from_m: Vec3, readings: &mut SensorReadings) {
    let farthest_m = readings
        .objects
        .iter()
        .flat_map(|o| o.sectors.iter().flatten().map(|o| o.distance_m))
        .chain(readings.regions.iter().flatten().map(|r| r.distance_m))
        .fold(0.0f32, f32::max);
    if farthest_m == 0.0 {
        return;
    }
    let Some(lattice) = Lattice::search(
        grid,
        from_m.truncate(),
        farthest_m * WALK_REACH_FACTOR + WALK_SNAP_M,
    ) else {
        return;
    };
    for within in &mut readings.objects {
        for o in within.sectors.iter_mut().flatten() {
            o.walk = lattice.walk_to(grid, o.heading_deg, o.distance_m);
        }
    }
    for r in readings.regions.iter_mut().flatten() {
        r.walk = lattice.walk_to(grid, r.heading_deg, r.distance_m);
    }
}

/// A Dijkstra search from the agent over a square lattice around it.
struct Lattice {
    origin: Vec2,
    /// Nodes from the centre to each side.
    half: i64,
    dist_m: Vec<f32>,
    parent: Vec<u32>,
}

const UNREACHED: u32 = u32::MAX;

impl Lattice {
    fn side(&self) -> i64 {
        2 * self.half + 1
    }

    fn point(&self, node: usize) -> Vec2 {
        let side = self.side();
        let (i, j) = (
            node as i64 % side - self.half,
            node as i64 / side - self.half,
        );
        self.origin + Vec2::new(i as f32, j as f32) * WALK_LATTICE_M
    }

    fn node(&self, i: i64, j: i64) -> Option<usize> {
        let (x, y) = (i + self.half, j + self.half);
        (x >= 0 && y >= 0 && x < self.side() && y < self.side())
            .then(|| (y * self.side() + x) as usize)
    }

    /// Searches up to `reach_m` from `origin`; `None` off the walkable floor.
    fn search(grid: &WalkableGrid, origin: Vec2, reach_m: f32) -> Option<Self> {
        let c0 = grid.cell_at(origin).filter(|&c| grid.is_walkable(c))?;
        let island = grid.island(c0);
        let on_floor = |p: Vec2| {
            grid.cell_at(p)
                .is_some_and(|c| grid.is_walkable(c) && grid.island(c) == island)
        };
        let half = (reach_m / WALK_LATTICE_M).ceil() as i64;
        let side = (2 * half + 1) as usize;
        let mut lattice = Self {
            origin,
            half,
            dist_m: vec![f32::INFINITY; side * side],
            parent: vec![UNREACHED; side * side],
        };
        let start = lattice.node(0, 0)?;
        lattice.dist_m[start] = 0.0;
        lattice.parent[start] = start as u32;
        let mut heap = BinaryHeap::from([Cheapest(0.0, start)]);
        while let Some(Cheapest(d, n)) = heap.pop() {
            let d = d as f32;
            if d > lattice.dist_m[n] || d > reach_m {
                continue;
            }
            let p = lattice.point(n);
            let (i, j) = (n as i64 % side as i64 - half, n as i64 / side as i64 - half);
            for (di, dj) in NEIGHBOURS {
                let Some(q) = lattice.node(i + di, j + dj) else {
                    continue;
                };
                let step_m = if di != 0 && dj != 0 {
                    WALK_LATTICE_M * std::f32::consts::SQRT_2
                } else {
                    WALK_LATTICE_M
                };
                let candidate = d + step_m;
                if candidate >= lattice.dist_m[q] {
                    continue;
                }
                let pq = lattice.point(q);
                if !on_floor(pq) || !on_floor((p + pq) * 0.5) {
                    continue;
                }
                lattice.dist_m[q] = candidate;
                lattice.parent[q] = n as u32;
                heap.push(Cheapest(f64::from(candidate), q));
            }
        }
        Some(lattice)
    }

    /// The walk to the thing seen at `heading_deg`, `distance_m` away.
    fn walk_to(&self, grid: &WalkableGrid, heading_deg: f32, distance_m: f32) -> Option<Walk> {
        let seen = self.origin + direction(heading_deg) * distance_m;
        let r = (WALK_SNAP_M / WALK_LATTICE_M).ceil() as i64;
        let centre = ((seen - self.origin) / WALK_LATTICE_M).round();
        let (ci, cj) = (centre.x as i64, centre.y as i64);
        let end = (cj - r..=cj + r)
            .flat_map(|j| (ci - r..=ci + r).map(move |i| (i, j)))
            .filter_map(|(i, j)| self.node(i, j))
            .filter(|&n| self.dist_m[n].is_finite())
            .map(|n| (self.point(n).distance(seen), n))
            .filter(|(gap, _)| *gap <= WALK_SNAP_M)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?
            .1;
        // The path back from the end, then the farthest node walkable straight from the agent.
        let mut path = vec![end];
        while let Some(&n) = path.last() {
            let parent = self.parent[n] as usize;
            if parent == n {
                break;
            }
            path.push(parent);
        }
        let straight = path
            .iter()
            .rev()
            .skip(1)
            .take_while(|&&n| grid.segment_walkable(self.origin, self.point(n)))
            .last()
            .map(|&n| self.point(n))
            .filter(|p| p.distance(self.origin) >= 1e-4);
        let (first_heading_deg, straight_m) = match straight {
            Some(p) => (heading_of(self.origin, p), p.distance(self.origin)),
            None => (heading_deg.rem_euclid(360.0), 0.0),
        };
        Some(Walk {
            geodesic_m: self.dist_m[end],
            first_heading_deg,
            straight_m,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::walkable::WalkableConfig;
    use crate::walkable::tests::two_rooms;
    use waymark_core::sensors::{ObjectsWithin, SeenObject, SeenRegion};

    fn grid() -> WalkableGrid {
        WalkableGrid::build(&two_rooms(), &WalkableConfig::default()).unwrap()
    }

    #[test]
    fn free_space_stops_at_walls_less_the_agent_radius() {
        // Two rooms 6 × 4 m; the wall at x = 3 runs from y = 1 to 4 (the doorway below it).
        let free = free_distances_m(&grid(), Vec3::new(1.5, 2.0, 0.0), 10.0);
        assert_eq!(free.len(), 8);
        let radius = WalkableConfig::default().agent_radius_m;
        // North (0°): the wall at y = 4 → about 2 m less the radius.
        assert!((free[0] - (2.0 - radius)).abs() < 0.1, "{free:?}");
        // East (90°): the inner wall at x = 2.95.
        assert!((free[2] - (1.45 - radius)).abs() < 0.1, "{free:?}");
        // Capped at the requested distance.
        let capped = free_distances_m(&grid(), Vec3::new(1.5, 2.0, 0.0), 0.5);
        assert!(capped.iter().all(|&d| d == 0.5), "{capped:?}");
        assert_eq!(
            free_distances_m(&grid(), Vec3::new(-5.0, 0.0, 0.0), 3.0),
            vec![0.0; 8]
        );
    }

    #[test]
    fn walks_go_round_the_wall_through_the_doorway() {
        let grid = grid();
        let from = Vec3::new(1.5, 3.0, 0.0);
        // Something seen due east, 3 m away, behind the wall: in the other room.
        let seen = |heading_deg: f32, distance_m: f32| SeenObject {
            instance: 7,
            label: "chair".into(),
            heading_deg,
            distance_m,
            walk: None,
        };
        let mut readings = SensorReadings {
            objects: vec![ObjectsWithin {
                radius_m: 10.0,
                sectors: vec![vec![seen(0.0, 0.5)], vec![], vec![seen(90.0, 3.0)]],
            }],
            regions: vec![vec![SeenRegion {
                name: "hall".into(),
                heading_deg: 90.0,
                distance_m: 3.0,
                walk: None,
            }]],
            ..SensorReadings::default()
        };
        add_walks(&grid, from, &mut readings);
        let near = readings.objects[0].sectors[0][0].walk.unwrap();
        assert!(
            (near.geodesic_m - 0.5).abs() < 0.06
                && (near.first_heading_deg.min(360.0 - near.first_heading_deg)) < 5.0,
            "{near:?}"
        );
        let far = readings.objects[0].sectors[2][0].walk.unwrap();
        assert!(
            far.geodesic_m > 3.5,
            "round the wall, not through it: {far:?}"
        );
        // The first stretch heads south-east, towards the doorway (y < 1), walkable straight.
        assert!((100.0..180.0).contains(&far.first_heading_deg), "{far:?}");
        let h = far.first_heading_deg.to_radians();
        let end = from.truncate() + Vec2::new(h.sin(), h.cos()) * far.straight_m;
        assert!(
            far.straight_m > 1.0 && grid.segment_walkable(from.truncate(), end),
            "{far:?}"
        );
        assert_eq!(readings.regions[0][0].walk, Some(far));
    }
}
