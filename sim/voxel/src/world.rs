//! The block store: a square of chunks generated from the seed, all at once or as needed.
//!
//! Chunks are `CHUNK × CHUNK` columns of `HEIGHT` blocks, held in one fixed grid of
//! `size_chunks²` slots so that a block lookup is two shifts and two indexings (the
//! renderer's ray casting does millions per frame). A Crafter episode generates every chunk
//! at its start; in the MineRL space a chunk is generated the first time the agent comes near
//! it. Generation reads only the seed and the chunk's coordinates, so the world is the same
//! whatever order chunks are generated in.

use crate::block::Block;
use crate::terrain::{ChunkStats, Generated, Spawn, Terrain};
use glam::IVec3;

/// Columns per chunk side.
pub const CHUNK: i32 = 16;
/// Blocks per column (z from 0 to `HEIGHT - 1`).
pub const HEIGHT: i32 = 64;
const CHUNK_VOLUME: usize = (CHUNK * CHUNK * HEIGHT) as usize;

/// One generated chunk: its blocks (x fastest, then y, then z) and the counts the creature
/// balance reads.
#[derive(Clone)]
pub(crate) struct Chunk {
    pub(crate) blocks: Box<[Block; CHUNK_VOLUME]>,
    pub(crate) stats: ChunkStats,
    pub(crate) tunnel_cells: Vec<IVec3>,
    /// Per column (x fastest): the z of its highest solid block, 0 when there is none; kept
    /// in step with every edit, so [`World::top_solid_z`] (the creature balance asks for a
    /// random column's top several times a step) is one lookup, not a scan down the column.
    tops: Box<[u8; (CHUNK * CHUNK) as usize]>,
}

impl Chunk {
    /// The highest solid block of world column `(x, y)` (in this chunk) at or below `from_z`
    /// (0 when none).
    fn scan_top(&self, x: i32, y: i32, from_z: i32) -> u8 {
        (0..=from_z)
            .rev()
            .find(|&z| self.blocks[World::index(IVec3::new(x, y, z))].is_solid())
            .unwrap_or(0) as u8
    }
}

/// The index of world column `(x, y)` in its chunk's [`Chunk::tops`] (x fastest).
#[inline]
fn column_in_chunk(x: i32, y: i32) -> usize {
    ((x & (CHUNK - 1)) + CHUNK * (y & (CHUNK - 1))) as usize
}

/// The voxel world's blocks.
#[derive(Clone)]
pub struct World {
    seed: u64,
    size_chunks: i32,
    terrain: Terrain,
    chunks: Vec<Option<Chunk>>,
    /// How many of `chunks` are generated.
    generated: usize,
    /// The highest non-air block z anywhere generated so far (rays above it see sky).
    max_z: i32,
    /// The chunk window (lowest x, highest x, lowest y, highest y) the last
    /// [`World::ensure_around`] generated whole: the agent mostly stays inside one, and
    /// chunks are never dropped, so asking for it again has nothing to do.
    ensured: Option<[i32; 4]>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("seed", &self.seed)
            .field("size_chunks", &self.size_chunks)
            .field("generated", &self.generated_chunks())
            .finish()
    }
}

