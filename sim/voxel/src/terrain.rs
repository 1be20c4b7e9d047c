//! Terrain generation: Crafter's world generator (start area, lakes, stone mountains with
//! caves, tunnels, ores and lava, grassland with trees) lifted into 3D, plus what a
//! Minecraft-like world needs below and above ground (dirt and stone layers, ores by depth,
//! worm caves, tree canopies, tall grass and flowers).
//!
//! Crafter decides each cell of its 64×64 map from OpenSimplex fields; here the same fields
//! decide each column's kind, and the kind gives the column's height and blocks: grassland
//! rolls around the sea level, water columns are lake beds under water, mountain columns
//! rise in stone, and Crafter's `path` cells (caves and tunnels) become corridors carved at
//! walking level through the mountain, their walls showing the column's ore. A chunk reads
//! only the seed and its coordinates (its own random stream and the global noise fields),
//! so generation order never changes the world.

use crate::block::Block;
use crate::simplex::OpenSimplex;
use crate::world::{CHUNK, HEIGHT};
use glam::IVec3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The water level: lakes fill up to this z.
pub const SEA_Z: i32 = 24;
/// Grassland's mean ground z.
const GROUND_Z: i32 = SEA_Z + 2;

/// How far apart (in noise units) the 2D fields Crafter numbers by `z` lie.
const FIELD_SHIFT: f64 = 1_000.0;

/// The worm-cave lattice's spacing in blocks.
const CAVE_STEP: i32 = 4;
/// The worm-cave lattice's levels (its points along z).
const LEVELS: usize = (HEIGHT / CAVE_STEP + 1) as usize;

/// One chunk's worm-cave field on its lattice, sampled level by level (a level is one z of
/// the lattice) as columns first reach it: columns under low ground never read the high
/// levels, so their noise is never evaluated.
struct CaveLattice {
    /// The chunk's first column, in world blocks.
    origin: (i32, i32),
    /// Lattice points per horizontal side.
    n: usize,
    /// The levels sampled so far, `n × n` values each (x fastest).
    values: Vec<f32>,
}

impl CaveLattice {
    fn new(cx: i32, cy: i32) -> Self {
        let n = (CHUNK / CAVE_STEP + 1) as usize;
        Self {
            origin: (cx * CHUNK, cy * CHUNK),
            n,
            values: Vec::with_capacity(n * n * LEVELS),
        }
    }

    /// Samples every level up to `k` (inclusive) not sampled yet.
    fn sample_to(&mut self, k: usize, caves: &OpenSimplex) {
        let n = self.n;
        while self.values.len() < (k + 1) * n * n {
            let z = f64::from((self.values.len() / (n * n)) as i32 * CAVE_STEP);
            for j in 0..n {
                for i in 0..n {
                    let x = f64::from(self.origin.0 + i as i32 * CAVE_STEP);
                    let y = f64::from(self.origin.1 + j as i32 * CAVE_STEP);
                    self.values
                        .push(caves.get3(x / 14.0, y / 14.0, z / 7.0) as f32);
                }
            }
        }
    }

    /// The field of chunk-local column `(lx, ly)` interpolated across x and y, at each level
    /// up to `k` (inclusive), written into `planes`.
    fn column_planes(&self, lx: i32, ly: i32, k: usize, planes: &mut [f32; LEVELS]) {
        let at = |i: usize, j: usize, k: usize| self.values[i + self.n * (j + self.n * k)];
        let (i, j) = ((lx / CAVE_STEP) as usize, (ly / CAVE_STEP) as usize);
        let s = CAVE_STEP as f32;
        let (fx, fy) = ((lx % CAVE_STEP) as f32 / s, (ly % CAVE_STEP) as f32 / s);
        for (k, plane) in planes.iter_mut().enumerate().take(k + 1) {
            *plane = lerp(
                lerp(at(i, j, k), at(i + 1, j, k), fx),
                lerp(at(i, j + 1, k), at(i + 1, j + 1, k), fx),
                fy,
            );
        }
    }
}

