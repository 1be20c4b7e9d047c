//! Seeded, deterministic procedural apartments: a grid of rooms with walls, doorways, floors, a
//! ceiling, and furniture as labelled, vertex-coloured box meshes (bed, sofa, tables, chairs,
//! fridge, sink, toilet, tv, shelves, plants, lamps, …).

use crate::primitives::MeshBuilder;
use crate::scene::Scene;
use crate::scene_graph::{Aabb, RoomNode, SceneGraph};
use glam::{Vec2, Vec3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Wall height in metres.
pub const WALL_HEIGHT_M: f32 = 2.6;
/// Wall thickness in metres.
const WALL_M: f32 = 0.1;
/// Doorway width and height in metres.
const DOOR_WIDTH_M: f32 = 0.9;
const DOOR_HEIGHT_M: f32 = 2.1;
/// Instance ids of the structure; furniture starts after them.
const WALL_ID: u32 = 1;
const FLOOR_ID: u32 = 2;
const CEILING_ID: u32 = 3;

/// How to generate an apartment.
#[derive(Clone, Debug, PartialEq)]
pub struct ApartmentConfig {
    /// Rooms across (x).
    pub cols: usize,
    /// Rooms deep (y).
    pub rows: usize,
    /// The seed: the same seed gives the same apartment.
    pub seed: u64,
}

/// A doorway between two rooms.
#[derive(Clone, Debug, PartialEq)]
pub struct Doorway {
    /// The rooms it joins (indices into `rooms`).
    pub rooms: (usize, usize),
    /// The centre of the opening on the floor (metres).
    pub centre_m: Vec3,
}

/// A generated apartment.
#[derive(Clone, Debug, PartialEq)]
pub struct Apartment {
    /// The geometry, with instance ids and labels.
    pub scene: Scene,
    /// The rooms.
    pub rooms: Vec<RoomNode>,
    /// The doorways.
    pub doorways: Vec<Doorway>,
}

impl Apartment {
    /// The scene graph, rooms included.
    pub fn scene_graph(&self) -> SceneGraph {
        SceneGraph {
            rooms: self.rooms.clone(),
            ..SceneGraph::of(&self.scene)
        }
    }
}

/// A piece of furniture: boxes in its own frame (x along the wall, y out from the wall, z up).
struct Piece {
    /// Footprint (x, y) in metres.
    footprint: Vec2,
    boxes: Vec<(Vec3, Vec3, [u8; 3])>,
    /// Placed against a wall (true) or free in the room.
    against_wall: bool,
}

fn piece(label: &'static str, rng: &mut ChaCha8Rng) -> Piece {
    let tint = |rng: &mut ChaCha8Rng, c: [u8; 3]| {
        let d: i16 = rng.random_range(-18..=18);
        c.map(|v| (i16::from(v) + d).clamp(0, 255) as u8)
    };
    let b = |x0: f32, y0: f32, z0: f32, x1: f32, y1: f32, z1: f32, c: [u8; 3]| {
        (Vec3::new(x0, y0, z0), Vec3::new(x1, y1, z1), c)
    };
    let (wood, fabric, white, metal, green) = (
        tint(rng, [139, 99, 64]),
        tint(rng, [70, 90, 140]),
        tint(rng, [235, 235, 230]),
        tint(rng, [120, 120, 128]),
        tint(rng, [60, 140, 60]),
    );
    let (footprint, boxes, against_wall) = match label {
        "bed" => (
            Vec2::new(1.6, 2.0),
            vec![
                b(0.0, 0.0, 0.0, 1.6, 2.0, 0.45, white),
                b(0.0, 0.0, 0.0, 1.6, 0.08, 1.0, wood),
                b(0.1, 0.1, 0.45, 1.5, 0.5, 0.6, fabric),
            ],
            true,
        ),
        "sofa" => (
            Vec2::new(2.0, 0.9),
            vec![
                b(0.0, 0.0, 0.0, 2.0, 0.9, 0.42, fabric),
                b(0.0, 0.0, 0.42, 2.0, 0.25, 0.85, fabric),
                b(0.0, 0.25, 0.42, 0.2, 0.9, 0.62, fabric),
                b(1.8, 0.25, 0.42, 2.0, 0.9, 0.62, fabric),
            ],
            true,
        ),
        "table" => (
            Vec2::new(1.2, 0.8),
            vec![
                b(0.0, 0.0, 0.7, 1.2, 0.8, 0.75, wood),
                b(0.05, 0.05, 0.0, 0.12, 0.12, 0.7, wood),
                b(1.08, 0.05, 0.0, 1.15, 0.12, 0.7, wood),
                b(0.05, 0.68, 0.0, 0.12, 0.75, 0.7, wood),
                b(1.08, 0.68, 0.0, 1.15, 0.75, 0.7, wood),
            ],
            false,
        ),
        "chair" => (
            Vec2::new(0.45, 0.45),
            vec![
                b(0.0, 0.0, 0.42, 0.45, 0.45, 0.47, wood),
                b(0.0, 0.0, 0.47, 0.45, 0.06, 0.9, wood),
                b(0.02, 0.02, 0.0, 0.07, 0.07, 0.42, wood),
                b(0.38, 0.02, 0.0, 0.43, 0.07, 0.42, wood),
                b(0.02, 0.38, 0.0, 0.07, 0.43, 0.42, wood),
                b(0.38, 0.38, 0.0, 0.43, 0.43, 0.42, wood),
            ],
            false,
        ),
        "fridge" => (
            Vec2::new(0.7, 0.7),
            vec![b(0.0, 0.0, 0.0, 0.7, 0.7, 1.8, white)],
            true,
        ),
        "sink" => (
            Vec2::new(0.8, 0.55),
            vec![
                b(0.0, 0.0, 0.0, 0.8, 0.55, 0.85, white),
                b(0.1, 0.1, 0.85, 0.7, 0.45, 0.9, metal),
            ],
            true,
        ),
        "toilet" => (
            Vec2::new(0.4, 0.7),
            vec![
                b(0.0, 0.0, 0.0, 0.4, 0.2, 0.8, white),
                b(0.05, 0.2, 0.0, 0.35, 0.7, 0.42, white),
            ],
            true,
        ),
        "tv" => (
            Vec2::new(1.2, 0.45),
            vec![
                b(0.0, 0.0, 0.0, 1.2, 0.45, 0.5, wood),
                b(0.05, 0.15, 0.5, 1.15, 0.2, 1.15, tint(rng, [25, 25, 30])),
            ],
            true,
        ),
        "shelves" => (
            Vec2::new(0.9, 0.35),
            vec![
                b(0.0, 0.0, 0.0, 0.05, 0.35, 1.8, wood),
                b(0.85, 0.0, 0.0, 0.9, 0.35, 1.8, wood),
                b(0.05, 0.0, 0.05, 0.85, 0.35, 0.08, wood),
                b(0.05, 0.0, 0.6, 0.85, 0.35, 0.63, wood),
                b(0.05, 0.0, 1.15, 0.85, 0.35, 1.18, wood),
                b(0.05, 0.0, 1.72, 0.85, 0.35, 1.75, wood),
            ],
            true,
        ),
        "plant" => (
            Vec2::new(0.4, 0.4),
            vec![
                b(0.1, 0.1, 0.0, 0.3, 0.3, 0.3, tint(rng, [160, 82, 45])),
                b(0.0, 0.0, 0.3, 0.4, 0.4, 0.9, green),
                b(0.08, 0.08, 0.9, 0.32, 0.32, 1.15, green),
            ],
            true,
        ),
        "lamp" => (
            Vec2::new(0.35, 0.35),
            vec![
                b(0.1, 0.1, 0.0, 0.25, 0.25, 0.04, metal),
                b(0.16, 0.16, 0.04, 0.19, 0.19, 1.4, metal),
                b(0.0, 0.0, 1.4, 0.35, 0.35, 1.65, tint(rng, [250, 230, 170])),
            ],
            true,
        ),
        "wardrobe" => (
            Vec2::new(1.0, 0.6),
            vec![b(0.0, 0.0, 0.0, 1.0, 0.6, 2.0, wood)],
            true,
        ),
        "bathtub" => (
            Vec2::new(1.6, 0.75),
            vec![b(0.0, 0.0, 0.0, 1.6, 0.75, 0.55, white)],
            true,
        ),
        _ => (
            Vec2::new(0.6, 0.4),
            vec![b(0.0, 0.0, 0.0, 0.6, 0.4, 0.8, wood)],
            true,
        ),
    };
    Piece {
        footprint,
        boxes,
        against_wall,
    }
}

/// Room kinds, their floor colour and the furniture they hold.
const ROOM_KINDS: &[(&str, [u8; 3], &[&str])] = &[
    (
        "living room",
        [176, 140, 100],
        &["sofa", "tv", "table", "plant", "lamp", "shelves"],
    ),
    (
        "kitchen",
        [200, 200, 190],
        &["fridge", "sink", "table", "chair", "chair", "plant"],
    ),
    (
        "bedroom",
        [160, 120, 90],
        &["bed", "wardrobe", "lamp", "plant", "shelves"],
    ),
    (
        "bathroom",
        [210, 215, 220],
        &["toilet", "sink", "bathtub", "plant"],
    ),
    (
        "dining room",
        [170, 130, 95],
        &["table", "chair", "chair", "chair", "shelves", "plant"],
    ),
    (
        "office",
        [150, 150, 140],
        &["table", "chair", "shelves", "lamp", "plant"],
    ),
];

/// Generates an apartment of `config.cols × config.rows` rooms.
pub fn generate_apartment(name: &str, config: &ApartmentConfig) -> Apartment {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let (cols, rows) = (config.cols.max(1), config.rows.max(1));
    let widths: Vec<f32> = (0..cols).map(|_| rng.random_range(3.5..5.5)).collect();
    let depths: Vec<f32> = (0..rows).map(|_| rng.random_range(3.5..5.0)).collect();
    let xs: Vec<f32> = std::iter::once(0.0)
        .chain(widths.iter().scan(0.0, |x, w| {
            *x += w;
            Some(*x)
        }))
        .collect();
    let ys: Vec<f32> = std::iter::once(0.0)
        .chain(depths.iter().scan(0.0, |y, d| {
            *y += d;
            Some(*y)
        }))
        .collect();
    let n_rooms = cols * rows;
    let mut kinds: Vec<usize> = (0..ROOM_KINDS.len()).collect();
    for i in (1..kinds.len()).rev() {
        kinds.swap(i, rng.random_range(0..=i));
    }
    let room_rect = |r: usize| {
        let (c, w) = (r % cols, r / cols);
        (Vec2::new(xs[c], ys[w]), Vec2::new(xs[c + 1], ys[w + 1]))
    };

    // Doorways: a random spanning tree over neighbouring rooms plus one extra for a loop.
    let mut walls = Vec::new();
    for r in 0..n_rooms {
        if r % cols + 1 < cols {
            walls.push((r, r + 1));
        }
        if r + cols < n_rooms {
            walls.push((r, r + cols));
        }
    }
    for i in (1..walls.len()).rev() {
        walls.swap(i, rng.random_range(0..=i));
    }
    let mut component: Vec<usize> = (0..n_rooms).collect();
    let mut extra = true;
    let mut doorways = Vec::new();
    for (a, b) in walls {
        let (ca, cb) = (component[a], component[b]);
        if ca == cb && !extra {
            continue;
        }
        if ca == cb {
            extra = false;
        } else {
            component
                .iter_mut()
                .filter(|c| **c == cb)
                .for_each(|c| *c = ca);
        }
        let ((amin, amax), (bmin, bmax)) = (room_rect(a), room_rect(b));
        let centre = if b == a + 1 {
            // Shared wall at x = amax.x, spanning y over the room.
            let y = rng.random_range(amin.y + 0.8..amax.y - 0.8);
            Vec3::new(amax.x, y, 0.0)
        } else {
            let x = rng.random_range(bmin.x.max(amin.x) + 0.8..bmax.x.min(amax.x) - 0.8);
            Vec3::new(x, amax.y, 0.0)
        };
        doorways.push(Doorway {
            rooms: (a, b),
            centre_m: centre,
        });
    }

    let mut builder = MeshBuilder::new();
    builder.label(WALL_ID, "wall");
    builder.label(FLOOR_ID, "floor");
    builder.label(CEILING_ID, "ceiling");
    let wall_rgb = [228, 224, 214];
    // Vertical grid lines (walls along y) and horizontal ones (walls along x).
    for (c, &x) in xs.iter().enumerate() {
        for w in 0..rows {
            let doors: Vec<f32> = doorways
                .iter()
                .filter(|d| {
                    d.centre_m.x == x
                        && d.centre_m.y > ys[w]
                        && d.centre_m.y < ys[w + 1]
                        && c > 0
                        && c < cols
                })
                .map(|d| d.centre_m.y)
                .collect();
            wall_run(&mut builder, true, x, ys[w], ys[w + 1], &doors, wall_rgb);
        }
    }
    for (w, &y) in ys.iter().enumerate() {
        for c in 0..cols {
            let doors: Vec<f32> = doorways
                .iter()
                .filter(|d| {
                    d.centre_m.y == y
                        && d.centre_m.x > xs[c]
                        && d.centre_m.x < xs[c + 1]
                        && w > 0
                        && w < rows
                })
                .map(|d| d.centre_m.x)
                .collect();
            wall_run(&mut builder, false, y, xs[c], xs[c + 1], &doors, wall_rgb);
        }
    }

    let mut rooms = Vec::new();
    let mut next_id = CEILING_ID + 1;
    for r in 0..n_rooms {
        let (kind_name, floor_rgb, furniture) = ROOM_KINDS[kinds[r % kinds.len()]];
        let (min, max) = room_rect(r);
        let corner = |x: f32, y: f32| Vec3::new(x, y, 0.0);
        builder.add_quad(
            [
                corner(min.x, min.y),
                corner(max.x, min.y),
                corner(max.x, max.y),
                corner(min.x, max.y),
            ],
            floor_rgb,
            FLOOR_ID,
        );
        rooms.push(RoomNode {
            name: kind_name.to_string(),
            aabb: Aabb {
                min: min.extend(0.0),
                max: max.extend(WALL_HEIGHT_M),
            },
        });
        // Keep-out zones: 1.2 m squares on both sides of each doorway of this room.
        let keep_out: Vec<(Vec2, Vec2)> = doorways
            .iter()
            .filter(|d| d.rooms.0 == r || d.rooms.1 == r)
            .map(|d| {
                (
                    d.centre_m.truncate() - Vec2::splat(1.2),
                    d.centre_m.truncate() + Vec2::splat(1.2),
                )
            })
            .collect();
        let mut placed: Vec<(Vec2, Vec2)> = Vec::new();
        for &label in furniture {
            let p = piece(label, &mut rng);
            if let Some((rect, quarter_turns, origin)) = place(
                &p,
                min + Vec2::splat(WALL_M / 2.0),
                max - Vec2::splat(WALL_M / 2.0),
                &placed,
                &keep_out,
                &mut rng,
            ) {
                for &(lo, hi, rgb) in &p.boxes {
                    let (a, b) = (
                        to_world(lo, quarter_turns, origin),
                        to_world(hi, quarter_turns, origin),
                    );
                    builder.add_box(a, b, rgb, next_id);
                }
                builder.label(next_id, label);
                next_id += 1;
                placed.push(rect);
            }
        }
    }
    let (lo, hi) = (Vec2::new(xs[0], ys[0]), Vec2::new(xs[cols], ys[rows]));
    let ceil = |x: f32, y: f32| Vec3::new(x, y, WALL_HEIGHT_M);
    builder.add_quad(
        [
            ceil(lo.x, lo.y),
            ceil(lo.x, hi.y),
            ceil(hi.x, hi.y),
            ceil(hi.x, lo.y),
        ],
        [245, 245, 245],
        CEILING_ID,
    );
    Apartment {
        scene: builder.finish(name),
        rooms,
        doorways,
    }
}

/// Adds the wall on a grid line from `from` to `to` (along y when `along_y`, at x = `at`;
/// else along x at y = `at`), leaving a doorway (with a lintel) at each position in `doors`.
fn wall_run(
    b: &mut MeshBuilder,
    along_y: bool,
    at: f32,
    from: f32,
    to: f32,
    doors: &[f32],
    rgb: [u8; 3],
) {
    let mut cuts: Vec<f32> = doors.to_vec();
    cuts.sort_by(f32::total_cmp);
    let mut start = from;
    let mut add = |s: f32, e: f32, z0: f32, z1: f32| {
        if e - s < 1e-4 {
            return;
        }
        let (min, max) = if along_y {
            (
                Vec3::new(at - WALL_M / 2.0, s, z0),
                Vec3::new(at + WALL_M / 2.0, e, z1),
            )
        } else {
            (
                Vec3::new(s, at - WALL_M / 2.0, z0),
                Vec3::new(e, at + WALL_M / 2.0, z1),
            )
        };
        b.add_box(min, max, rgb, WALL_ID);
    };
    for c in cuts {
        let (d0, d1) = (c - DOOR_WIDTH_M / 2.0, c + DOOR_WIDTH_M / 2.0);
        add(start, d0, 0.0, WALL_HEIGHT_M);
        add(d0, d1, DOOR_HEIGHT_M, WALL_HEIGHT_M);
        start = d1;
    }
    add(start, to, 0.0, WALL_HEIGHT_M);
}

/// A point of a piece's frame in the world, after `quarter_turns` × 90° about z and a shift.
fn to_world(p: Vec3, quarter_turns: u32, origin: Vec2) -> Vec3 {
    let (x, y) = match quarter_turns % 4 {
        0 => (p.x, p.y),
        1 => (-p.y, p.x),
        2 => (-p.x, -p.y),
        _ => (p.y, -p.x),
    };
    Vec3::new(origin.x + x, origin.y + y, p.z)
}

type Rect = (Vec2, Vec2);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0.x < b.1.x && b.0.x < a.1.x && a.0.y < b.1.y && b.0.y < a.1.y
}

