//! The walkable area of a mesh scene: a fine height grid of where an agent of a given radius,
//! height, step and slope can stand, with its connected islands.
//!
//! Each cell keeps the heights of walkable (flat enough) surfaces whose triangles cover its
//! centre and the vertical spans of all geometry overlapping it. A surface is standable when
//! nothing lies between a step above it and the agent's height; the cell's floor is its
//! standable surface closest to the scene's main floor level; small holes of a scan are filled
//! from the floor around them; the floor is walkable where every cell within the agent's radius
//! has a floor within a step of it. One floor per cell: multi-storey scenes keep the level most
//! of their floor is on.

use crate::error::NavError;
use glam::{Vec2, Vec3};
use waymark_scenes::scene::Scene;

/// The agent and the grid resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct WalkableConfig {
    /// Agent radius in metres (VLN-CE style default 0.18).
    pub agent_radius_m: f32,
    /// Agent height in metres.
    pub agent_height_m: f32,
    /// Highest step the agent climbs, in metres.
    pub max_step_m: f32,
    /// Steepest walkable slope, in degrees.
    pub max_slope_deg: f32,
    /// Grid cell size, in metres.
    pub cell_m: f32,
}

impl Default for WalkableConfig {
    fn default() -> Self {
        Self {
            agent_radius_m: 0.18,
            agent_height_m: 1.5,
            max_step_m: 0.2,
            max_slope_deg: 35.0,
            cell_m: 0.05,
        }
    }
}

/// No island (the cell is not walkable).
pub const NO_ISLAND: u32 = u32::MAX;
/// The most cells a grid may have (a 250 m × 250 m floor at 5 cm).
const MAX_CELLS: usize = 25_000_000;

/// The walkable area of one scene.
#[derive(Clone, Debug)]
pub struct WalkableGrid {
    config: WalkableConfig,
    origin: Vec2,
    nx: usize,
    ny: usize,
    /// Floor height per cell (NaN: nowhere to stand).
    floor_z: Vec<f32>,
    /// Whether geometry stands in the agent's body (between a step and its height above the
    /// nearest floor) at each floorless cell: the obstacles the agent collides with.
    blocked: Vec<bool>,
    /// Island id per cell ([`NO_ISLAND`] where not walkable).
    island: Vec<u32>,
    island_cells: Vec<usize>,
}

impl WalkableGrid {
    /// Builds the walkable area of `scene` (which must be a triangle mesh).
    pub fn build(scene: &Scene, config: &WalkableConfig) -> Result<Self, NavError> {
        let mesh = &scene.mesh;
        let fail = |message: String| NavError::Scene {
            scene: scene.name.clone(),
            message,
        };
        if mesh.triangles.is_empty() {
            return Err(fail(
                "has no triangles: a walkable area needs a mesh, not a point cloud".into(),
            ));
        }
        if !(config.cell_m > 0.0 && config.agent_radius_m >= 0.0 && config.agent_height_m > 0.0) {
            return Err(fail(format!("invalid walkable settings {config:?}")));
        }
        let (min, max) = mesh.positions_m.iter().fold(
            (Vec2::splat(f32::MAX), Vec2::splat(f32::MIN)),
            |(lo, hi), p| (lo.min(p.truncate()), hi.max(p.truncate())),
        );
        let origin = min - Vec2::splat(config.cell_m);
        // Counted in f64 and checked before any conversion: an absurd extent (1e20 m) or a
        // non-finite vertex would otherwise saturate or wrap into a tiny grid.
        let cells = |span: f32| {
            let n = (f64::from(span) / f64::from(config.cell_m)).ceil() + 2.0;
            (n.is_finite() && n <= MAX_CELLS as f64).then_some(n as usize)
        };
        let (nx, ny) = match (cells(max.x - origin.x), cells(max.y - origin.y)) {
            (Some(nx), Some(ny)) if nx.saturating_mul(ny) <= MAX_CELLS => (nx, ny),
            _ => {
                return Err(fail(format!(
                    "its extent ({min:?} to {max:?} m) needs a grid of more than {MAX_CELLS} cells at {} m",
                    config.cell_m
                )));
            }
        };
        let mut grid = Self {
            config: config.clone(),
            origin,
            nx,
            ny,
            floor_z: vec![f32::NAN; nx * ny],
            blocked: vec![false; nx * ny],
            island: vec![NO_ISLAND; nx * ny],
            island_cells: Vec::new(),
        };
        let (surfaces, spans) = grid.rasterize(scene);
        grid.choose_floors(&surfaces, &spans);
        grid.fill_holes(&spans);
        grid.mark_blocked(&spans);
        grid.erode_and_label();
        tracing::debug!(scene = %scene.name, nx, ny, walkable_m2 = grid.area_m2(), islands = grid.island_cells.len(), "walkable area");
        Ok(grid)
    }

