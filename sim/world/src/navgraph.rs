//! A scan's navigation graph with all-pairs shortest paths, computed once when it is built.

use crate::error::SimError;
use glam::DVec3;
use std::collections::{BinaryHeap, HashMap};
use waymark_core::angles::heading_elevation_of;
use waymark_core::dijkstra::Cheapest;
use waymark_core::{ScanId, ViewpointId};
use waymark_scenes::NavGraphSpec;

/// Index of a viewpoint inside one [`NavGraph`].
pub type NodeIx = u32;

/// A directed half of an undirected edge, with its geometry precomputed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    /// The neighbour.
    pub to: NodeIx,
    /// Euclidean length in metres.
    pub dist_m: f64,
    /// Absolute heading from this viewpoint to the neighbour.
    pub heading_rad: f64,
    /// Elevation from this viewpoint to the neighbour.
    pub elevation_rad: f64,
}

const NO_HOP: NodeIx = NodeIx::MAX;

/// A navigation graph: viewpoints, Euclidean-weighted edges and cached shortest paths.
#[derive(Debug)]
pub struct NavGraph {
    scan: ScanId,
    ids: Vec<ViewpointId>,
    index: HashMap<ViewpointId, NodeIx>,
    positions: Vec<DVec3>,
    adjacency: Vec<Vec<Edge>>,
    /// Row-major `n × n` shortest-path distances (`f64::INFINITY` when unreachable).
    dist_m: Vec<f64>,
    /// Row-major `n × n`: the first hop on a shortest path from row to column.
    next_hop: Vec<NodeIx>,
}

