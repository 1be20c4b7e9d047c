//! First-person frames per second of the voxel renderer (one core), and view rays per second.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::{IVec3, Vec3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use waymark_voxel::render::{Body, Camera, Frame, Lighting, cast_ray, render};
use waymark_voxel::{Block, World};

/// 64 poses at eye height (1.62 m) over grass, looking roughly horizontally.
fn poses(world: &World) -> Vec<Camera> {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let size = world.size_blocks();
    let mut poses = Vec::new();
    while poses.len() < 64 {
        let (x, y) = (rng.random_range(8..size - 8), rng.random_range(8..size - 8));
        let ground = world.top_solid_z(x, y);
        if world.block(IVec3::new(x, y, ground)) == Block::Grass {
            poses.push(Camera {
                eye_m: Vec3::new(x as f32 + 0.5, y as f32 + 0.5, ground as f32 + 1.0 + 1.62),
                yaw_deg: rng.random_range(0.0..360.0),
                pitch_deg: rng.random_range(-20.0..20.0),
                hfov_deg: 90.0,
            });
        }
    }
    poses
}

fn bench(c: &mut Criterion) {
    let mut world = World::new(7, 8);
    let _ = world.ensure_around(IVec3::new(64, 64, 30), 128);
    let cameras = poses(&world);
    // A few creatures near each pose, as an episode would have.
    let bodies: Vec<Body> = cameras
        .iter()
        .step_by(4)
        .map(|c| {
            let at = c.eye_m + Vec3::new(2.0, 3.0, -1.62);
            Body {
                min_m: at - Vec3::new(0.45, 0.45, 0.0),
                max_m: at + Vec3::new(0.45, 0.45, 1.4),
                rgb: [120, 90, 70],
            }
        })
        .collect();
    let lighting = Lighting {
        daylight: 1.0,
        underwater: false,
    };
    let mut group = c.benchmark_group("voxel_render");
    group.sample_size(20);
    group.throughput(Throughput::Elements(cameras.len() as u64));
    for side in [64, 128] {
        let mut frame = Frame::new(side, side);
        group.bench_function(format!("frames_{side}x{side}"), |b| {
            b.iter(|| {
                for camera in &cameras {
                    render(&world, &bodies, camera, lighting, &mut frame);
                }
                black_box(frame.depth_m[0])
            })
        });
    }
    let rays: Vec<(Vec3, Vec3)> = cameras
        .iter()
        .flat_map(|c| {
            (0..16).map(move |k| {
                let yaw = (c.yaw_deg + k as f32 * 22.5).to_radians();
                (c.eye_m, Vec3::new(yaw.sin(), yaw.cos(), -0.3))
            })
        })
        .collect();
    group.throughput(Throughput::Elements(rays.len() as u64));
    group.bench_function("cast_ray_5m", |b| {
        b.iter(|| {
            rays.iter()
                .filter(|(o, d)| cast_ray(&world, *o, *d, 5.0, |b| b.is_targetable()).is_some())
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