    /// Per cell: walkable surface heights at the centre, and vertical spans of all geometry.
    #[allow(clippy::type_complexity)]
    fn rasterize(&self, scene: &Scene) -> (Vec<Vec<f32>>, Vec<Vec<(f32, f32)>>) {
        let mesh = &scene.mesh;
        let n = self.nx * self.ny;
        let mut surfaces: Vec<Vec<f32>> = vec![Vec::new(); n];
        let mut spans: Vec<Vec<(f32, f32)>> = vec![Vec::new(); n];
        let cos_slope = self.config.max_slope_deg.to_radians().cos();
        let cell = self.config.cell_m;
        for tri in &mesh.triangles {
            let [a, b, c] = tri.map(|v| mesh.positions_m[v as usize]);
            let mut normal = (b - a).cross(c - a);
            // Trust the file's vertex normals for which side is up, when it has them.
            if let Some(normals) = &mesh.normals {
                let n_avg: Vec3 = tri.iter().map(|&v| normals[v as usize]).sum();
                if n_avg.dot(normal) < 0.0 {
                    normal = -normal;
                }
            }
            let len = normal.length();
            if !len.is_finite() || len <= 0.0 {
                continue;
            }
            let normal = normal / len;
            let walkable = normal.z >= cos_slope;
            let (zmin, zmax) = (a.z.min(b.z).min(c.z), a.z.max(b.z).max(c.z));
            let lo = (a.truncate().min(b.truncate()).min(c.truncate()) - self.origin) / cell;
            let hi = (a.truncate().max(b.truncate()).max(c.truncate()) - self.origin) / cell;
            let (x0, y0) = (
                lo.x.floor().max(0.0) as usize,
                lo.y.floor().max(0.0) as usize,
            );
            let (x1, y1) = (
                (hi.x.floor() as usize).min(self.nx - 1),
                (hi.y.floor() as usize).min(self.ny - 1),
            );
            let tri2 = [a.truncate(), b.truncate(), c.truncate()];
            // Height of the triangle's plane at (x, y), clamped to the triangle's z range.
            let plane_z = |p: Vec2| {
                if normal.z.abs() < 1e-6 {
                    None
                } else {
                    Some(
                        (a.z - (normal.x * (p.x - a.x) + normal.y * (p.y - a.y)) / normal.z)
                            .clamp(zmin, zmax),
                    )
                }
            };
            for y in y0..=y1 {
                for x in x0..=x1 {
                    let cmin = self.origin + Vec2::new(x as f32, y as f32) * cell;
                    let cmax = cmin + Vec2::splat(cell);
                    if !triangle_overlaps_box(&tri2, cmin, cmax) {
                        continue;
                    }
                    let i = y * self.nx + x;
                    let span = match [
                        cmin,
                        cmax,
                        Vec2::new(cmin.x, cmax.y),
                        Vec2::new(cmax.x, cmin.y),
                    ]
                    .iter()
                    .map(|&p| plane_z(p))
                    .collect::<Option<Vec<f32>>>()
                    {
                        Some(zs) => zs
                            .iter()
                            .fold((f32::MAX, f32::MIN), |(l, h), &z| (l.min(z), h.max(z))),
                        None => (zmin, zmax),
                    };
                    spans[i].push(span);
                    let centre = (cmin + cmax) / 2.0;
                    if walkable
                        && point_in_triangle(&tri2, centre)
                        && let Some(z) = plane_z(centre)
                    {
                        surfaces[i].push(z);
                    }
                }
            }
        }
        (surfaces, spans)
    }

