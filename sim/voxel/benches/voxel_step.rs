//! Steps per second of the voxel world on one core without rendering (uniformly random
//! Crafter actions and MineRL ticks, on episodes already started), and world generation time
//! per chunk.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use waymark_core::{CrafterAction, MineRlInput, VoxelActionSpace};
use waymark_voxel::{Game, GameConfig, World};

const STEPS: u64 = 1_000;

fn game(space: VoxelActionSpace) -> Game {
    Game::new(GameConfig {
        seed: 3,
        size_chunks: 8,
        action_space: space,
    })
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("voxel_step");
    group.throughput(Throughput::Elements(STEPS));
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut crafter = game(VoxelActionSpace::Crafter);
    // Only the steps are timed: a new episode after a death starts outside the clock (its
    // cost is the world generation measured below). Crafter's world is generated whole at
    // the start, so no Crafter step generates terrain.
    group.bench_function("crafter_random_1000_steps", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..STEPS {
                    let action = CrafterAction::ALL[rng.random_range(0..17)];
                    let start = std::time::Instant::now();
                    crafter.step_crafter(action);
                    spent += start.elapsed();
                    if crafter.dead() {
                        crafter = game(VoxelActionSpace::Crafter);
                    }
                }
            }
            black_box(crafter.steps);
            spent
        })
    });
    let mut minerl = game(VoxelActionSpace::Minerl);
    group.bench_function("minerl_random_1000_ticks", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..STEPS {
                    let input = MineRlInput {
                        forward: rng.random_bool(0.5),
                        jump: rng.random_bool(0.5),
                        attack: rng.random_bool(0.5),
                        camera: [rng.random_range(-10.0..10.0), rng.random_range(-10.0..10.0)],
                        ..Default::default()
                    };
                    let start = std::time::Instant::now();
                    minerl.step_minerl(&input);
                    spent += start.elapsed();
                    if minerl.dead() {
                        minerl = game(VoxelActionSpace::Minerl);
                    }
                }
            }
            black_box(minerl.steps);
            spent
        })
    });
    group.finish();
    let mut gen_group = c.benchmark_group("voxel_world");
    gen_group.throughput(Throughput::Elements(64));
    gen_group.bench_function("generate_64_chunks", |b| {
        b.iter(|| {
            let mut world = World::new(black_box(11), 8);
            for cy in 0..8 {
                for cx in 0..8 {
                    world.generate_chunk(cx, cy);
                }
            }
            black_box(world.max_z())
        })
    });
    gen_group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