/// Whether the worm caves hollow out height `z` of a column whose field per level is
/// `planes` (from [`CaveLattice::column_planes`]).
#[inline]
fn hollow(planes: &[f32], z: i32) -> bool {
    let k = (z / CAVE_STEP) as usize;
    let fz = (z % CAVE_STEP) as f32 / CAVE_STEP as f32;
    lerp(planes[k], planes[k + 1], fz).abs() < 0.06
}

#[inline]
fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// What the creature balance needs to know of a chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChunkStats {
    /// Columns whose surface is grass (Crafter's grass cells: cows and zombies spawn there).
    pub grass: u32,
    /// Tunnel floor cells (Crafter's tunnels: skeletons spawn there).
    pub tunnels: u32,
    /// The highest non-air z.
    pub max_z: i32,
}

/// A creature the generator places (Crafter's `_set_object`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spawn {
    /// A cow on grass, more than 3 blocks from the spawn.
    Cow,
    /// A zombie on grass, more than 10 blocks from the spawn.
    Zombie,
    /// A skeleton in a tunnel.
    Skeleton,
}

/// One generated chunk's extras: its stats, its creatures and its tunnel floor cells.
#[derive(Clone, Debug, Default)]
pub struct Generated {
    /// The balance's counts.
    pub stats: ChunkStats,
    /// Creatures to add, at their feet cells.
    pub spawns: Vec<(Spawn, IVec3)>,
    /// Feet cells on tunnel floors (where skeletons may spawn later).
    pub tunnel_cells: Vec<IVec3>,
}