    /// Per cell, the surface with head room for the agent closest to the scene's main floor
    /// level (the most common standable height), so scan debris below the floor and furniture
    /// tops above it lose to the floor itself.
    fn choose_floors(&mut self, surfaces: &[Vec<f32>], spans: &[Vec<(f32, f32)>]) {
        let (step, height) = (self.config.max_step_m, self.config.agent_height_m);
        let standable: Vec<Vec<f32>> = surfaces
            .iter()
            .zip(spans)
            .map(|(heights, spans)| {
                heights
                    .iter()
                    .copied()
                    .filter(|&h| {
                        !spans
                            .iter()
                            .any(|&(lo, hi)| hi > h + step && lo < h + height)
                    })
                    .collect()
            })
            .collect();
        // The modal standable height in bins of one cell size.
        let bin = self.config.cell_m;
        let mut counts: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
        for h in standable.iter().flatten() {
            *counts.entry((h / bin).round() as i64).or_insert(0) += 1;
        }
        let Some(main_floor) = counts
            .iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
            .map(|(k, _)| *k as f32 * bin)
        else {
            return;
        };
        for (i, heights) in standable.iter().enumerate() {
            self.floor_z[i] = heights
                .iter()
                .copied()
                .min_by(|a, b| (a - main_floor).abs().total_cmp(&(b - main_floor).abs()))
                .unwrap_or(f32::NAN);
        }
    }

    /// Fills floorless cells (holes in a scan) that are mostly surrounded by floor of one height
    /// and hold no geometry above a step over it, a few rings deep.
    fn fill_holes(&mut self, spans: &[Vec<(f32, f32)>]) {
        const PASSES: usize = 3;
        const MIN_NEIGHBOURS: usize = 5;
        let step = self.config.max_step_m;
        for _ in 0..PASSES {
            let mut filled = Vec::new();
            for y in 1..self.ny.saturating_sub(1) {
                for x in 1..self.nx.saturating_sub(1) {
                    let c = y * self.nx + x;
                    if !self.floor_z[c].is_nan() {
                        continue;
                    }
                    let heights: Vec<f32> = [-1i64, 0, 1]
                        .iter()
                        .flat_map(|&dy| [-1i64, 0, 1].map(move |dx| (dx, dy)))
                        .filter(|&(dx, dy)| (dx, dy) != (0, 0))
                        .map(|(dx, dy)| {
                            self.floor_z
                                [((y as i64 + dy) as usize) * self.nx + (x as i64 + dx) as usize]
                        })
                        .filter(|h| !h.is_nan())
                        .collect();
                    let (lo, hi) = heights
                        .iter()
                        .fold((f32::MAX, f32::MIN), |(l, h), &z| (l.min(z), h.max(z)));
                    if heights.len() < MIN_NEIGHBOURS || hi - lo > step {
                        continue;
                    }
                    let h = heights.iter().sum::<f32>() / heights.len() as f32;
                    if spans[c].iter().all(|&(_, top)| top <= h + step) {
                        filled.push((c, h));
                    }
                }
            }
            if filled.is_empty() {
                break;
            }
            for (c, h) in filled {
                self.floor_z[c] = h;
            }
        }
    }

