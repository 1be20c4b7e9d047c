//! The official R2R metrics, as Matterport3DSimulator's `eval.py` (TL, NE, SR, OSR, SPL),
//! Ilharco et al. 2019 (nDTW, SDTW) and Jain et al. 2019 (CLS) define them.
//!
//! Where the references leave a corner undefined, waymark chooses and documents:
//! - nDTW, SDTW and CLS compare viewpoint sequences, so consecutive repeats of a viewpoint
//!   (turning in place) are collapsed first, as the graph-path implementations do.
//! - SPL when start and goal coincide and the agent never moves (`0 / 0` in `eval.py`) is SR.
//! - CLS's length score when both lengths are zero (`0 / 0`) is 1.

use crate::error::SimError;
use crate::navgraph::{NavGraph, NodeIx};
use std::borrow::Borrow;
use waymark_core::metrics::{cls_by, ndtw_by, spl};
use waymark_core::{InstrId, NavEpisode, NavMetrics, ScanId, ViewpointId};

/// The success radius used by R2R, in metres.
pub const DEFAULT_SUCCESS_THRESHOLD_M: f64 = 3.0;

/// What validating a walk needs from a graph: ids, indices and adjacency. Both the graph with
/// all-pairs tables ([`NavGraph`]) and the scoring graph without them
/// ([`crate::scoring::ScoringGraph`]) provide it, so both validate with the same code.
pub(crate) trait WalkGraph {
    /// The scan.
    fn scan(&self) -> &ScanId;
    /// The index of a viewpoint id.
    fn index_of(&self, viewpoint: &str) -> Option<NodeIx>;
    /// The id of viewpoint `v`.
    fn id(&self, v: NodeIx) -> &ViewpointId;
    /// Whether an edge joins `a` and `b`.
    fn adjacent(&self, a: NodeIx, b: NodeIx) -> bool;
}

impl WalkGraph for NavGraph {
    fn scan(&self) -> &ScanId {
        NavGraph::scan(self)
    }

    fn index_of(&self, viewpoint: &str) -> Option<NodeIx> {
        NavGraph::index_of(self, viewpoint)
    }

    fn id(&self, v: NodeIx) -> &ViewpointId {
        NavGraph::id(self, v)
    }

    fn adjacent(&self, a: NodeIx, b: NodeIx) -> bool {
        self.edge(a, b).is_some()
    }
}

/// Checks that `path` is a walk on `graph` (each move along an edge; repeats allowed) and
/// returns its viewpoint indices.
pub fn walk_indices(
    graph: &NavGraph,
    instr_id: &InstrId,
    path: &[ViewpointId],
) -> Result<Vec<NodeIx>, SimError> {
    walk_nodes(graph, instr_id, path)
}

