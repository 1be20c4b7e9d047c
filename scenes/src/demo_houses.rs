//! Seeded, deterministic demo houses: a grid of named rooms joined by doorways, with
//! viewpoints about 2 m apart, in the shape of a Matterport navigation graph.
//!
//! These are waymark's own scenes (no scanned data), used for the shipped demo batch and for
//! tests. Each viewpoint knows its room, so episode generators can describe routes.

use crate::connectivity::NavGraphSpec;
use glam::DVec3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waymark_core::{ScanId, ViewpointId};

/// Height of the camera above the floor, in metres.
pub const CAMERA_HEIGHT_M: f64 = 1.5;

/// Room kinds with the landmark an instruction can mention in each.
const ROOM_KINDS: &[(&str, &[&str])] = &[
    ("kitchen", &["the fridge", "the sink", "the stove"]),
    (
        "living room",
        &["the sofa", "the television", "the coffee table"],
    ),
    ("bedroom", &["the bed", "the wardrobe", "the lamp"]),
    ("bathroom", &["the bathtub", "the toilet", "the mirror"]),
    (
        "dining room",
        &["the dining table", "the chairs", "the cabinet"],
    ),
    ("office", &["the desk", "the bookshelf", "the office chair"]),
    ("hallway", &["the coat rack", "the rug", "the painting"]),
    (
        "laundry room",
        &["the washing machine", "the dryer", "the basket"],
    ),
];

/// A room of a demo house.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoRoom {
    /// The room's kind, for example `kitchen`.
    pub name: String,
    /// A landmark inside it, for example `the fridge`.
    pub landmark: String,
    /// Its centre on the floor plan (metres).
    pub centre_m: DVec3,
}

/// A generated house: its navigation graph and the room of every viewpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoHouse {
    /// The navigation graph.
    pub graph: NavGraphSpec,
    /// The rooms.
    pub rooms: Vec<DemoRoom>,
    /// `room_of[i]` is the index into `rooms` of viewpoint `i`.
    pub room_of: Vec<usize>,
}

/// Size of one room cell on the floor plan, in metres.
const CELL_M: f64 = 6.0;
/// Viewpoints per room along each axis.
const PER_ROOM: usize = 3;