    /// Marks the cells holding geometry within the agent's body (between a step and its height)
    /// over a neighbouring floor, or, for floorless cells, over the nearest floor (a
    /// breadth-first spread of floor heights): walls, furniture, and the rims of surfaces too
    /// high to step onto.
    fn mark_blocked(&mut self, spans: &[Vec<(f32, f32)>]) {
        let (step, height) = (self.config.max_step_m, self.config.agent_height_m);
        let mut nearest_floor = self.floor_z.clone();
        let mut queue: std::collections::VecDeque<usize> = (0..nearest_floor.len())
            .filter(|&c| !nearest_floor[c].is_nan())
            .collect();
        while let Some(c) = queue.pop_front() {
            for n in self.neighbours4(c) {
                if nearest_floor[n].is_nan() {
                    nearest_floor[n] = nearest_floor[c];
                    queue.push_back(n);
                }
            }
        }
        for c in 0..self.blocked.len() {
            let in_body = |h: f32| {
                spans[c]
                    .iter()
                    .any(|&(lo, hi)| hi > h + step && lo < h + height)
            };
            self.blocked[c] = std::iter::once(nearest_floor[c])
                .chain(self.neighbours4(c).map(|n| self.floor_z[n]))
                .any(|h| !h.is_nan() && in_body(h));
        }
    }

    /// Keeps cells whose whole disk of the agent's radius stands within a step, then labels
    /// 4-connected islands.
    fn erode_and_label(&mut self) {
        let cell = self.config.cell_m;
        // Cells are tested at their centres, so an obstacle may reach half a cell diagonal
        // closer than the centre distance; the margin keeps the physical body clear of it.
        let radius = self.config.agent_radius_m + cell * std::f32::consts::FRAC_1_SQRT_2 + 0.01;
        let r = (radius / cell).ceil() as i64;
        let offsets: Vec<(i64, i64)> = (-r..=r)
            .flat_map(|dy| (-r..=r).map(move |dx| (dx, dy)))
            .filter(|&(dx, dy)| ((dx * dx + dy * dy) as f32).sqrt() * cell <= radius + 1e-6)
            .collect();
        let step = self.config.max_step_m;
        let mut walkable = vec![false; self.nx * self.ny];
        for y in 0..self.ny as i64 {
            for x in 0..self.nx as i64 {
                let h = self.floor_z[(y as usize) * self.nx + x as usize];
                if h.is_nan() {
                    continue;
                }
                walkable[(y as usize) * self.nx + x as usize] = offsets.iter().all(|&(dx, dy)| {
                    let (qx, qy) = (x + dx, y + dy);
                    qx >= 0
                        && qy >= 0
                        && (qx as usize) < self.nx
                        && (qy as usize) < self.ny
                        && (self.floor_z[qy as usize * self.nx + qx as usize] - h).abs() <= step
                });
            }
        }
        for start in 0..walkable.len() {
            if !walkable[start] || self.island[start] != NO_ISLAND {
                continue;
            }
            let id = self.island_cells.len() as u32;
            let mut count = 0;
            let mut stack = vec![start];
            self.island[start] = id;
            while let Some(c) = stack.pop() {
                count += 1;
                for n in self.neighbours4(c) {
                    if walkable[n]
                        && self.island[n] == NO_ISLAND
                        && (self.floor_z[n] - self.floor_z[c]).abs() <= step
                    {
                        self.island[n] = id;
                        stack.push(n);
                    }
                }
            }
            self.island_cells.push(count);
        }
    }

    fn neighbours4(&self, c: usize) -> impl Iterator<Item = usize> + use<> {
        let (x, y, nx, ny) = (c % self.nx, c / self.nx, self.nx, self.ny);
        [
            (x > 0).then(|| c - 1),
            (x + 1 < nx).then_some(c + 1),
            (y > 0).then(|| c - nx),
            (y + 1 < ny).then_some(c + nx),
        ]
        .into_iter()
        .flatten()
    }

    /// The settings it was built with.
    pub fn config(&self) -> &WalkableConfig {
        &self.config
    }

    /// Grid size in cells `(nx, ny)`.
    pub fn dims(&self) -> (usize, usize) {
        (self.nx, self.ny)
    }