/// [`walk_indices`] on any [`WalkGraph`], with the viewpoints as any string type.
pub(crate) fn walk_nodes<G: WalkGraph + ?Sized, V: Borrow<str>>(
    graph: &G,
    instr_id: &InstrId,
    path: &[V],
) -> Result<Vec<NodeIx>, SimError> {
    let nodes = path
        .iter()
        .map(|v| {
            let v = v.borrow();
            graph.index_of(v).ok_or_else(|| SimError::UnknownViewpoint {
                scan: graph.scan().clone(),
                viewpoint: ViewpointId::new(v),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    for pair in nodes.windows(2) {
        if pair[0] != pair[1] && !graph.adjacent(pair[0], pair[1]) {
            return Err(SimError::NotAdjacent {
                instr_id: instr_id.clone(),
                scan: graph.scan().clone(),
                from: graph.id(pair[0]).clone(),
                to: graph.id(pair[1]).clone(),
            });
        }
    }
    Ok(nodes)
}

/// Scores one trajectory (the viewpoints visited, in order, starting at the episode's start)
/// against the episode's reference path.
pub fn score_nav_trajectory(
    graph: &NavGraph,
    episode: &NavEpisode,
    trajectory: &[ViewpointId],
    threshold_m: f64,
) -> Result<NavMetrics, SimError> {
    let (reference, path) = checked_walks(graph, episode, trajectory)?;
    Ok(score_walk(graph, &reference, &path, threshold_m))
}

/// Validates an episode's reference path and a trajectory as [`score_nav_trajectory`] does
/// (same checks, same order, so the same error for the same input) and returns both as
/// viewpoint indices: `(reference, trajectory)`.
pub(crate) fn checked_walks<G: WalkGraph + ?Sized, V: Borrow<str>>(
    graph: &G,
    episode: &NavEpisode,
    trajectory: &[V],
) -> Result<(Vec<NodeIx>, Vec<NodeIx>), SimError> {
    let instr_id = &episode.instr_id;
    let reference = walk_nodes(graph, instr_id, &episode.reference_path)?;
    let path = walk_nodes(graph, instr_id, trajectory)?;
    let Some(&start) = reference.first() else {
        return Err(SimError::Empty {
            instr_id: instr_id.clone(),
            what: "reference path",
        });
    };
    let Some(&first) = path.first() else {
        return Err(SimError::Empty {
            instr_id: instr_id.clone(),
            what: "trajectory",
        });
    };
    if first != start {
        return Err(SimError::WrongStart {
            instr_id: instr_id.clone(),
            expected: graph.id(start).clone(),
            found: graph.id(first).clone(),
        });
    }
    Ok((reference, path))
}

/// Scores a validated walk `path` against a validated `reference` walk.
pub fn score_walk(
    graph: &NavGraph,
    reference: &[NodeIx],
    path: &[NodeIx],
    threshold_m: f64,
) -> NavMetrics {
    score_walk_by(reference, path, threshold_m, |a, b| graph.distance_m(a, b))
}

/// [`score_walk`] with the shortest-path distance `dist(a, b)` (metres, from `a` to `b`) given
/// as a function. Both walks must be non-empty. The indices are used only through `dist` and
/// for equality, so any consistent numbering of the viewpoints works.
///
/// Every scoring path goes through this one function, so that the same distances give
/// bit-identical metrics.
pub(crate) fn score_walk_by(
    reference: &[NodeIx],
    path: &[NodeIx],
    threshold_m: f64,
    dist: impl Fn(NodeIx, NodeIx) -> f64,
) -> NavMetrics {
    let (start, goal) = (reference[0], reference[reference.len() - 1]);
    let last = path[path.len() - 1];
    let tl = walk_length_by(path, &dist);
    let ne = dist(last, goal);
    // eval.py's `_get_nearest`: the first visited viewpoint closest to the goal.
    let oracle_error = path
        .iter()
        .map(|&v| dist(v, goal))
        .fold(f64::INFINITY, f64::min);
    let sr = f64::from(u8::from(ne < threshold_m));
    let osr = f64::from(u8::from(oracle_error < threshold_m));
    let d0 = dist(start, goal);
    let spl = spl(sr, d0, tl);
    let collapsed = collapse_repeats(path);
    let ndtw = ndtw_with(&dist, &collapsed, reference, threshold_m);
    NavMetrics {
        tl,
        ne,
        sr,
        osr,
        spl,
        ndtw,
        sdtw: sr * ndtw,
        cls: cls_with(&dist, &collapsed, reference, threshold_m),
        steps: (path.len() - 1) as u32,
        collisions: 0,
    }
}

/// Summed shortest-path distances between consecutive viewpoints (repeats add nothing).
/// Folded from +0.0: `Sum` for floats starts at -0.0, which a walk that never moves would keep.
fn walk_length_by(path: &[NodeIx], dist: &impl Fn(NodeIx, NodeIx) -> f64) -> f64 {
    path.windows(2)
        .map(|p| dist(p[0], p[1]))
        .fold(0.0, |total, d| total + d)
}

fn collapse_repeats(path: &[NodeIx]) -> Vec<NodeIx> {
    let mut out = path.to_vec();
    out.dedup();
    out
}

/// Normalized dynamic time warping (`exp(−DTW / (|R| · threshold))`) with the distance `dist`.
fn ndtw_with(
    dist: &impl Fn(NodeIx, NodeIx) -> f64,
    prediction: &[NodeIx],
    reference: &[NodeIx],
    threshold_m: f64,
) -> f64 {
    ndtw_by(
        prediction.len(),
        reference.len(),
        |i, j| dist(prediction[i], reference[j]),
        threshold_m,
    )
}

/// Coverage weighted by length score (Jain et al. 2019) with the distance `dist`.
fn cls_with(
    dist: &impl Fn(NodeIx, NodeIx) -> f64,
    prediction: &[NodeIx],
    reference: &[NodeIx],
    threshold_m: f64,
) -> f64 {
    cls_by(
        prediction.len(),
        reference.len(),
        |i, j| dist(prediction[i], reference[j]),
        walk_length_by(prediction, dist),
        walk_length_by(reference, dist),
        threshold_m,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::navgraph::tests::square;
    use glam::DVec3;
    use proptest::prelude::*;
    use waymark_core::ScanId;
    use waymark_scenes::NavGraphSpec;

    /// A straight corridor of viewpoints 1 m apart: v0 — v1 — … — v9.
    fn corridor() -> NavGraph {
        NavGraph::from_spec(&NavGraphSpec {
            scan: ScanId::new("corridor"),
            viewpoints: (0..10)
                .map(|i| {
                    (
                        ViewpointId::new(format!("v{i}")),
                        DVec3::new(f64::from(i), 0.0, 0.0),
                    )
                })
                .collect(),
            edges: (0..9).map(|i| (i, i + 1)).collect(),
        })
    }

    fn episode(path: &[&str]) -> NavEpisode {
        NavEpisode {
            instr_id: InstrId::new("1_0"),
            scan: ScanId::new("corridor"),
            path_id: 1,
            reference_path: path.iter().map(ViewpointId::new).collect(),
            start_heading_rad: 0.0,
            instruction: String::new(),
            language: None,
            distance_m: 0.0,
            target_object_id: None,
        }
    }

    fn ids(path: &[&str]) -> Vec<ViewpointId> {
        path.iter().map(ViewpointId::new).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn following_the_reference_exactly_is_perfect() {
        let g = corridor();
        let m = score_nav_trajectory(
            &g,
            &episode(&["v0", "v1", "v2", "v3", "v4"]),
            &ids(&["v0", "v1", "v2", "v3", "v4"]),
            3.0,
        )
        .unwrap();
        assert_eq!((m.tl, m.ne, m.sr, m.osr, m.spl), (4.0, 0.0, 1.0, 1.0, 1.0));
        assert_eq!((m.ndtw, m.sdtw, m.cls, m.steps), (1.0, 1.0, 1.0, 4));
    }

    #[test]
    fn turning_in_place_repeats_a_viewpoint_and_adds_no_length() {
        let g = corridor();
        let ep = episode(&["v0", "v1", "v2"]);
        let m = score_nav_trajectory(&g, &ep, &ids(&["v0", "v0", "v1", "v1", "v1", "v2"]), 3.0)
            .unwrap();
        assert_eq!(m.tl, 2.0);
        assert_eq!(m.steps, 5);
        assert_eq!((m.spl, m.ndtw, m.cls), (1.0, 1.0, 1.0));
    }

    #[test]
    fn detour_by_hand() {
        // Reference v0→v2 (2 m). The agent overshoots to v4 and comes back to v2: TL = 6 m.
        let g = corridor();
        let ep = episode(&["v0", "v1", "v2"]);
        let m = score_nav_trajectory(
            &g,
            &ep,
            &ids(&["v0", "v1", "v2", "v3", "v4", "v3", "v2"]),
            3.0,
        )
        .unwrap();
        assert_eq!(m.tl, 6.0);
        assert_eq!(m.ne, 0.0);
        assert!(close(m.spl, 2.0 / 6.0));
        // DTW: v0,v1,v2 match (0); v3,v4,v3,v2 all warp onto v2: 1 + 2 + 1 + 0 = 4.
        assert!(close(m.ndtw, (-4.0_f64 / 9.0).exp()));
        assert!(close(m.sdtw, m.ndtw));
        // Coverage 1, expected length 2, prediction length 6: LS = 2 / (2 + 4).
        assert!(close(m.cls, 2.0 / 6.0));
    }

    #[test]
    fn failure_just_over_three_metres() {
        // Goal v9 is 9 m away; stopping at v5 leaves 4 m; the agent passes v6 (3 m — not < 3).
        let g = corridor();
        let ep = episode(&["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"]);
        let m = score_nav_trajectory(
            &g,
            &ep,
            &ids(&["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v5"]),
            3.0,
        )
        .unwrap();
        assert_eq!(m.ne, 4.0);
        assert_eq!((m.sr, m.osr, m.spl, m.sdtw), (0.0, 0.0, 0.0, 0.0));
        // A threshold of 4.5 m turns both into successes.
        let m = score_nav_trajectory(
            &g,
            &ep,
            &ids(&["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v5"]),
            4.5,
        )
        .unwrap();
        assert_eq!((m.sr, m.osr), (1.0, 1.0));
        assert!(close(m.spl, 9.0 / 9.0_f64.max(7.0)));
    }

    #[test]
    fn oracle_success_counts_a_visit_near_the_goal() {
        let g = corridor();
        let ep = episode(&["v0", "v1", "v2", "v3", "v4", "v5", "v6"]);
        let m = score_nav_trajectory(
            &g,
            &ep,
            &ids(&["v0", "v1", "v2", "v3", "v4", "v3", "v2", "v1"]),
            3.0,
        )
        .unwrap();
        assert_eq!((m.sr, m.osr), (0.0, 1.0), "v4 is 2 m from v6, v1 is 5 m");
        assert_eq!(m.ne, 5.0);
    }

    #[test]
    fn cls_and_ndtw_of_a_partial_path() {
        // Reference v0..v4 (4 m); the agent stops at v2: DTW = 1 + 2 (v3, v4 warp onto v2).
        let g = corridor();
        let ep = episode(&["v0", "v1", "v2", "v3", "v4"]);
        let m = score_nav_trajectory(&g, &ep, &ids(&["v0", "v1", "v2"]), 3.0).unwrap();
        assert!(close(m.ndtw, (-3.0_f64 / 15.0).exp()));
        let pc = (3.0 + (-1.0_f64 / 3.0).exp() + (-2.0_f64 / 3.0).exp()) / 5.0;
        let expected = pc * 4.0;
        assert!(close(
            m.cls,
            pc * expected / (expected + (expected - 2.0).abs())
        ));
        assert_eq!(m.sr, 1.0, "2 m from the goal is a success");
        assert_eq!(m.spl, 1.0, "TL 2 < d0 4");
    }

    #[test]
    fn rejects_moves_between_non_adjacent_viewpoints() {
        let g = corridor();
        let err = score_nav_trajectory(&g, &episode(&["v0", "v1"]), &ids(&["v0", "v2"]), 3.0)
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("1_0") && text.contains("v0") && text.contains("v2"),
            "{text}"
        );
    }

    #[test]
    fn rejects_a_wrong_start_and_unknown_viewpoints() {
        let g = corridor();
        let ep = episode(&["v0", "v1"]);
        assert!(matches!(
            score_nav_trajectory(&g, &ep, &ids(&["v1"]), 3.0),
            Err(SimError::WrongStart { .. })
        ));
        assert!(matches!(
            score_nav_trajectory(&g, &ep, &ids(&["v0", "zz"]), 3.0),
            Err(SimError::UnknownViewpoint { .. })
        ));
        assert!(matches!(
            score_nav_trajectory(&g, &ep, &[], 3.0),
            Err(SimError::Empty { .. })
        ));
    }

    #[test]
    fn spl_uses_the_graph_distance_not_the_path_taken() {
        // On the square, the reference a→b→c is 7 m but the diagonal a→c is 5 m.
        let g = square();
        let ep = NavEpisode {
            scan: ScanId::new("sq"),
            ..episode(&["a", "b", "c"])
        };
        let m = score_nav_trajectory(&g, &ep, &ids(&["a", "c"]), 3.0).unwrap();
        assert_eq!((m.tl, m.spl), (5.0, 1.0));
        let m = score_nav_trajectory(&g, &ep, &ids(&["a", "b", "c"]), 3.0).unwrap();
        assert!(close(m.spl, 5.0 / 7.0));
    }

    proptest! {
        #[test]
        fn metrics_stay_in_range(steps in proptest::collection::vec(prop_oneof![Just(-1i32), Just(0), Just(1)], 0..30), goal in 0u32..10) {
            let g = corridor();
            let mut v = 0i32;
            let mut path = vec![0u32];
            for s in steps {
                v = (v + s).clamp(0, 9);
                path.push(v as u32);
            }
            let reference: Vec<NodeIx> = (0..=goal).collect();
            let m = score_walk(&g, &reference, &path, 3.0);
            for x in [m.sr, m.osr, m.spl, m.ndtw, m.sdtw, m.cls] {
                prop_assert!((0.0..=1.0).contains(&x), "{m:?}");
            }
            prop_assert!(m.spl <= m.sr && m.sdtw <= m.ndtw && m.sr <= m.osr);
            prop_assert!(m.tl >= 0.0 && m.ne >= 0.0);
        }
    }
}
