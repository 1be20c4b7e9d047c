//! Walkable-area builds, geodesic fields and queries, agent physics moves and environment steps
//! per second.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use std::hint::black_box;
use std::sync::Arc;
use waymark_continuous::agent::{AgentBody, CollisionWorld};
use waymark_continuous::env::NavScene;
use waymark_continuous::{
    ContinuousNavConfig, ContinuousNavEnv, GeodesicField, WalkableConfig, WalkableGrid,
};
use waymark_core::{Action, ContinuousEpisode};
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
        let world = Arc::new(CollisionWorld::new(&grid));
        group.throughput(Throughput::Elements(100));
        group.bench_function("agent_physics_100_free_moves", |b| {
            b.iter(|| {
                let mut agent =
                    AgentBody::new(world.clone(), &config, grid.centre(cells[cells.len() / 2]));
                for k in 0..100 {
                    // Back and forth along one line: moves through the physics with no contact.
                    let sign = if (k / 4) % 2 == 0 { 1.0 } else { -1.0 };
                    agent.move_by(Vec3::new(0.0, 0.05 * sign, 0.0));
                }
                black_box(agent.position())
            })
        });
        // Environment steps as an agent takes them: three forward moves (physics, kept on the
        // walkable area, colliding and sliding where it must) then a right turn, repeated.
        let nav = Arc::new(NavScene::new(&scene, &config).unwrap());
        let start = grid.centre(cells[cells.len() / 2]);
        let episode = ContinuousEpisode {
            episode_id: "bench".into(),
            scene: name.clone(),
            start_position_m: start,
            start_heading_rad: 0.0,
            goal_position_m: start,
            reference_path_m: vec![start],
            instruction: String::new(),
            language: None,
            geodesic_distance_m: 0.0,
        };
        let env_config = ContinuousNavConfig {
            max_steps: u32::MAX,
            ..ContinuousNavConfig::default()
        };
        // One long episode: each iteration takes the next 100 steps.
        let mut env = ContinuousNavEnv::new(nav.clone(), env_config.clone(), &episode).unwrap();
        let mut k = 0u64;
        group.bench_function("env_100_steps_forward3_turn1", |b| {
            b.iter(|| {
                for _ in 0..100 {
                    let action = if k % 4 == 3 {
                        Action::TurnRight
                    } else {
                        Action::MoveForward
                    };
                    k += 1;
                    env.step(&action).unwrap();
                }
                black_box(env.positions().len())
            })
        });
        // The shortest-path follower (VLN-CE's oracle) across the island, teacher included:
        // the moves of an agent that walks where it should. The field is built outside the
        // timing; every step of the episode is timed.
        let across = ContinuousEpisode {
            goal_position_m: grid.centre(cells[cells.len() - 1]),
            start_position_m: grid.centre(cells[0]),
            ..episode.clone()
        };
        let follow = |env: &mut ContinuousNavEnv| {
            let mut steps = 0u64;
            while !env.is_done() {
                let action = env.teacher();
                env.step(&action).unwrap();
                steps += 1;
            }
            steps
        };
        let steps =
            follow(&mut ContinuousNavEnv::new(nav.clone(), env_config.clone(), &across).unwrap());
        group.throughput(Throughput::Elements(steps));
        group.bench_function(format!("env_oracle_episode_{steps}_steps"), |b| {
            b.iter_batched(
                || ContinuousNavEnv::new(nav.clone(), env_config.clone(), &across).unwrap(),
                |mut env| black_box(follow(&mut env)),
                criterion::BatchSize::PerIteration,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