impl World {
    /// An empty world of `size_chunks × size_chunks` chunks for `seed`; nothing is generated
    /// until [`World::ensure_around`].
    pub fn new(seed: u64, size_chunks: u32) -> Self {
        let size_chunks = size_chunks.clamp(1, 64) as i32;
        Self {
            seed,
            size_chunks,
            terrain: Terrain::new(seed, size_chunks * CHUNK),
            chunks: vec![None; (size_chunks * size_chunks) as usize],
            generated: 0,
            max_z: 0,
            ensured: None,
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The side of the world in blocks.
    pub fn size_blocks(&self) -> i32 {
        self.size_chunks * CHUNK
    }

    /// How many chunks are generated.
    pub fn generated_chunks(&self) -> usize {
        self.generated
    }

    /// Whether every chunk is generated.
    pub fn fully_generated(&self) -> bool {
        self.generated == self.chunks.len()
    }

    /// The highest z holding anything but air.
    #[inline]
    pub fn max_z(&self) -> i32 {
        self.max_z
    }

    /// The slot of the chunk holding column `(x, y)`, when inside the world.
    #[inline]
    fn slot(&self, x: i32, y: i32) -> Option<usize> {
        let size = self.size_blocks();
        if x < 0 || y < 0 || x >= size || y >= size {
            return None;
        }
        Some(((x >> 4) + (y >> 4) * self.size_chunks) as usize)
    }

    #[inline]
    fn index(cell: IVec3) -> usize {
        ((cell.x & (CHUNK - 1)) + CHUNK * ((cell.y & (CHUNK - 1)) + CHUNK * cell.z)) as usize
    }

    /// The block at `cell`: bedrock outside the world's sides and below it, air above it and
    /// in chunks not generated yet.
    #[inline]
    pub fn block(&self, cell: IVec3) -> Block {
        if cell.z < 0 {
            return Block::Bedrock;
        }
        if cell.z >= HEIGHT {
            return Block::Air;
        }
        match self.slot(cell.x, cell.y) {
            None => Block::Bedrock,
            Some(slot) => match &self.chunks[slot] {
                Some(chunk) => chunk.blocks[Self::index(cell)],
                None => Block::Air,
            },
        }
    }

    /// Sets the block at `cell` (ignored outside the world, at z = 0 and in chunks not
    /// generated). Returns whether it changed.
    pub fn set_block(&mut self, cell: IVec3, block: Block) -> bool {
        if cell.z <= 0 || cell.z >= HEIGHT {
            return false;
        }
        let Some(slot) = self.slot(cell.x, cell.y) else {
            return false;
        };
        let index = Self::index(cell);
        let below = if cell.z > 0 {
            Some(Self::index(cell - IVec3::Z))
        } else {
            None
        };
        let Some(chunk) = self.chunks[slot].as_mut() else {
            return false;
        };
        let old = chunk.blocks[index];
        if old == block {
            return false;
        }
        chunk.blocks[index] = block;
        let column = column_in_chunk(cell.x, cell.y);
        let top = i32::from(chunk.tops[column]);
        if block.is_solid() && cell.z > top {
            chunk.tops[column] = cell.z as u8;
        } else if !block.is_solid() && cell.z == top {
            chunk.tops[column] = chunk.scan_top(cell.x, cell.y, cell.z - 1);
        }
        // Keep the balance's counts of surface grass in step with the edit.
        let was_surface_grass =
            old == Block::Air && below.is_some_and(|b| chunk.blocks[b] == Block::Grass);
        if was_surface_grass {
            chunk.stats.grass = chunk.stats.grass.saturating_sub(1);
        }
        if block != Block::Air {
            self.max_z = self.max_z.max(cell.z);
        }
        true
    }

    /// Generates every chunk within `radius_blocks` (horizontally) of `center` that is not
    /// generated yet. Returns the creatures the new chunks start with, in chunk order.
    pub fn ensure_around(&mut self, center: IVec3, radius_blocks: i32) -> Vec<(Spawn, IVec3)> {
        let size = self.size_blocks();
        let lo_x = (center.x - radius_blocks).clamp(0, size - 1) >> 4;
        let hi_x = (center.x + radius_blocks).clamp(0, size - 1) >> 4;
        let lo_y = (center.y - radius_blocks).clamp(0, size - 1) >> 4;
        let hi_y = (center.y + radius_blocks).clamp(0, size - 1) >> 4;
        let window = [lo_x, hi_x, lo_y, hi_y];
        let mut spawns = Vec::new();
        if self.ensured == Some(window) {
            return spawns;
        }
        self.ensured = Some(window);
        for cy in lo_y..=hi_y {
            for cx in lo_x..=hi_x {
                if let Some(generated) = self.generate_chunk(cx, cy) {
                    spawns.extend(generated.spawns);
                }
            }
        }
        spawns
    }

    /// Generates chunk `(cx, cy)` unless it is generated (or outside the world); returns
    /// what the generator made besides blocks.
    pub fn generate_chunk(&mut self, cx: i32, cy: i32) -> Option<Generated> {
        if cx < 0 || cy < 0 || cx >= self.size_chunks || cy >= self.size_chunks {
            return None;
        }
        let slot = (cx + cy * self.size_chunks) as usize;
        if self.chunks[slot].is_some() {
            return None;
        }
        let mut blocks = Box::new([Block::Air; CHUNK_VOLUME]);
        let mut generated = self.terrain.generate(cx, cy, &mut blocks[..]);
        self.max_z = self.max_z.max(generated.stats.max_z);
        self.generated += 1;
        let mut chunk = Chunk {
            blocks,
            stats: generated.stats,
            tunnel_cells: std::mem::take(&mut generated.tunnel_cells),
            tops: Box::new([0; (CHUNK * CHUNK) as usize]),
        };
        for y in 0..CHUNK {
            for x in 0..CHUNK {
                chunk.tops[column_in_chunk(x, y)] =
                    chunk.scan_top(x, y, generated.stats.max_z.min(HEIGHT - 1));
            }
        }
        self.chunks[slot] = Some(chunk);
        Some(generated)
    }

    /// The tunnel floor cells of chunk `(cx, cy)` (empty when not generated).
    pub(crate) fn tunnel_cells(&self, cx: i32, cy: i32) -> &[IVec3] {
        let slot = (cx + cy * self.size_chunks) as usize;
        match self.chunks.get(slot) {
            Some(Some(chunk)) => &chunk.tunnel_cells,
            _ => &[],
        }
    }

    /// The counts of the chunk in `slot` (`cx + cy × side`), when it is generated.
    pub(crate) fn chunk_stats(&self, slot: usize) -> Option<ChunkStats> {
        self.chunks.get(slot)?.as_ref().map(|c| c.stats)
    }

    /// The z of the highest solid block of column `(x, y)` (0 when there is none).
    pub fn top_solid_z(&self, x: i32, y: i32) -> i32 {
        match self.slot(x, y) {
            Some(slot) => self.chunks[slot]
                .as_ref()
                .map_or(0, |chunk| i32::from(chunk.tops[column_in_chunk(x, y)])),
            // Bedrock all the way up outside the world's sides.
            None => HEIGHT - 1,
        }
    }

    /// The spawn column: the world's centre (Crafter's player starts at the centre, where
    /// the generator's start area guarantees grass).
    pub fn spawn_column(&self) -> (i32, i32) {
        (self.size_blocks() / 2, self.size_blocks() / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_is_bedrock_above_is_air_ungenerated_is_air() {
        let mut world = World::new(3, 2);
        assert_eq!(world.block(IVec3::new(-1, 5, 30)), Block::Bedrock);
        assert_eq!(world.block(IVec3::new(5, 5, HEIGHT)), Block::Air);
        assert_eq!(world.block(IVec3::new(5, 5, 0)), Block::Air);
        let _ = world.ensure_around(IVec3::new(5, 5, 30), 0);
        assert_eq!(world.generated_chunks(), 1);
        assert_eq!(world.block(IVec3::new(5, 5, 0)), Block::Bedrock);
    }

    #[test]
    fn generation_order_does_not_change_the_world() {
        let mut a = World::new(11, 3);
        let mut b = World::new(11, 3);
        for c in 0..9 {
            a.generate_chunk(c % 3, c / 3);
            b.generate_chunk(2 - c % 3, 2 - c / 3);
        }
        for x in 0..48 {
            for y in 0..48 {
                for z in 0..HEIGHT {
                    let cell = IVec3::new(x, y, z);
                    assert_eq!(a.block(cell), b.block(cell), "{cell}");
                }
            }
        }
    }

    #[test]
    fn edits_stick_but_not_outside_or_on_the_floor() {
        let mut world = World::new(1, 1);
        let _ = world.ensure_around(IVec3::ZERO, 1);
        assert!(world.set_block(IVec3::new(3, 3, 60), Block::Stone));
        assert_eq!(world.block(IVec3::new(3, 3, 60)), Block::Stone);
        assert!(!world.set_block(IVec3::new(3, 3, 0), Block::Air));
        assert!(!world.set_block(IVec3::new(-3, 3, 10), Block::Air));
        assert_eq!(world.max_z(), 60);
    }

    /// The highest solid block of a column found by scanning it, as `top_solid_z` did before
    /// the per-column tops.
    fn scanned_top(world: &World, x: i32, y: i32) -> i32 {
        (0..HEIGHT)
            .rev()
            .find(|&z| world.block(IVec3::new(x, y, z)).is_solid())
            .unwrap_or(0)
    }

    #[test]
    fn column_tops_follow_generation_and_every_edit() {
        use rand::{Rng, SeedableRng};
        let mut world = World::new(5, 2);
        let _ = world.ensure_around(IVec3::new(8, 8, 0), 0);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let blocks = [
            Block::Air,
            Block::Stone,
            Block::Water,
            Block::Flower,
            Block::Log,
        ];
        for edit in 0..20_000 {
            // Columns of the generated chunk, the ungenerated one beside it, and outside.
            let (x, y) = (rng.random_range(-2..20), rng.random_range(-2..20));
            let z = rng.random_range(0..HEIGHT);
            let _ = world.set_block(IVec3::new(x, y, z), blocks[rng.random_range(0..5)]);
            for (x, y) in [(x, y), (rng.random_range(-2..34), rng.random_range(-2..34))] {
                assert_eq!(
                    world.top_solid_z(x, y),
                    scanned_top(&world, x, y),
                    "column ({x}, {y}) after edit {edit}"
                );
            }
        }
        let _ = world.ensure_around(IVec3::new(16, 16, 0), 32);
        for x in -1..33 {
            for y in -1..33 {
                assert_eq!(
                    world.top_solid_z(x, y),
                    scanned_top(&world, x, y),
                    "({x}, {y})"
                );
            }
        }
    }
}
