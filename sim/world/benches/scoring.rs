//! Scoring speed: a whole episode file scored from a cold start (graphs read, distances
//! computed) with the all-pairs [`NavGraph`] path and with [`ScoringGraphs`], and the two
//! connectivity readers. The shipped demo, plus R2R val_seen when `WAYMARK_REAL_DATA` points at
//! the real data.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use waymark_core::{NavEpisode, ScanId, ViewpointId};
use waymark_sim::{GraphStore, ScoringGraphs, score_nav_trajectory};

/// `(name, connectivity folder, episode file, a large scan)`.
fn datasets() -> Vec<(&'static str, PathBuf, PathBuf, &'static str)> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let mut sets = vec![(
        "demo",
        demo.join("connectivity"),
        demo.join("R2R_demo.json"),
        "apartment_b",
    )];
    if let Some(real) = std::env::var_os("WAYMARK_REAL_DATA") {
        let r2r = PathBuf::from(real).join("r2r");
        sets.push((
            "r2r_val_seen",
            r2r.join("connectivity"),
            r2r.join("R2R_val_seen.json"),
            // The largest connectivity file (1.5 MB).
            "B6ByNegPMKs",
        ));
    }
    sets
}

/// The reference paths as trajectories, each with a turn in place at the start.
fn trajectories(episodes: &[NavEpisode]) -> Vec<Vec<ViewpointId>> {
    episodes
        .iter()
        .map(|e| {
            let mut t = e.reference_path.clone();
            t.insert(0, t[0].clone());
            t
        })
        .collect()
}

fn bench_scoring(c: &mut Criterion) {
    for (name, dir, episodes_file, big_scan) in datasets() {
        let episodes = waymark_scenes::read_r2r_episodes(&episodes_file).unwrap();
        let trajectories = trajectories(&episodes);
        let mut group = c.benchmark_group(format!("score_{name}_{}", episodes.len()));
        group.sample_size(20);
        group.bench_function("all_pairs_cold", |b| {
            b.iter(|| {
                let store = GraphStore::new(&dir);
                for (e, t) in episodes.iter().zip(&trajectories) {
                    let graph = store.graph(&e.scan).unwrap();
                    black_box(score_nav_trajectory(&graph, e, t, 3.0).unwrap());
                }
            })
        });
        group.bench_function("scoring_graphs_cold", |b| {
            b.iter(|| {
                let graphs = ScoringGraphs::new(&dir);
                for (e, t) in episodes.iter().zip(&trajectories) {
                    black_box(graphs.score_episode(e, t, 3.0).unwrap());
                }
            })
        });
        // Graphs loaded and searches advanced: what each further episode costs.
        let warm = ScoringGraphs::new(&dir);
        for (e, t) in episodes.iter().zip(&trajectories) {
            warm.score_episode(e, t, 3.0).unwrap();
        }
        group.bench_function("scoring_graphs_warm", |b| {
            b.iter(|| {
                for (e, t) in episodes.iter().zip(&trajectories) {
                    black_box(warm.score_episode(e, t, 3.0).unwrap());
                }
            })
        });
        group.finish();

        let scan = ScanId::new(big_scan);
        let mut group = c.benchmark_group(format!("read_connectivity_{big_scan}"));
        group.sample_size(20);
        group.bench_function("serde", |b| {
            b.iter(|| black_box(waymark_scenes::read_connectivity(&dir, &scan).unwrap()))
        });
        group.bench_function("fast", |b| {
            b.iter(|| black_box(waymark_sim::scoring::read_connectivity(&dir, &scan).unwrap()))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