impl NavGraph {
    /// Builds the graph and its all-pairs shortest paths (Dijkstra from every viewpoint).
    pub fn from_spec(spec: &NavGraphSpec) -> Self {
        let n = spec.viewpoints.len();
        let ids: Vec<ViewpointId> = spec.viewpoints.iter().map(|(id, _)| id.clone()).collect();
        let positions: Vec<DVec3> = spec.viewpoints.iter().map(|(_, p)| *p).collect();
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i as NodeIx))
            .collect();
        let mut adjacency = vec![Vec::new(); n];
        for &(a, b) in &spec.edges {
            for (from, to) in [(a, b), (b, a)] {
                let delta = positions[to as usize] - positions[from as usize];
                let (heading_rad, elevation_rad) = heading_elevation_of(delta);
                adjacency[from as usize].push(Edge {
                    to,
                    dist_m: delta.length(),
                    heading_rad,
                    elevation_rad,
                });
            }
        }
        let mut graph = Self {
            scan: spec.scan.clone(),
            ids,
            index,
            positions,
            adjacency,
            dist_m: vec![f64::INFINITY; n * n],
            next_hop: vec![NO_HOP; n * n],
        };
        for source in 0..n {
            graph.dijkstra_from(source);
        }
        graph
    }

    /// Fills row `source` of the distance and next-hop tables.
    fn dijkstra_from(&mut self, source: usize) {
        let n = self.ids.len();
        let row = source * n;
        // `parent[v]` is v's predecessor on the shortest path from `source`.
        let mut parent = vec![NO_HOP; n];
        let mut done = vec![false; n];
        self.dist_m[row + source] = 0.0;
        let mut heap = BinaryHeap::from([Cheapest(0.0, source)]);
        while let Some(Cheapest(d, v)) = heap.pop() {
            if std::mem::replace(&mut done[v], true) {
                continue;
            }
            for e in &self.adjacency[v] {
                let to = e.to as usize;
                let nd = d + e.dist_m;
                if nd < self.dist_m[row + to] {
                    self.dist_m[row + to] = nd;
                    parent[to] = v as NodeIx;
                    heap.push(Cheapest(nd, to));
                }
            }
        }
        // The first hop towards v is v itself when its parent is the source, else its parent's.
        let mut order: Vec<usize> = (0..n).filter(|&v| v != source && done[v]).collect();
        order.sort_by(|&a, &b| self.dist_m[row + a].total_cmp(&self.dist_m[row + b]));
        for v in order {
            let p = parent[v] as usize;
            self.next_hop[row + v] = if p == source {
                v as NodeIx
            } else {
                self.next_hop[row + p]
            };
        }
    }

    /// The scan this graph belongs to.
    pub fn scan(&self) -> &ScanId {
        &self.scan
    }

    /// Number of viewpoints.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the graph has no viewpoints.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of a viewpoint id.
    pub fn index_of(&self, viewpoint: &str) -> Option<NodeIx> {
        self.index.get(viewpoint).copied()
    }

    /// The index of a viewpoint id, or an error naming the scan and the viewpoint.
    pub fn require(&self, viewpoint: &ViewpointId) -> Result<NodeIx, SimError> {
        self.index_of(viewpoint.as_str())
            .ok_or_else(|| SimError::UnknownViewpoint {
                scan: self.scan.clone(),
                viewpoint: viewpoint.clone(),
            })
    }

    /// The id of viewpoint `v`.
    pub fn id(&self, v: NodeIx) -> &ViewpointId {
        &self.ids[v as usize]
    }

    /// The camera position of viewpoint `v` (metres, z up).
    pub fn position(&self, v: NodeIx) -> DVec3 {
        self.positions[v as usize]
    }

    /// The edges leaving `v`.
    pub fn edges(&self, v: NodeIx) -> &[Edge] {
        &self.adjacency[v as usize]
    }

    /// The edge from `a` to `b`, if they are adjacent.
    pub fn edge(&self, a: NodeIx, b: NodeIx) -> Option<&Edge> {
        self.adjacency[a as usize].iter().find(|e| e.to == b)
    }

    /// Shortest-path distance in metres (`f64::INFINITY` when unreachable).
    pub fn distance_m(&self, a: NodeIx, b: NodeIx) -> f64 {
        self.dist_m[a as usize * self.ids.len() + b as usize]
    }

    /// The next viewpoint on a shortest path from `a` to `b`; `None` when `a == b` or unreachable.
    pub fn next_hop(&self, a: NodeIx, b: NodeIx) -> Option<NodeIx> {
        let hop = self.next_hop[a as usize * self.ids.len() + b as usize];
        (hop != NO_HOP).then_some(hop)
    }

    /// A shortest path from `a` to `b`, both included; `None` when unreachable.
    pub fn shortest_path(&self, a: NodeIx, b: NodeIx) -> Option<Vec<NodeIx>> {
        let mut path = vec![a];
        let mut v = a;
        while v != b {
            v = self.next_hop(v, b)?;
            path.push(v);
        }
        Some(path)
    }

    /// Heading and elevation (radians) from viewpoint `a` towards viewpoint `b`.
    pub fn heading_elevation(&self, a: NodeIx, b: NodeIx) -> (f64, f64) {
        heading_elevation_of(self.position(b) - self.position(a))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// A square a–b–c–d with a long diagonal a–c, and an isolated viewpoint e.
    pub(crate) fn square() -> NavGraph {
        let v = |id: &str, x: f64, y: f64| (ViewpointId::new(id), DVec3::new(x, y, 1.5));
        NavGraph::from_spec(&NavGraphSpec {
            scan: ScanId::new("sq"),
            viewpoints: vec![
                v("a", 0.0, 0.0),
                v("b", 3.0, 0.0),
                v("c", 3.0, 4.0),
                v("d", 0.0, 4.0),
                v("e", 9.0, 9.0),
            ],
            edges: vec![(0, 1), (1, 2), (2, 3), (0, 3), (0, 2)],
        })
    }

    #[test]
    fn shortest_distances_and_paths() {
        let g = square();
        assert_eq!(g.distance_m(0, 2), 5.0, "the diagonal beats 3 + 4");
        assert_eq!(g.distance_m(1, 3), 7.0);
        assert_eq!(g.shortest_path(0, 2), Some(vec![0, 2]));
        assert_eq!(g.shortest_path(1, 1), Some(vec![1]));
        assert!(g.distance_m(0, 4).is_infinite());
        assert_eq!(g.shortest_path(0, 4), None);
        assert_eq!(
            g.next_hop(3, 1)
                .map(|h| g.distance_m(3, h) + g.distance_m(h, 1)),
            Some(7.0)
        );
    }

    #[test]
    fn heading_between_viewpoints() {
        let g = square();
        let (h, e) = g.heading_elevation(0, 1);
        assert!((h - PI / 2.0).abs() < 1e-12 && e == 0.0);
        let (h, _) = g.heading_elevation(1, 0);
        assert!((h - 3.0 * PI / 2.0).abs() < 1e-12);
        assert_eq!(g.edge(0, 3).map(|e| e.heading_rad), Some(0.0));
    }
}
