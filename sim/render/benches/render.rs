//! Frames per second of the CPU renderer (RGB + depth + instance in one pass) on one core:
//! the shipped apartment, and `office_chairs.ply` when `WAYMARK_REAL_DATA` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use std::hint::black_box;
use waymark_render::{Frame, PinholeCamera, RenderScene, Renderer, panorama};
use waymark_scenes::scene::{Scene, UpAxis};

fn office_chairs() -> Option<Scene> {
    let dir = std::env::var_os("WAYMARK_REAL_DATA")?;
    let path = std::path::Path::new(&dir).join("scans/office_chairs.ply");
    Some(waymark_scenes::read_ply_scene(&path, Some(UpAxis::Z)).expect("office_chairs.ply loads"))
}

fn bench_scene(c: &mut Criterion, name: &str, scene: &Scene) {
    let prepared = RenderScene::new(scene);
    let (min, max) = scene.mesh.positions_m.iter().fold(
        (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN)),
        |(lo, hi), p| (lo.min(*p), hi.max(*p)),
    );
    // The middle of the scene's footprint at eye height above its floor.
    let centre = Vec3::new(
        (min.x + max.x) / 2.0,
        (min.y + max.y) / 2.0,
        (min.z + 1.5).min(max.z),
    );
    let mut group = c.benchmark_group(format!("render_{name}"));
    group.throughput(Throughput::Elements(1));
    for size in [128u32, 256] {
        let camera = PinholeCamera {
            position_m: centre,
            heading_rad: 0.7,
            elevation_rad: 0.0,
            hfov_deg: 90.0,
            width: size,
            height: size,
        };
        let mut renderer = Renderer::new();
        let mut frame = Frame::new(size, size);
        group.bench_function(format!("rgb_depth_instance_{size}px"), |b| {
            b.iter(|| {
                renderer.render_into(&prepared, &camera, &mut frame);
                black_box(frame.depth_m[0])
            })
        });
    }
    let mut renderer = Renderer::new();
    group.bench_function("mattersim_36_views_128x96", |b| {
        b.iter(|| {
            black_box(
                panorama::mattersim_views(&mut renderer, &prepared, centre, 128, 96, 60.0).len(),
            )
        })
    });
    group.finish();
}

fn bench_render(c: &mut Criterion) {
    let apartment = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/apartments/apartment_a.ply");
    let scene =
        waymark_scenes::read_ply_scene(&apartment, None).expect("the shipped apartment loads");
    bench_scene(c, "apartment_a", &scene);
    if let Some(scene) = office_chairs() {
        bench_scene(c, "office_chairs", &scene);
    }
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