    /// The cell holding `(x, y)`.
    pub fn cell_at(&self, p: Vec2) -> Option<usize> {
        let q = (p - self.origin) / self.config.cell_m;
        if !(q.x >= 0.0 && q.y >= 0.0) {
            return None;
        }
        let (x, y) = (q.x as usize, q.y as usize);
        (x < self.nx && y < self.ny).then(|| y * self.nx + x)
    }

    /// The floor point at the centre of cell `c` (NaN height where there is no floor).
    pub fn centre(&self, c: usize) -> Vec3 {
        let (x, y) = ((c % self.nx) as f32 + 0.5, (c / self.nx) as f32 + 0.5);
        (self.origin + Vec2::new(x, y) * self.config.cell_m).extend(self.floor_z[c])
    }

    /// The island of cell `c` ([`NO_ISLAND`] when not walkable).
    pub fn island(&self, c: usize) -> u32 {
        self.island[c]
    }

    /// Whether cell `c` holds an obstacle to the agent's body.
    pub fn is_blocked(&self, c: usize) -> bool {
        self.blocked[c]
    }

    /// The horizontal extent `(min, max)` of cell `c`.
    pub fn cell_bounds(&self, c: usize) -> (Vec2, Vec2) {
        let min = self.origin
            + Vec2::new((c % self.nx) as f32, (c / self.nx) as f32) * self.config.cell_m;
        (min, min + Vec2::splat(self.config.cell_m))
    }

    /// The lowest and highest floor heights, or `None` when nothing is walkable.
    pub fn floor_range_m(&self) -> Option<(f32, f32)> {
        self.floor_z
            .iter()
            .filter(|z| !z.is_nan())
            .fold(None, |acc, &z| match acc {
                None => Some((z, z)),
                Some((lo, hi)) => Some((z.min(lo), z.max(hi))),
            })
    }

    /// Whether cell `c` is walkable.
    pub fn is_walkable(&self, c: usize) -> bool {
        self.island[c] != NO_ISLAND
    }

    /// Whether point `p` stands on the walkable area (its cell is walkable and `p` lies within
    /// a step of the cell's floor).
    pub fn contains(&self, p: Vec3) -> bool {
        self.cell_at(p.truncate()).is_some_and(|c| {
            self.is_walkable(c) && (p.z - self.floor_z[c]).abs() <= self.config.max_step_m
        })
    }

    /// Cells per island, by island id.
    pub fn island_sizes(&self) -> &[usize] {
        &self.island_cells
    }

    /// The island with the most cells.
    pub fn largest_island(&self) -> Option<u32> {
        (0..self.island_cells.len() as u32)
            .max_by_key(|&i| (self.island_cells[i as usize], std::cmp::Reverse(i)))
    }

    /// Walkable area in square metres.
    pub fn area_m2(&self) -> f32 {
        self.island_cells.iter().sum::<usize>() as f32 * self.config.cell_m * self.config.cell_m
    }

