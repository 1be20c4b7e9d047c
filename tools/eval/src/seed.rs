//! Per-episode seeds.

use std::hash::Hasher;

/// The seed of one episode: a stable hash (FNV-1a, the same on every platform and release) of
/// the run's seed and the instruction id, so results do not depend on worker count or order.
pub fn episode_seed(run_seed: u64, instr_id: &str) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(&run_seed.to_le_bytes());
    hasher.write(instr_id.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_stable_and_distinct() {
        assert_eq!(episode_seed(0, "1_0"), episode_seed(0, "1_0"));
        assert_ne!(episode_seed(0, "1_0"), episode_seed(0, "1_1"));
        assert_ne!(episode_seed(0, "1_0"), episode_seed(1, "1_0"));
        // Pinned: a change here silently changes every published random-agent result.
        assert_eq!(episode_seed(0, "1_0"), 0x6027_fbdc_eaa1_846b);
    }
}
