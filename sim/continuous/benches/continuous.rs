//! Walkable-area builds, geodesic queries and agent physics steps per second.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use std::hint::black_box;
use std::sync::Arc;
use waymark_continuous::agent::{AgentBody, CollisionWorld};
use waymark_continuous::{GeodesicField, WalkableConfig, WalkableGrid};
use waymark_scenes::scene::{Scene, UpAxis};

fn scenes() -> Vec<(String, Scene)> {
    let apartment = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/apartments/apartment_a.ply");
    let mut out = vec![(
        "apartment_a".to_string(),
        waymark_scenes::read_ply_scene(&apartment, None).unwrap(),
    )];
    if let Some(dir) = std::env::var_os("WAYMARK_REAL_DATA") {
        let path = std::path::Path::new(&dir).join("scans/office_chairs.ply");
        out.push((
            "office_chairs".to_string(),
            waymark_scenes::read_ply_scene(&path, Some(UpAxis::Z)).unwrap(),
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let config = WalkableConfig::default();
    for (name, scene) in scenes() {
        let mut group = c.benchmark_group(format!("continuous_{name}"));
        group.sample_size(10);
        group.bench_function("walkable_build", |b| {
            b.iter(|| black_box(WalkableGrid::build(&scene, &config).unwrap().area_m2()))
        });
        let grid = WalkableGrid::build(&scene, &config).unwrap();
        let island = grid.largest_island().unwrap();
        let (nx, ny) = grid.dims();
        let cells: Vec<usize> = (0..nx * ny).filter(|&c| grid.island(c) == island).collect();
        let goal = grid.centre(cells[cells.len() / 3]);
        group.bench_function("geodesic_field", |b| {
            b.iter(|| black_box(GeodesicField::new(&grid, goal, 0.5).unwrap()))
        });
        let field = GeodesicField::new(&grid, goal, 0.5).unwrap();
        let queries: Vec<Vec3> = cells
            .iter()
            .step_by(cells.len() / 1000 + 1)
            .map(|&c| grid.centre(c))
            .collect();
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.bench_function("geodesic_distance_queries", |b| {
            b.iter(|| {
                queries
                    .iter()
                    .filter_map(|&p| field.distance(&grid, p))
                    .sum::<f32>()
            })
        });
        let world = Arc::new(CollisionWorld::new(&scene).unwrap());
        group.throughput(Throughput::Elements(100));
        group.bench_function("agent_physics_100_steps", |b| {
            b.iter(|| {
                let mut agent =
                    AgentBody::new(world.clone(), &config, grid.centre(cells[cells.len() / 2]));
                for k in 0..100 {
                    let angle = k as f32 * 0.7;
                    agent.move_by(Vec3::new(angle.sin(), angle.cos(), 0.0) * 0.25);
                }
                black_box(agent.position())
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
