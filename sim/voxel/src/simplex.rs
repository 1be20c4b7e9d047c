//! OpenSimplex noise in 2D and 3D, bit for bit the values of the `noise` crate's
//! `OpenSimplex` (0.9) for the same seed, at a fraction of the cost: terrain generation
//! spends most of its time here.
//!
//! The arithmetic is the crate's, operation by operation and in the same order (including
//! its `0.0 + …` sums and its floor, which maps an integral `v ≤ 0` to `v − 1`), so that no
//! value differs in its last bit; only the generic vector code, the checked numeric casts
//! and the gradient `match` are gone. The permutation table is read from the crate's own
//! `PermutationTable`.

use noise::permutationtable::{NoiseHasher, PermutationTable};

const DIAG: f64 = std::f64::consts::FRAC_1_SQRT_2;
const DIAG3: f64 = 0.577_350_269_189_625_8;

/// The crate's 2D gradients, by hash modulo 8.
const GRAD2: [[f64; 2]; 8] = [
    [1.0, 0.0],
    [-1.0, 0.0],
    [0.0, 1.0],
    [0.0, -1.0],
    [DIAG, DIAG],
    [-DIAG, DIAG],
    [DIAG, -DIAG],
    [-DIAG, -DIAG],
];

/// The crate's 3D gradients, by hash modulo 32 (12 edges twice, then 8 corners).
const GRAD3: [[f64; 3]; 32] = {
    let edges = [
        [DIAG, DIAG, 0.0],
        [-DIAG, DIAG, 0.0],
        [DIAG, -DIAG, 0.0],
        [-DIAG, -DIAG, 0.0],
        [DIAG, 0.0, DIAG],
        [-DIAG, 0.0, DIAG],
        [DIAG, 0.0, -DIAG],
        [-DIAG, 0.0, -DIAG],
        [0.0, DIAG, DIAG],
        [0.0, -DIAG, DIAG],
        [0.0, DIAG, -DIAG],
        [0.0, -DIAG, -DIAG],
    ];
    let corners = [
        [DIAG3, DIAG3, DIAG3],
        [-DIAG3, DIAG3, DIAG3],
        [DIAG3, -DIAG3, DIAG3],
        [-DIAG3, -DIAG3, DIAG3],
        [DIAG3, DIAG3, -DIAG3],
        [-DIAG3, DIAG3, -DIAG3],
        [DIAG3, -DIAG3, -DIAG3],
        [-DIAG3, -DIAG3, -DIAG3],
    ];
    let mut all = [[0.0; 3]; 32];
    let mut i = 0;
    while i < 24 {
        all[i] = edges[i % 12];
        i += 1;
    }
    while i < 32 {
        all[i] = corners[i - 24];
        i += 1;
    }
    all
};

const NORM: f64 = 1.0 / 14.0;

/// The crate's floor: `v as isize`, minus one when `v ≤ 0` (so also for integral `v ≤ 0`).
#[inline(always)]
fn floor(v: f64) -> isize {
    let i = v as isize;
    if v <= 0.0 { i - 1 } else { i }
}

/// One seed's OpenSimplex noise.
#[derive(Clone)]
pub struct OpenSimplex {
    perm: [u8; 256],
}

impl OpenSimplex {
    /// The noise of `seed` (the `noise` crate's `OpenSimplex::new(seed)`).
    pub fn new(seed: u32) -> Self {
        let table = PermutationTable::new(seed);
        // Hashing one coordinate reads the table at that coordinate.
        Self {
            perm: std::array::from_fn(|i| table.hash(&[i as isize]) as u8),
        }
    }

    // The crate hashes a vertex from its coordinates as floats cast back to integers; the
    // floors are integers already and adding 0 or 1 to them is exact, so these take them
    // as integers.

    #[inline(always)]
    fn hash2(&self, x: isize, y: isize) -> usize {
        let a = self.perm[(x & 0xff) as usize] as usize ^ (y & 0xff) as usize;
        self.perm[a] as usize
    }

    #[inline(always)]
    fn hash3(&self, x: isize, y: isize, z: isize) -> usize {
        let a = self.perm[(x & 0xff) as usize] as usize ^ (y & 0xff) as usize;
        let b = self.perm[a] as usize ^ (z & 0xff) as usize;
        self.perm[b] as usize
    }