    /// The walkable cell centre nearest to `p` (horizontally) within `max_m`, optionally on
    /// one island; ties go to the lowest cell index.
    pub fn snap(&self, p: Vec3, max_m: f32, island: Option<u32>) -> Option<(usize, Vec3)> {
        let cell = self.config.cell_m;
        let r = (max_m / cell).ceil() as i64 + 1;
        let q = (p.truncate() - self.origin) / cell;
        let (cx, cy) = (q.x.floor() as i64, q.y.floor() as i64);
        let mut best: Option<(f32, usize)> = None;
        for y in (cy - r).max(0)..=(cy + r).min(self.ny as i64 - 1) {
            for x in (cx - r).max(0)..=(cx + r).min(self.nx as i64 - 1) {
                let c = y as usize * self.nx + x as usize;
                if !self.is_walkable(c) || island.is_some_and(|i| self.island[c] != i) {
                    continue;
                }
                let d = self.centre(c).truncate().distance(p.truncate());
                if d <= max_m && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
                    best = Some((d, c));
                }
            }
        }
        best.map(|(_, c)| (c, self.centre(c)))
    }

    /// Whether the straight segment from `a` to `b` stays on walkable cells of one island,
    /// never changing floor height by more than a step between samples (half a cell apart).
    pub fn segment_walkable(&self, a: Vec2, b: Vec2) -> bool {
        let Some(start) = self.cell_at(a) else {
            return false;
        };
        if !self.is_walkable(start) {
            return false;
        }
        let island = self.island[start];
        let samples = (a.distance(b) / (self.config.cell_m * 0.5)).ceil() as usize;
        let mut prev_z = self.floor_z[start];
        for k in 1..=samples {
            let p = a.lerp(b, k as f32 / samples as f32);
            let Some(c) = self.cell_at(p) else {
                return false;
            };
            if self.island[c] != island || (self.floor_z[c] - prev_z).abs() > self.config.max_step_m
            {
                return false;
            }
            prev_z = self.floor_z[c];
        }
        true
    }
}

fn cross2(a: Vec2, b: Vec2) -> f32 {
    a.x * b.y - a.y * b.x
}

/// Whether `p` lies inside the triangle's projection (either winding).
fn point_in_triangle(t: &[Vec2; 3], p: Vec2) -> bool {
    let d0 = cross2(t[1] - t[0], p - t[0]);
    let d1 = cross2(t[2] - t[1], p - t[1]);
    let d2 = cross2(t[0] - t[2], p - t[2]);
    let has_neg = d0 < 0.0 || d1 < 0.0 || d2 < 0.0;
    let has_pos = d0 > 0.0 || d1 > 0.0 || d2 > 0.0;
    !(has_neg && has_pos)
}

