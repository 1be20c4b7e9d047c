//! Where a task's agent starts: a walkable pose drawn from the scene and the episode id, so
//! that every run, seed and worker count starts the task at the same pose.

use glam::Vec3;
use std::hash::Hasher;
use waymark_continuous::WalkableGrid;

/// FNV-1a (64 bits) of the text's bytes: unlike the standard library's hashers, it stays
/// the same across Rust versions and platforms.
fn fnv1a(text: &str) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// The start of episode `episode_id` in scene `scene`: the centre of a walkable cell of the
/// largest island and a heading that is a multiple of 15°, both drawn from the hash of
/// `scene/episode_id`; `None` when nothing is walkable.
pub fn start_pose(grid: &WalkableGrid, scene: &str, episode_id: &str) -> Option<(Vec3, f32)> {
    let island = grid.largest_island()?;
    let (nx, ny) = grid.dims();
    let cells: Vec<usize> = (0..nx * ny)
        .filter(|&c| grid.is_walkable(c) && grid.island(c) == island)
        .collect();
    let hash = fnv1a(&format!("{scene}/{episode_id}"));
    let cell = *cells.get((hash % cells.len().max(1) as u64) as usize)?;
    let heading_deg = ((hash >> 40) % 24) as f32 * 15.0;
    Some((grid.centre(cell), heading_deg.to_radians()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }
}
