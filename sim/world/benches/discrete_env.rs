//! Steps per second of the discrete environment without rendering, on a demo apartment's graph.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use waymark_core::{Action, InstrId, NavEpisode, ScanId};
use waymark_sim::{DiscreteNavConfig, DiscreteNavEnv, NavGraph};

fn bench_steps(c: &mut Criterion) {
    let connectivity =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/connectivity");
    let spec = waymark_scenes::read_connectivity(&connectivity, &ScanId::new("apartment_b"))
        .expect("shipped demo graph");
    let graph = Arc::new(NavGraph::from_spec(&spec));
    let episode = NavEpisode {
        instr_id: InstrId::new("0_0"),
        scan: graph.scan().clone(),
        path_id: 0,
        reference_path: vec![
            graph.id(0).clone(),
            graph.id(graph.len() as u32 - 1).clone(),
        ],
        start_heading_rad: 0.0,
        instruction: String::new(),
        language: None,
        distance_m: 0.0,
        target_object_id: None,
    };
    // One "step" = observe (candidates sorted by angle, teacher hop) + act (move along an edge).
    const STEPS: u32 = 1000;
    let config = DiscreteNavConfig {
        max_steps: STEPS + 1,
        ..Default::default()
    };
    let mut group = c.benchmark_group("discrete_env");
    group.throughput(Throughput::Elements(u64::from(STEPS)));
    group.bench_function("observe_and_move_1000", |b| {
        b.iter(|| {
            let mut env = DiscreteNavEnv::new(graph.clone(), config.clone(), &episode)
                .expect("bench episode is valid");
            for _ in 0..STEPS {
                let obs = env.observe_nav();
                let next = obs.navigable[0].viewpoint.clone();
                env.step(&Action::MoveTo { viewpoint: next })
                    .expect("adjacent move");
            }
            black_box(env.trajectory().len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_steps);
criterion_main!(benches);
