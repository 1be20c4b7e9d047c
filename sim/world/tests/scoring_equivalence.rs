//! [`ScoringGraphs`] (lazy single-source searches) against the all-pairs [`NavGraph`] path: the
//! same graphs, distances, metrics (to the bit) and errors, on the shipped demo data and, when
//! `WAYMARK_REAL_DATA` is set, on the real R2R data.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use waymark_core::{NavEpisode, NavMetrics, ScanId, ViewpointId};
use waymark_sim::scoring::read_connectivity as read_fast;
use waymark_sim::{NavGraph, ScoringGraph, ScoringGraphs, score_nav_trajectory};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

/// Every field, as bits: `0.1 + 0.2` and `0.3` differ here.
fn bits(m: &NavMetrics) -> [u64; 10] {
    [
        m.tl.to_bits(),
        m.ne.to_bits(),
        m.sr.to_bits(),
        m.osr.to_bits(),
        m.spl.to_bits(),
        m.ndtw.to_bits(),
        m.sdtw.to_bits(),
        m.cls.to_bits(),
        u64::from(m.steps),
        u64::from(m.collisions),
    ]
}

/// A deterministic walk from the episode's start: each choice turns in place (0) or moves to a
/// neighbour.
fn walk(graph: &NavGraph, start: &ViewpointId, choices: &[u32]) -> Vec<ViewpointId> {
    let mut v = graph.require(start).unwrap();
    let mut out = vec![start.clone()];
    for &c in choices {
        let edges = graph.edges(v);
        if c % 4 != 0 && !edges.is_empty() {
            v = edges[c as usize % edges.len()].to;
        }
        out.push(graph.id(v).clone());
    }
    out
}

/// Scores `trajectory` both ways (a fresh search cache for the scoring graphs) and checks that
/// metrics (or errors) agree exactly.
fn assert_same(
    graph: &NavGraph,
    scoring: &ScoringGraphs,
    episode: &NavEpisode,
    trajectory: &[ViewpointId],
) {
    let old = score_nav_trajectory(graph, episode, trajectory, 3.0);
    let new = scoring.score_episode(episode, trajectory, 3.0);
    match (old, new) {
        (Ok(a), Ok(b)) => assert_eq!(bits(&a), bits(&b), "{}: {a:?} vs {b:?}", episode.instr_id),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("{}: {a:?} vs {b:?}", episode.instr_id),
    }
}

/// Every pair's distance, asked in an order that resumes searches many times, and a few from
/// fresh searches.
fn assert_same_distances(graph: &NavGraph, scoring: &ScoringGraph) {
    let n = graph.len() as u32;
    assert_eq!(scoring.len(), graph.len());
    for a in (0..n).step_by(11) {
        assert_eq!(
            graph.distance_m(a, n - 1).to_bits(),
            scoring.distance_m(a, n - 1).to_bits()
        );
    }
    let mut distances = scoring.distances();
    for step in [7, 3, 1] {
        for a in 0..n {
            for b in (0..n).rev().step_by(step) {
                assert_eq!(
                    graph.distance_m(a, b).to_bits(),
                    distances.distance_m(a, b).to_bits(),
                    "{} {a} → {b}",
                    graph.scan()
                );
            }
        }
    }
}

#[test]
fn demo_graphs_read_and_measure_the_same() {
    let dir = demo().join("connectivity");
    for scan in ["apartment_a", "apartment_b"] {
        let scan = ScanId::new(scan);
        let spec = waymark_scenes::read_connectivity(&dir, &scan).unwrap();
        assert_eq!(read_fast(&dir, &scan).unwrap(), spec);
        assert_same_distances(&NavGraph::from_spec(&spec), &ScoringGraph::from_spec(&spec));
    }
}

#[test]
fn demo_episodes_score_the_same() {
    let dir = demo().join("connectivity");
    let episodes = waymark_scenes::read_r2r_episodes(&demo().join("R2R_demo.json")).unwrap();
    let scoring = ScoringGraphs::new(&dir);
    for (i, episode) in episodes.iter().enumerate() {
        let graph =
            NavGraph::from_spec(&waymark_scenes::read_connectivity(&dir, &episode.scan).unwrap());
        let mut turned = episode.reference_path.clone();
        turned.insert(0, turned[0].clone());
        assert_same(&graph, &scoring, episode, &episode.reference_path);
        assert_same(&graph, &scoring, episode, &turned);
        assert_same(&graph, &scoring, episode, &turned[..1]);
        let choices: Vec<u32> = (0..20).map(|k| (k * 7 + i as u32 * 13) % 11).collect();
        let start = &episode.reference_path[0];
        assert_same(&graph, &scoring, episode, &walk(&graph, start, &choices));
    }
}

#[test]
fn errors_are_the_same() {
    let dir = demo().join("connectivity");
    let episodes = waymark_scenes::read_r2r_episodes(&demo().join("R2R_demo.json")).unwrap();
    let episode = &episodes[0];
    let graph =
        NavGraph::from_spec(&waymark_scenes::read_connectivity(&dir, &episode.scan).unwrap());
    let scoring = ScoringGraphs::new(&dir);
    let path = &episode.reference_path;
    let far = graph
        .id((0..graph.len() as u32)
            .find(|&v| {
                let start = graph.require(&path[0]).unwrap();
                v != start && graph.edge(start, v).is_none()
            })
            .unwrap())
        .clone();
    for trajectory in [
        vec![],
        vec![path[1].clone()],
        vec![path[0].clone(), ViewpointId::new("nowhere")],
        vec![path[0].clone(), far],
    ] {
        assert!(scoring.score_episode(episode, &trajectory, 3.0).is_err());
        assert_same(&graph, &scoring, episode, &trajectory);
    }
    let mut bad = episode.clone();
    bad.reference_path.clear();
    assert_same(&graph, &scoring, &bad, path);
    bad.scan = ScanId::new("no_such_scan");
    let err = scoring.score_episode(&bad, path, 3.0).unwrap_err();
    let expected = waymark_scenes::read_connectivity(&dir, &bad.scan).unwrap_err();
    assert_eq!(err.to_string(), expected.to_string());
}