    /// The noise at `(x, y)`.
    #[inline]
    pub fn get2(&self, x: f64, y: f64) -> f64 {
        const STRETCH: f64 = -0.211_324_865_405_187;
        const SQUISH: f64 = 0.366_025_403_784_439;
        let stretch_offset = (0.0 + x + y) * STRETCH;
        let (sx, sy) = (x + stretch_offset, y + stretch_offset);
        let (ix, iy) = (floor(sx), floor(sy));
        let (fx, fy) = (ix as f64, iy as f64);
        let squish_offset = (0.0 + fx + fy) * SQUISH;
        let (px, py) = (x - (fx + squish_offset), y - (fy + squish_offset));
        let region_sum = 0.0 + (sx - fx) + (sy - fy);
        let contribute = |ox: isize, oy: isize| {
            let (ox, oy, hx, hy) = (ox as f64, oy as f64, ix + ox, iy + oy);
            let squish = SQUISH * (0.0 + ox + oy);
            let (dx, dy) = (px - squish - ox, py - squish - oy);
            let t = 2.0 - (0.0 + dx * dx + dy * dy);
            if t > 0.0 {
                let g = GRAD2[self.hash2(hx, hy) % 8];
                t.powi(4) * (0.0 + dx * g[0] + dy * g[1])
            } else {
                0.0
            }
        };
        let mut value = 0.0;
        value += contribute(1, 0);
        value += contribute(0, 1);
        if region_sum > 1.0 {
            value += contribute(1, 1);
        } else {
            value += contribute(0, 0);
        }
        value * NORM
    }

    /// The noise at `(x, y, z)`.
    #[inline]
    pub fn get3(&self, x: f64, y: f64, z: f64) -> f64 {
        const STRETCH: f64 = -1.0 / 6.0;
        const SQUISH: f64 = 1.0 / 3.0;
        let stretch_offset = (0.0 + x + y + z) * STRETCH;
        let (sx, sy, sz) = (x + stretch_offset, y + stretch_offset, z + stretch_offset);
        let (ix, iy, iz) = (floor(sx), floor(sy), floor(sz));
        let (fx, fy, fz) = (ix as f64, iy as f64, iz as f64);
        let squish_offset = (0.0 + fx + fy + fz) * SQUISH;
        let (px, py, pz) = (
            x - (fx + squish_offset),
            y - (fy + squish_offset),
            z - (fz + squish_offset),
        );
        let region_sum = 0.0 + (sx - fx) + (sy - fy) + (sz - fz);
        let contribute = |ox: isize, oy: isize, oz: isize| {
            let (hx, hy, hz) = (ix + ox, iy + oy, iz + oz);
            let (ox, oy, oz) = (ox as f64, oy as f64, oz as f64);
            let squish = SQUISH * (0.0 + ox + oy + oz);
            let (dx, dy, dz) = (px - squish - ox, py - squish - oy, pz - squish - oz);
            let t = 2.0 - (0.0 + dx * dx + dy * dy + dz * dz);
            if t > 0.0 {
                let g = GRAD3[self.hash3(hx, hy, hz) % 32];
                t.powi(4) * (0.0 + dx * g[0] + dy * g[1] + dz * g[2])
            } else {
                0.0
            }
        };
        let mut value = 0.0;
        if region_sum <= 1.0 {
            value += contribute(0, 0, 0);
            value += contribute(1, 0, 0);
            value += contribute(0, 1, 0);
            value += contribute(0, 0, 1);
        } else if region_sum >= 2.0 {
            value += contribute(1, 1, 0);
            value += contribute(1, 0, 1);
            value += contribute(0, 1, 1);
            value += contribute(1, 1, 1);
        } else {
            value += contribute(1, 0, 0);
            value += contribute(0, 1, 0);
            value += contribute(0, 0, 1);
            value += contribute(1, 1, 0);
            value += contribute(1, 0, 1);
            value += contribute(0, 1, 1);
        }
        value * NORM
    }
}

#[cfg(test)]
mod tests {
    use super::OpenSimplex;
    use noise::NoiseFn;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn bit_identical_to_the_noise_crate() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for seed in [0u32, 1, 0x9E37_79B9, 123_456_789, u32::MAX] {
            let ours = OpenSimplex::new(seed);
            let theirs = noise::OpenSimplex::new(seed);
            for n in 0..20_000 {
                // Lattice points, integral and negative coordinates, then any.
                let scale = [1.0, 0.25, 1.0 / 3.0, 100.0, 3000.0][n % 5];
                let (x, y, z) = if n % 7 == 0 {
                    let mut i = || f64::from(rng.random_range(-40..40)) * scale;
                    (i(), i(), i())
                } else {
                    let mut f = || rng.random_range(-1.0..1.0) * scale;
                    (f(), f(), f())
                };
                let (a, b) = (ours.get2(x, y), theirs.get([x, y]));
                assert_eq!(a.to_bits(), b.to_bits(), "2D seed {seed} at {x}, {y}");
                let (a, b) = (ours.get3(x, y, z), theirs.get([x, y, z]));
                assert_eq!(a.to_bits(), b.to_bits(), "3D seed {seed} at {x}, {y}, {z}");
            }
        }
    }
}