/// Finds a spot for `p` inside `[min, max]` that avoids `placed` and `keep_out`: against one of
/// the four walls (facing into the room) or free. Returns its footprint, rotation and origin.
fn place(
    p: &Piece,
    min: Vec2,
    max: Vec2,
    placed: &[Rect],
    keep_out: &[Rect],
    rng: &mut ChaCha8Rng,
) -> Option<(Rect, u32, Vec2)> {
    for _ in 0..40 {
        let turns: u32 = rng.random_range(0..4);
        // Footprint extent in world axes after rotation.
        let size = if turns.is_multiple_of(2) {
            p.footprint
        } else {
            Vec2::new(p.footprint.y, p.footprint.x)
        };
        let free = max - min - size;
        if free.x < 0.0 || free.y < 0.0 {
            return None;
        }
        let mut lo = min
            + Vec2::new(
                rng.random_range(0.0..=free.x),
                rng.random_range(0.0..=free.y),
            );
        if p.against_wall {
            // The piece's back (local y = 0) touches the wall it faces away from.
            match turns {
                0 => lo.y = min.y,
                1 => lo.x = max.x - size.x,
                2 => lo.y = max.y - size.y,
                _ => lo.x = min.x,
            }
        }
        let rect = (lo, lo + size);
        let margin = (rect.0 - Vec2::splat(0.15), rect.1 + Vec2::splat(0.15));
        if placed.iter().chain(keep_out).any(|r| overlaps(&margin, r)) {
            continue;
        }
        // The local origin (corner at local (0, 0)) in world coordinates.
        let origin = match turns {
            0 => rect.0,
            1 => Vec2::new(rect.1.x, rect.0.y),
            2 => rect.1,
            _ => Vec2::new(rect.0.x, rect.1.y),
        };
        return Some((rect, turns, origin));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(seed: u64) -> ApartmentConfig {
        ApartmentConfig {
            cols: 3,
            rows: 2,
            seed,
        }
    }

    #[test]
    fn deterministic_per_seed() {
        assert_eq!(
            generate_apartment("a", &config(4)),
            generate_apartment("a", &config(4))
        );
        assert_ne!(
            generate_apartment("a", &config(4)),
            generate_apartment("a", &config(5))
        );
    }

    #[test]
    fn rooms_doorways_and_furniture() {
        let apt = generate_apartment("a", &config(1));
        assert_eq!(apt.rooms.len(), 6);
        assert_eq!(apt.doorways.len(), 6, "5 for a spanning tree plus one loop");
        let graph = apt.scene_graph();
        let labels = graph.label_counts();
        for structure in ["wall", "floor", "ceiling"] {
            assert_eq!(labels.get(structure), Some(&1), "{structure}");
        }
        let furniture: usize = labels
            .iter()
            .filter(|(l, _)| !["wall", "floor", "ceiling"].contains(l))
            .map(|(_, n)| n)
            .sum();
        assert!(furniture >= 15, "{labels:?}");
        // Every piece of furniture stands inside the apartment, on the floor, under the ceiling.
        let bounds = graph.bounds.unwrap();
        for i in graph.instances.iter().filter(|i| i.id > CEILING_ID) {
            assert!(
                i.aabb.min.z >= -1e-4 && i.aabb.max.z <= WALL_HEIGHT_M,
                "{i:?}"
            );
            assert!(
                i.aabb.min.x >= bounds.min.x && i.aabb.max.y <= bounds.max.y,
                "{i:?}"
            );
        }
        // No two pieces of furniture overlap on the floor.
        let pieces: Vec<_> = graph
            .instances
            .iter()
            .filter(|i| i.id > CEILING_ID)
            .collect();
        for (k, a) in pieces.iter().enumerate() {
            for b in &pieces[k + 1..] {
                let ra = (a.aabb.min.truncate(), a.aabb.max.truncate());
                let rb = (b.aabb.min.truncate(), b.aabb.max.truncate());
                assert!(!overlaps(&ra, &rb), "{} overlaps {}", a.label, b.label);
            }
        }
    }
}