#[test]
fn malformed_files_fall_back_to_the_scene_reader_and_its_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let good =
        std::fs::read_to_string(demo().join("connectivity/apartment_a_connectivity.json")).unwrap();
    // Cases the fast reader leaves to the scene reader: an unknown key (accepted), an escaped
    // id (accepted), a one-way edge and a short pose (both rejected).
    let cases = [
        (
            "extra",
            good.replacen("\"included\"", "\"note\":[1,{\"a\":null}],\"included\"", 1),
        ),
        (
            "escaped",
            good.replacen("\"image_id\":\"", "\"image_id\":\"\\u0041", 1),
        ),
        (
            "one_way",
            good.replacen(
                "\"unobstructed\":[false,true",
                "\"unobstructed\":[false,false",
                1,
            ),
        ),
        (
            "short_pose",
            good.replacen("\"pose\":[1.0,", "\"pose\":[", 1),
        ),
    ];
    for (name, text) in cases {
        assert_ne!(text, good, "{name}: the edit must apply");
        let scan = ScanId::new(name);
        std::fs::write(tmp.path().join(format!("{name}_connectivity.json")), text).unwrap();
        let slow = waymark_scenes::read_connectivity(tmp.path(), &scan);
        let fast = read_fast(tmp.path(), &scan);
        match (slow, fast) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn scoring_graphs_are_shared_by_threads() {
    let dir = demo().join("connectivity");
    let episodes = waymark_scenes::read_r2r_episodes(&demo().join("R2R_demo.json")).unwrap();
    let scoring = ScoringGraphs::new(&dir);
    let alone: Vec<_> = episodes
        .iter()
        .map(|e| {
            bits(
                &ScoringGraphs::new(&dir)
                    .score_episode(e, &e.reference_path, 3.0)
                    .unwrap(),
            )
        })
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for (e, expected) in episodes.iter().zip(&alone).rev() {
                    let m = scoring.score_episode(e, &e.reference_path, 3.0).unwrap();
                    assert_eq!(&bits(&m), expected);
                }
            });
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_walks_on_the_demo_score_the_same(
        episode in 0usize..60,
        choices in proptest::collection::vec(0u32..64, 0..40),
    ) {
        let dir = demo().join("connectivity");
        let episodes = waymark_scenes::read_r2r_episodes(&demo().join("R2R_demo.json")).unwrap();
        let episode = &episodes[episode % episodes.len()];
        let graph =
            NavGraph::from_spec(&waymark_scenes::read_connectivity(&dir, &episode.scan).unwrap());
        let trajectory = walk(&graph, &episode.reference_path[0], &choices);
        assert_same(&graph, &ScoringGraphs::new(&dir), episode, &trajectory);
    }
}

/// All 61 real scans: the same graph from both readers, the same distance for every pair; then
/// every instruction of val_seen and of 4,000 training instructions, scored on its reference
/// path and on a walk, the same to the bit.
#[test]
fn real_r2r_data_scores_the_same() {
    let Some(data) =
        waymark_io::test_env::require("WAYMARK_REAL_DATA", "the real R2R scoring test")
    else {
        return;
    };
    let r2r = PathBuf::from(data).join("r2r");
    let dir = r2r.join("connectivity");
    let mut graphs = std::collections::HashMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(scan) = name.strip_suffix("_connectivity.json") else {
            continue;
        };
        let scan = ScanId::new(scan);
        let spec = waymark_scenes::read_connectivity(&dir, &scan).unwrap();
        assert_eq!(read_fast(&dir, &scan).unwrap(), spec, "{scan}");
        let graph = NavGraph::from_spec(&spec);
        assert_same_distances(&graph, &ScoringGraph::from_spec(&spec));
        graphs.insert(scan, graph);
    }
    assert_eq!(graphs.len(), 61);
    let scoring = ScoringGraphs::new(&dir);
    let mut episodes = waymark_scenes::read_r2r_episodes(&r2r.join("R2R_val_seen.json")).unwrap();
    let train = waymark_scenes::read_r2r_episodes(&r2r.join("R2R_train.json")).unwrap();
    episodes.extend(train.into_iter().step_by(3).take(4000));
    let loaded: std::collections::HashMap<&ScanId, _> = graphs
        .keys()
        .map(|scan| (scan, scoring.graph(scan).unwrap()))
        .collect();
    // One kept search cache per scan, as a batch scores: resumed by every later episode.
    let mut kept: std::collections::HashMap<&ScanId, _> = loaded
        .iter()
        .map(|(&scan, g)| (scan, g.distances()))
        .collect();
    for (i, episode) in episodes.iter().enumerate() {
        let graph = &graphs[&episode.scan];
        let choices: Vec<u32> = (0..(i % 25) as u32)
            .map(|k| k.wrapping_mul(2_654_435_761).wrapping_add(i as u32) >> 7)
            .collect();
        let wandered = walk(graph, &episode.reference_path[0], &choices);
        for trajectory in [&episode.reference_path, &wandered] {
            assert_same(graph, &scoring, episode, trajectory);
            let expected = score_nav_trajectory(graph, episode, trajectory, 3.0).unwrap();
            let resumed = kept.get_mut(&episode.scan).unwrap();
            let m = resumed.score(episode, trajectory, 3.0).unwrap();
            assert_eq!(bits(&m), bits(&expected), "{}", episode.instr_id);
        }
    }
}