/// The kind of a column, decided as Crafter decides a cell's material.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Column {
    Grass {
        tree: bool,
    },
    Sand,
    Water {
        depth: i32,
    },
    Mountain {
        rise: i32,
        path: Option<Path>,
        ore: Block,
        lava: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Path {
    Cave,
    Tunnel,
}

/// The noise fields of one world.
#[derive(Clone)]
pub struct Terrain {
    seed: u64,
    simplex: OpenSimplex,
    caves: OpenSimplex,
    center: (f64, f64),
}

impl Terrain {
    /// The fields for `seed` in a world `size_blocks` wide.
    pub fn new(seed: u64, size_blocks: i32) -> Self {
        let low = (seed ^ (seed >> 32)) as u32;
        Self {
            seed,
            simplex: OpenSimplex::new(low),
            caves: OpenSimplex::new(low.wrapping_add(0x9E37_79B9)),
            center: (f64::from(size_blocks / 2), f64::from(size_blocks / 2)),
        }
    }

    /// Crafter's `_simplex`: noise at `(x / size, y / size)` of field `z` summed over
    /// `sizes` with their weights, normalised by the weights' sum when `normalize`. Crafter
    /// samples 3D noise with `z` naming the field; here each field is the 2D noise shifted
    /// far away by `z` (independent fields, at a third of the cost of 3D noise).
    fn field(&self, x: f64, y: f64, z: f64, sizes: &[(f64, f64)], normalize: bool) -> f64 {
        let mut value = 0.0;
        let mut total = 0.0;
        for &(size, weight) in sizes {
            value += weight * self.simplex.get2(x / size + z * FIELD_SHIFT, y / size);
            total += weight;
        }
        if normalize { value / total } else { value }
    }

    /// The start-area weight of column `(x, y)` (1 near the spawn, 0 far away).
    fn start(&self, x: f64, y: f64) -> f64 {
        let dist = ((x - self.center.0).powi(2) + (y - self.center.1).powi(2)).sqrt();
        let start = 4.0 - dist + 2.0 * self.field(x, y, 8.0, &[(3.0, 1.0)], true);
        1.0 / (1.0 + (-start).exp())
    }

    /// Column `(x, y)`'s kind, drawing its random choices from `rng`.
    fn column(&self, x: i32, y: i32, rng: &mut ChaCha8Rng) -> Column {
        let (fx, fy) = (f64::from(x), f64::from(y));
        let start = self.start(fx, fy);
        let mut water = self.field(fx, fy, 3.0, &[(15.0, 1.0), (5.0, 0.15)], false) + 0.1;
        water -= 2.0 * start;
        let mut mountain = self.field(fx, fy, 0.0, &[(15.0, 1.0), (5.0, 0.3)], true);
        mountain -= 4.0 * start + 0.3 * water;
        let mut uniform = || rng.random::<f64>();
        if start > 0.5 {
            Column::Grass { tree: false }
        } else if mountain > 0.15 {
            let rise = 2 + ((mountain - 0.15) * 40.0).round() as i32;
            let mut path = None;
            let mut ore = Block::Stone;
            let mut lava = false;
            if self.field(fx, fy, 6.0, &[(7.0, 1.0)], true) > 0.15 && mountain > 0.3 {
                path = Some(Path::Cave);
            } else if self.field(2.0 * fx, fy / 5.0, 7.0, &[(3.0, 1.0)], true) > 0.4
                || self.field(fx / 5.0, 2.0 * fy, 7.0, &[(3.0, 1.0)], true) > 0.4
            {
                path = Some(Path::Tunnel);
            } else if self.field(fx, fy, 1.0, &[(8.0, 1.0)], true) > 0.0 && uniform() > 0.85 {
                ore = Block::CoalOre;
            } else if self.field(fx, fy, 2.0, &[(6.0, 1.0)], true) > 0.4 && uniform() > 0.75 {
                ore = Block::IronOre;
            } else if mountain > 0.18 && uniform() > 0.994 {
                ore = Block::DiamondOre;
            } else if mountain > 0.3 && self.field(fx, fy, 6.0, &[(5.0, 1.0)], true) > 0.35 {
                lava = true;
            }
            Column::Mountain {
                rise,
                path,
                ore,
                lava,
            }
        } else if 0.25 < water
            && water <= 0.35
            && self.field(fx, fy, 4.0, &[(9.0, 1.0)], true) > -0.2
        {
            Column::Sand
        } else if 0.3 < water {
            Column::Water {
                depth: 1 + ((water - 0.3) * 12.0).round().clamp(0.0, 6.0) as i32,
            }
        } else {
            let tree = self.field(fx, fy, 5.0, &[(7.0, 1.0)], true) > 0.0 && uniform() > 0.8;
            Column::Grass { tree }
        }
    }

    /// Grassland's ground z at column `(x, y)`: a gentle roll around [`GROUND_Z`].
    fn ground_z(&self, x: i32, y: i32) -> i32 {
        let roll = self.field(f64::from(x), f64::from(y), 9.0, &[(24.0, 1.0)], true);
        GROUND_Z + (roll * 3.0).round() as i32
    }

    /// A uniform draw in `[0, 1)` fixed by the seed and a cell: SplitMix64's finaliser over
    /// the packed coordinates. Written by hand because it runs for every underground block
    /// (a stream generator's draw per block cost a third of generation) and needs no state.
    #[inline]
    fn cell_uniform(&self, x: i32, y: i32, z: i32) -> f64 {
        let mut h = self.seed
            ^ (x as u32 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (y as u32 as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            ^ (z as u32 as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
        h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^= h >> 31;
        // 53 bits fit an i64, whose conversion to f64 is one instruction (a u64's is not).
        (h >> 11) as i64 as f64 / (1u64 << 53) as f64
    }

    /// The block of underground cell `(x, y, z)`, `depth_below` under its column's top:
    /// stone, or now and then an ore (coal anywhere deeper than 3, iron below the sea,
    /// diamond near the bottom).
    #[inline]
    fn stone_or_ore(&self, x: i32, y: i32, z: i32, depth_below: i32) -> Block {
        let u = self.cell_uniform(x, y, z);
        if u >= 0.0195 {
            Block::Stone
        } else if u < 0.012 && depth_below > 3 {
            Block::CoalOre
        } else if u < 0.018 && z < SEA_Z - 4 {
            Block::IronOre
        } else if z < 12 {
            Block::DiamondOre
        } else {
            Block::Stone
        }
    }

    /// Generates chunk `(cx, cy)` into `blocks` (chunk-local cells, x fastest, then y, then
    /// z; all air on entry).
    pub fn generate(&self, cx: i32, cy: i32, blocks: &mut [Block]) -> Generated {
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add((cx as u64) << 32 | (cy as u64 & 0xFFFF_FFFF)),
        );
        let mut out = Generated::default();
        let mut max_z = 0;
        let mut trees = Vec::new();
        let mut lattice = CaveLattice::new(cx, cy);
        let mut planes = [0.0; LEVELS];
        for ly in 0..CHUNK {
            for lx in 0..CHUNK {
                let (x, y) = (cx * CHUNK + lx, cy * CHUNK + ly);
                let column = self.column(x, y, &mut rng);
                let dist = ((f64::from(x) - self.center.0).powi(2)
                    + (f64::from(y) - self.center.1).powi(2))
                .sqrt();
                let (top, surface) = match column {
                    Column::Grass { .. } => (self.ground_z(x, y).max(SEA_Z + 1), Block::Grass),
                    Column::Sand => (SEA_Z, Block::Sand),
                    Column::Water { depth } => (SEA_Z - depth, Block::Sand),
                    Column::Mountain { rise, .. } => {
                        (self.ground_z(x, y).max(SEA_Z + 1) + rise, Block::Stone)
                    }
                };
                put(blocks, &mut max_z, lx, ly, 0, Block::Bedrock);
                // Underground: stone, ores by depth, worm caves (lava at their bottom). The
                // caves reach up to 5 blocks below the surface.
                let below_top = top.min(HEIGHT);
                let hollows_below = (top - 4).min(HEIGHT);
                if hollows_below > 3 {
                    let k = ((hollows_below - 1) / CAVE_STEP) as usize + 1;
                    lattice.sample_to(k, &self.caves);
                    lattice.column_planes(lx, ly, k, &mut planes);
                }
                let soil = match surface {
                    Block::Sand => Some(Block::Sand),
                    Block::Stone => None,
                    _ => Some(Block::Dirt),
                };
                let column_cell = (lx + CHUNK * ly) as usize;
                // Heights 3 up to `hollows_below` are never soil and may be hollow; the rest
                // are soil near the surface and stone or ore below.
                let caves_from = 3.min(below_top);
                let caves_to = hollows_below.max(caves_from);
                for z in (1..caves_from).chain(caves_to..below_top) {
                    blocks[column_cell + LAYER * z as usize] = match soil {
                        Some(soil) if top - z <= 3 => soil,
                        _ => self.stone_or_ore(x, y, z, top - z),
                    };
                }
                for z in caves_from..caves_to {
                    blocks[column_cell + LAYER * z as usize] = if hollow(&planes, z) {
                        if z <= 5 { Block::Lava } else { Block::Air }
                    } else {
                        self.stone_or_ore(x, y, z, top - z)
                    };
                }
                put(blocks, &mut max_z, lx, ly, top, surface);
                match column {
                    Column::Water { .. } => {
                        for z in top + 1..=SEA_Z {
                            put(blocks, &mut max_z, lx, ly, z, Block::Water);
                        }
                    }
                    Column::Grass { tree } => {
                        out.stats.grass += 1;
                        let u = rng.random::<f64>();
                        let edge = lx < 2 || ly < 2 || lx >= CHUNK - 2 || ly >= CHUNK - 2;
                        if tree && !edge && dist > 2.0 {
                            trees.push((lx, ly, top));
                        } else if u > 0.97 {
                            put(blocks, &mut max_z, lx, ly, top + 1, Block::Flower);
                        } else if u > 0.8 {
                            put(blocks, &mut max_z, lx, ly, top + 1, Block::TallGrass);
                        }
                        let v = rng.random::<f64>();
                        let feet = IVec3::new(x, y, top + 1);
                        if dist > 3.0 && v > 0.985 {
                            out.spawns.push((Spawn::Cow, feet));
                        } else if dist > 10.0 && v < 0.007 {
                            out.spawns.push((Spawn::Zombie, feet));
                        }
                    }
                    Column::Mountain {
                        rise,
                        path,
                        ore,
                        lava,
                    } => {
                        // Walking level inside the mountain: the column's ore shows in its
                        // walls; caves and tunnels are corridors 3 blocks high.
                        let floor = top - rise;
                        if ore != Block::Stone {
                            put(blocks, &mut max_z, lx, ly, floor + 1, ore);
                            put(blocks, &mut max_z, lx, ly, floor + 2, ore);
                        }
                        if lava {
                            put(blocks, &mut max_z, lx, ly, floor, Block::Lava);
                        }
                        if let Some(path) = path {
                            let headroom = if path == Path::Cave { 4 } else { 3 };
                            for z in floor + 1..=(floor + headroom).min(top - 1) {
                                put(blocks, &mut max_z, lx, ly, z, Block::Air);
                            }
                            if path == Path::Tunnel {
                                let feet = IVec3::new(x, y, floor + 1);
                                out.stats.tunnels += 1;
                                out.tunnel_cells.push(feet);
                                if rng.random::<f64>() > 0.95 {
                                    out.spawns.push((Spawn::Skeleton, feet));
                                }
                            }
                        }
                    }
                    Column::Sand => {}
                }
            }
        }
        for (lx, ly, top) in trees {
            let height = 4 + (rng.random::<u32>() % 2) as i32;
            for dz in 1..=height {
                put(blocks, &mut max_z, lx, ly, top + dz, Block::Log);
            }
            for dz in height - 1..=height + 1 {
                let r: i32 = if dz > height { 1 } else { 2 };
                for dy in -r..=r {
                    for dx in -r..=r {
                        if (dx, dy) == (0, 0) && dz <= height || dx.abs() == 2 && dy.abs() == 2 {
                            continue;
                        }
                        put(
                            blocks,
                            &mut max_z,
                            lx + dx,
                            ly + dy,
                            top + dz,
                            Block::Leaves,
                        );
                    }
                }
            }
        }
        out.stats.max_z = max_z;
        out
    }
}

/// Blocks per horizontal layer of a chunk.
const LAYER: usize = (CHUNK * CHUNK) as usize;

/// Writes `block` at chunk-local `(x, y, z)` unless z is outside the column, raising `max_z`
/// to z when the block is not air.
#[inline]
fn put(blocks: &mut [Block], max_z: &mut i32, x: i32, y: i32, z: i32, block: Block) {
    if (0..HEIGHT).contains(&z) {
        blocks[(x + CHUNK * y) as usize + LAYER * z as usize] = block;
        if block != Block::Air {
            *max_z = (*max_z).max(z);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::block::Block;
    use crate::world::{HEIGHT, World};
    use glam::IVec3;

    #[test]
    fn worlds_hold_every_natural_block_and_spawn_on_grass() {
        let mut seen = [0u64; Block::ALL.len()];
        for seed in 0..4 {
            let mut world = World::new(seed, 8);
            let size = world.size_blocks();
            let _ = world.ensure_around(IVec3::new(size / 2, size / 2, 0), size);
            let (sx, sy) = world.spawn_column();
            let top = world.top_solid_z(sx, sy);
            assert_eq!(
                world.block(IVec3::new(sx, sy, top)),
                Block::Grass,
                "seed {seed}"
            );
            for x in 0..size {
                for y in 0..size {
                    for z in 0..HEIGHT {
                        seen[world.block(IVec3::new(x, y, z)) as usize] += 1;
                    }
                }
            }
        }
        for block in [
            Block::Grass,
            Block::Dirt,
            Block::Stone,
            Block::Sand,
            Block::Water,
            Block::Log,
            Block::Leaves,
            Block::TallGrass,
            Block::Flower,
            Block::CoalOre,
            Block::IronOre,
            Block::DiamondOre,
            Block::Lava,
            Block::Bedrock,
        ] {
            assert!(seen[block as usize] > 0, "no {block:?} in four worlds");
        }
        assert_eq!(
            seen[Block::Table as usize] + seen[Block::Furnace as usize],
            0
        );
    }
}