/// Whether a (possibly degenerate) triangle's projection overlaps the box `[min, max]`
/// (separating axes: the box's axes, then each edge's normal).
fn triangle_overlaps_box(t: &[Vec2; 3], min: Vec2, max: Vec2) -> bool {
    let tmin = t[0].min(t[1]).min(t[2]);
    let tmax = t[0].max(t[1]).max(t[2]);
    if tmax.x < min.x || tmin.x > max.x || tmax.y < min.y || tmin.y > max.y {
        return false;
    }
    let corners = [min, Vec2::new(max.x, min.y), max, Vec2::new(min.x, max.y)];
    for i in 0..3 {
        let edge = t[(i + 1) % 3] - t[i];
        let axis = Vec2::new(-edge.y, edge.x);
        if axis.length_squared() < 1e-12 {
            continue;
        }
        let project = |p: Vec2| axis.dot(p);
        let (tlo, thi) = t.iter().fold((f32::MAX, f32::MIN), |(l, h), &p| {
            (l.min(project(p)), h.max(project(p)))
        });
        let (blo, bhi) = corners.iter().fold((f32::MAX, f32::MIN), |(l, h), &p| {
            (l.min(project(p)), h.max(project(p)))
        });
        if thi < blo || bhi < tlo {
            return false;
        }
    }
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use waymark_scenes::primitives::MeshBuilder;

    /// A 6 × 4 m room (walls 0.1 m thick, 2.6 m high) with a wall from y = 2 splitting it
    /// at x = 3 except for a 1 m doorway at y ∈ [0, 1], and a 0.1 m step-up platform.
    pub(crate) fn two_rooms() -> Scene {
        let mut b = MeshBuilder::new();
        b.add_box(
            Vec3::new(-0.1, -0.1, -0.1),
            Vec3::new(6.1, 4.1, 0.0),
            [150, 120, 90],
            1,
        );
        for (lo, hi) in [
            (Vec3::new(-0.1, -0.1, 0.0), Vec3::new(0.0, 4.1, 2.6)),
            (Vec3::new(6.0, -0.1, 0.0), Vec3::new(6.1, 4.1, 2.6)),
            (Vec3::new(-0.1, -0.1, 0.0), Vec3::new(6.1, 0.0, 2.6)),
            (Vec3::new(-0.1, 4.0, 0.0), Vec3::new(6.1, 4.1, 2.6)),
            (Vec3::new(2.95, 1.0, 0.0), Vec3::new(3.05, 4.0, 2.6)),
        ] {
            b.add_box(lo, hi, [220, 220, 220], 2);
        }
        b.label(1, "floor");
        b.label(2, "wall");
        b.finish("two rooms")
    }

    #[test]
    fn the_floor_is_walkable_away_from_walls() {
        let grid = WalkableGrid::build(&two_rooms(), &WalkableConfig::default()).unwrap();
        assert_eq!(
            grid.island_sizes().len(),
            1,
            "one island through the doorway"
        );
        assert!(grid.contains(Vec3::new(1.5, 2.0, 0.0)));
        assert!(grid.contains(Vec3::new(4.5, 2.0, 0.0)));
        assert!(!grid.contains(Vec3::new(3.0, 2.5, 0.0)), "inside the wall");
        assert!(
            !grid.contains(Vec3::new(0.1, 2.0, 0.0)),
            "closer to a wall than the radius"
        );
        assert!(grid.contains(Vec3::new(0.3, 2.0, 0.0)));
        assert!(
            !grid.contains(Vec3::new(1.5, 2.0, 1.0)),
            "a metre above the floor"
        );
        // About (6 − 2·0.23) × (4 − 2·0.23) m minus the wall's keep-out.
        let area = grid.area_m2();
        assert!((17.0..20.5).contains(&area), "{area} m²");
        assert!(
            grid.segment_walkable(Vec2::new(1.0, 0.5), Vec2::new(5.0, 0.5)),
            "through the doorway"
        );
        assert!(
            !grid.segment_walkable(Vec2::new(1.0, 3.0), Vec2::new(5.0, 3.0)),
            "through the wall"
        );
        let (_, snapped) = grid.snap(Vec3::new(3.0, 2.5, 0.0), 1.0, None).unwrap();
        assert!(grid.contains(snapped) && (snapped.x - 3.0).abs() > 0.2);
    }

    #[test]
    fn point_clouds_have_no_walkable_area() {
        let mut scene = two_rooms();
        scene.mesh.triangles.clear();
        assert!(WalkableGrid::build(&scene, &WalkableConfig::default()).is_err());
    }

    #[test]
    fn absurd_extents_are_errors_not_tiny_grids() {
        for far in [1e20f32, f32::INFINITY] {
            let mut scene = two_rooms();
            scene.mesh.positions_m[0].x = far;
            let err = WalkableGrid::build(&scene, &WalkableConfig::default())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("needs a grid of more than"), "{far}: {err}");
        }
    }

    #[test]
    fn overlap_tests() {
        let t = [
            Vec2::new(0.0, 0.0),
            Vec2::new(1.0, 0.0),
            Vec2::new(0.0, 1.0),
        ];
        assert!(triangle_overlaps_box(
            &t,
            Vec2::new(0.2, 0.2),
            Vec2::new(0.3, 0.3)
        ));
        assert!(!triangle_overlaps_box(
            &t,
            Vec2::new(0.8, 0.8),
            Vec2::new(0.9, 0.9)
        ));
        let segment = [
            Vec2::new(0.0, 0.0),
            Vec2::new(1.0, 1.0),
            Vec2::new(0.5, 0.5),
        ];
        assert!(triangle_overlaps_box(
            &segment,
            Vec2::new(0.45, 0.45),
            Vec2::new(0.55, 0.55)
        ));
        assert!(!triangle_overlaps_box(
            &segment,
            Vec2::new(0.6, 0.0),
            Vec2::new(0.7, 0.1)
        ));
        assert!(
            point_in_triangle(&t, Vec2::new(0.2, 0.2))
                && !point_in_triangle(&t, Vec2::new(0.8, 0.8))
        );
    }
}