/// Generates a house of `cols × rows` rooms. The same `seed` gives the same house.
pub fn generate_demo_house(scan: &ScanId, cols: usize, rows: usize, seed: u64) -> DemoHouse {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_rooms = cols * rows;
    // A shuffled list of kinds; houses larger than the list reuse kinds with a number.
    let mut kinds: Vec<usize> = (0..ROOM_KINDS.len()).collect();
    for i in (1..kinds.len()).rev() {
        kinds.swap(i, rng.random_range(0..=i));
    }
    let mut rooms = Vec::with_capacity(n_rooms);
    for r in 0..n_rooms {
        let (name, landmarks) = ROOM_KINDS[kinds[r % kinds.len()]];
        let name = if r < kinds.len() {
            name.to_string()
        } else {
            format!("{name} {}", r / kinds.len() + 1)
        };
        let centre_m = DVec3::new(
            (r % cols) as f64 * CELL_M + CELL_M / 2.0,
            (r / cols) as f64 * CELL_M + CELL_M / 2.0,
            0.0,
        );
        rooms.push(DemoRoom {
            name,
            landmark: landmarks[rng.random_range(0..landmarks.len())].to_string(),
            centre_m,
        });
    }

    // Viewpoints on a jittered lattice inside each room, 2 m apart.
    let spacing_m = CELL_M / PER_ROOM as f64;
    let mut viewpoints = Vec::new();
    let mut room_of = Vec::new();
    let mut lattice = Vec::new(); // (room, ix, iy) of each viewpoint
    for (r, _) in rooms.iter().enumerate() {
        let (cx, cy) = ((r % cols) as f64 * CELL_M, (r / cols) as f64 * CELL_M);
        for iy in 0..PER_ROOM {
            for ix in 0..PER_ROOM {
                let mut jitter = || rng.random_range(-0.3..0.3);
                let position = DVec3::new(
                    cx + (ix as f64 + 0.5) * spacing_m + jitter(),
                    cy + (iy as f64 + 0.5) * spacing_m + jitter(),
                    CAMERA_HEIGHT_M,
                );
                let id = ViewpointId::new(format!("{:032x}", rng.random::<u128>()));
                viewpoints.push((id, position));
                room_of.push(r);
                lattice.push((r, ix, iy));
            }
        }
    }
    let index =
        |r: usize, ix: usize, iy: usize| (r * PER_ROOM * PER_ROOM + iy * PER_ROOM + ix) as u32;

    let mut edges = Vec::new();
    // Inside a room: lattice neighbours, including diagonals.
    for &(r, ix, iy) in &lattice {
        let a = index(r, ix, iy);
        for (dx, dy) in [(1, 0), (0, 1), (1, 1)] {
            let (jx, jy) = (ix + dx, iy + dy);
            if jx < PER_ROOM && jy < PER_ROOM {
                edges.push((a, index(r, jx, jy)));
            }
        }
        if ix + 1 < PER_ROOM && iy >= 1 {
            edges.push((
                a.min(index(r, ix + 1, iy - 1)),
                a.max(index(r, ix + 1, iy - 1)),
            ));
        }
    }
    // Doorways: a random spanning tree over the room grid, plus one extra door for a loop.
    let mut walls = Vec::new();
    for r in 0..n_rooms {
        if r % cols + 1 < cols {
            walls.push((r, r + 1, true));
        }
        if r + cols < n_rooms {
            walls.push((r, r + cols, false));
        }
    }
    for i in (1..walls.len()).rev() {
        walls.swap(i, rng.random_range(0..=i));
    }
    let mut component: Vec<usize> = (0..n_rooms).collect();
    let mut extra_door = true;
    for (a, b, east) in walls {
        let (ca, cb) = (component[a], component[b]);
        let joins = ca != cb;
        if !joins && !extra_door {
            continue;
        }
        if joins {
            component
                .iter_mut()
                .filter(|c| **c == cb)
                .for_each(|c| *c = ca);
        } else {
            extra_door = false;
        }
        // The doorway sits at a random lattice row (or column) on the shared wall.
        let k = rng.random_range(0..PER_ROOM);
        let (va, vb) = if east {
            (index(a, PER_ROOM - 1, k), index(b, 0, k))
        } else {
            (index(a, k, PER_ROOM - 1), index(b, k, 0))
        };
        edges.push((va.min(vb), va.max(vb)));
    }
    edges.sort_unstable();
    edges.dedup();
    DemoHouse {
        graph: NavGraphSpec {
            scan: scan.clone(),
            viewpoints,
            edges,
        },
        rooms,
        room_of,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_house() {
        let scan = ScanId::new("h");
        assert_eq!(
            generate_demo_house(&scan, 3, 2, 5),
            generate_demo_house(&scan, 3, 2, 5)
        );
        assert_ne!(
            generate_demo_house(&scan, 3, 2, 5),
            generate_demo_house(&scan, 3, 2, 6)
        );
    }

    #[test]
    fn every_room_is_reachable() {
        let house = generate_demo_house(&ScanId::new("h"), 3, 3, 1);
        let n = house.graph.viewpoints.len();
        let mut adjacency = vec![Vec::new(); n];
        for &(a, b) in &house.graph.edges {
            adjacency[a as usize].push(b as usize);
            adjacency[b as usize].push(a as usize);
        }
        let mut seen = vec![false; n];
        let mut stack = vec![0];
        while let Some(v) = stack.pop() {
            if !std::mem::replace(&mut seen[v], true) {
                stack.extend(&adjacency[v]);
            }
        }
        assert!(seen.iter().all(|s| *s));
        // Edges are short, like Matterport's (at most about one diagonal step plus jitter).
        for &(a, b) in &house.graph.edges {
            let d = house.graph.viewpoints[a as usize]
                .1
                .distance(house.graph.viewpoints[b as usize].1);
            assert!(d < 3.8, "edge of {d} m");
        }
    }
}
