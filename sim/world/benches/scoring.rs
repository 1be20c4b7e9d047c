//! Scoring speed: a whole episode file scored from a cold start (graphs read, distances
//! computed) with the all-pairs [`NavGraph`](waymark_sim::NavGraph) path and with
//! [`ScoringGraphs`], and the two connectivity readers. The shipped demo, plus R2R val_seen
//! when `WAYMARK_REAL_DATA` points at the real data. Two submissions: the reference paths (each
//! with a turn in place at the start), and walks that follow the reference part of the way and
//! then wander (agents' trajectories visit more viewpoints, and each needs a search).

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use waymark_core::{NavEpisode, ScanId, ViewpointId};
use waymark_sim::{Distances, GraphStore, ScoringGraph, ScoringGraphs, score_nav_trajectory};

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
fn references(episodes: &[NavEpisode]) -> Vec<Vec<ViewpointId>> {
    episodes
        .iter()
        .map(|e| {
            let mut t = e.reference_path.clone();
            t.insert(0, t[0].clone());
            t
        })
        .collect()
}

/// Deterministic wanderings: part of the reference path, then 3 to 15 moves to neighbours.
fn walks(episodes: &[NavEpisode], store: &GraphStore) -> Vec<Vec<ViewpointId>> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    episodes
        .iter()
        .map(|e| {
            let graph = store.graph(&e.scan).unwrap();
            let keep = 1 + next(e.reference_path.len());
            let mut t = e.reference_path[..keep].to_vec();
            let mut v = graph.require(&t[keep - 1]).unwrap();
            for _ in 0..3 + next(13) {
                let edges = graph.edges(v);
                v = edges[next(edges.len())].to;
                t.push(graph.id(v).clone());
            }
            t
        })
        .collect()
}

fn bench_scoring(c: &mut Criterion) {
    for (name, dir, episodes_file, big_scan) in datasets() {
        let episodes = waymark_scenes::read_r2r_episodes(&episodes_file).unwrap();
        let walks = walks(&episodes, &GraphStore::new(&dir));
        for (kind, trajectories) in [("references", references(&episodes)), ("walks", walks)] {
            bench_submission(c, name, kind, &dir, &episodes, &trajectories);
        }
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

fn bench_submission(
    c: &mut Criterion,
    name: &str,
    kind: &str,
    dir: &Path,
    episodes: &[NavEpisode],
    trajectories: &[Vec<ViewpointId>],
) {
    let mut group = c.benchmark_group(format!("score_{name}_{}_{kind}", episodes.len()));
    group.sample_size(20);
    group.bench_function("all_pairs_cold", |b| {
        b.iter(|| {
            let store = GraphStore::new(dir);
            for (e, t) in episodes.iter().zip(trajectories) {
                let graph = store.graph(&e.scan).unwrap();
                black_box(score_nav_trajectory(&graph, e, t, 3.0).unwrap());
            }
        })
    });
    group.bench_function("scoring_graphs_cold", |b| {
        b.iter(|| {
            let graphs = ScoringGraphs::new(dir);
            let mut distances = std::collections::HashMap::new();
            let loaded: Vec<_> = episodes
                .iter()
                .map(|e| graphs.graph(&e.scan).unwrap())
                .collect();
            for ((e, t), graph) in episodes.iter().zip(trajectories).zip(&loaded) {
                let d = distances
                    .entry(&e.scan)
                    .or_insert_with(|| graph.distances());
                black_box(d.score(e, t, 3.0).unwrap());
            }
        })
    });
    // Files already read: the searches and the metrics alone.
    let specs: std::collections::HashMap<ScanId, waymark_scenes::NavGraphSpec> = episodes
        .iter()
        .map(|e| {
            let spec = waymark_sim::scoring::read_connectivity(dir, &e.scan).unwrap();
            (e.scan.clone(), spec)
        })
        .collect();
    group.bench_function("scoring_graphs_cold_files_read", |b| {
        b.iter(|| {
            let graphs: std::collections::HashMap<&ScanId, ScoringGraph> = specs
                .iter()
                .map(|(scan, spec)| (scan, ScoringGraph::from_spec(spec)))
                .collect();
            let mut distances: std::collections::HashMap<&ScanId, Distances<'_>> = graphs
                .iter()
                .map(|(&scan, g)| (scan, g.distances()))
                .collect();
            for (e, t) in episodes.iter().zip(trajectories) {
                black_box(
                    distances
                        .get_mut(&e.scan)
                        .unwrap()
                        .score(e, t, 3.0)
                        .unwrap(),
                );
            }
        })
    });
    // Graphs loaded and searches advanced: what each further episode costs.
    let graphs: std::collections::HashMap<&ScanId, ScoringGraph> = specs
        .iter()
        .map(|(scan, spec)| (scan, ScoringGraph::from_spec(spec)))
        .collect();
    let mut warm: std::collections::HashMap<&ScanId, Distances<'_>> = graphs
        .iter()
        .map(|(&scan, g)| (scan, g.distances()))
        .collect();
    for (e, t) in episodes.iter().zip(trajectories) {
        warm.get_mut(&e.scan).unwrap().score(e, t, 3.0).unwrap();
    }
    group.bench_function("scoring_graphs_warm", |b| {
        b.iter(|| {
            for (e, t) in episodes.iter().zip(trajectories) {
                black_box(warm.get_mut(&e.scan).unwrap().score(e, t, 3.0).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
