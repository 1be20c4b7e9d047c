//! Scoring R2R trajectories without all-pairs shortest-path tables.
//!
//! [`NavGraph`](crate::NavGraph) runs Dijkstra from every viewpoint when it is built, which the
//! discrete environment needs (its teacher action looks up a next hop anywhere) but scoring does
//! not: the metrics read only the distances from the viewpoints an episode's reference path and
//! trajectory visit to each other. A [`ScoringGraph`] holds the graph alone; its [`Distances`]
//! keep, per source viewpoint, a Dijkstra search that is advanced only until the targets asked
//! for are settled, and resumed when a later episode asks for more. The settled distances are
//! exactly the ones a full search gives (a settled distance never changes, and the searches pop
//! the same viewpoints in the same order), so the metrics are bit-identical to
//! [`score_nav_trajectory`](crate::score_nav_trajectory) on a [`NavGraph`](crate::NavGraph):
//! both go through the same scoring function.
//!
//! [`ScoringGraphs`] loads the graphs of a connectivity folder on first use and is shared by
//! threads. A [`Distances`] belongs to one thread: a batch scored scan by scan frees each
//! scan's searches, and reuses their memory, once its episodes are scored.

mod connectivity;

use crate::error::SimError;
use crate::metrics::{WalkGraph, checked_walks, score_walk_by};
use crate::navgraph::NodeIx;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use waymark_core::{NavEpisode, NavMetrics, ScanId, ViewpointId};
use waymark_scenes::NavGraphSpec;

/// A scan's navigation graph for scoring: viewpoints and edges; shortest-path distances come
/// from its [`Distances`]. Safe to share between threads.
#[derive(Debug)]
pub struct ScoringGraph {
    scan: ScanId,
    ids: Vec<ViewpointId>,
    /// FxHash (`rustc-hash`): ids are looked up several times per episode and SipHash costs
    /// more than the rest of a lookup; the keys come from the graphs' own files.
    index: HashMap<ViewpointId, NodeIx, rustc_hash::FxBuildHasher>,
    /// Compressed adjacency: the edges of `v` are `offsets[v]..offsets[v + 1]` of `to` and
    /// `length_m`, in the order [`NavGraph`](crate::NavGraph) keeps them.
    offsets: Vec<u32>,
    to: Vec<NodeIx>,
    length_m: Vec<f64>,
}

/// A Dijkstra search from one source, advanced as far as the targets asked for so far.
///
/// The frontier is an unordered list scanned for its cheapest viewpoint at each step, written
/// here rather than taken from a heap crate: these graphs are small (tens to a few hundred
/// viewpoints, frontiers of a few dozen), where a scan of a short array beats a heap's sifting,
/// and lowering a distance costs nothing. Which of two equally distant viewpoints settles
/// first does not change any distance: every settled distance is the smallest sum, added up
/// from the source, over the paths to it (adding a length never makes a sum smaller, and a
/// larger start never gives a smaller sum), which any order of equal settles reaches.
#[derive(Debug)]
struct Search {
    /// Tentative distances (`f64::INFINITY` until reached); final for settled viewpoints.
    dist_m: Vec<f64>,
    /// Per viewpoint: its place in the frontier, or [`UNSEEN`] / [`SETTLED`].
    slot: Vec<u32>,
    /// The frontier's distances (copies of their `dist_m`, side by side so that the scan for
    /// the cheapest reads one short array); `frontier[i]` is the viewpoint at `frontier_m[i]`.
    frontier_m: Vec<f64>,
    frontier: Vec<NodeIx>,
}

/// [`Search::slot`] of a viewpoint not reached yet.
const UNSEEN: u32 = u32::MAX;
/// [`Search::slot`] of a settled viewpoint.
const SETTLED: u32 = u32::MAX - 1;

impl Search {
    fn new(n: usize, source: NodeIx) -> Self {
        let mut dist_m = vec![f64::INFINITY; n];
        dist_m[source as usize] = 0.0;
        let mut slot = vec![UNSEEN; n];
        slot[source as usize] = 0;
        Self {
            dist_m,
            slot,
            frontier_m: vec![0.0],
            frontier: vec![source],
        }
    }

    /// The shortest-path distance to `target` (`f64::INFINITY` when unreachable), advancing the
    /// search until `target` is settled. A settled distance never changes (later viewpoints
    /// cost at least as much), so it is the one a full search gives.
    #[inline]
    fn distance_m(&mut self, graph: &ScoringGraph, target: NodeIx) -> f64 {
        let target = target as usize;
        if self.slot[target] != SETTLED {
            self.advance_to(graph, target);
        }
        self.dist_m[target]
    }

    /// Settles viewpoints, cheapest first, until `target` is settled or none is left.
    #[inline(never)]
    fn advance_to(&mut self, graph: &ScoringGraph, target: usize) {
        while self.slot[target] != SETTLED && !self.frontier.is_empty() {
            // The cheapest frontier viewpoint (distances are never NaN).
            let mut at = 0;
            let mut best = self.frontier_m[0];
            for (i, &d) in self.frontier_m.iter().enumerate().skip(1) {
                if d < best {
                    best = d;
                    at = i;
                }
            }
            let v = self.frontier.swap_remove(at) as usize;
            self.frontier_m.swap_remove(at);
            if let Some(&moved) = self.frontier.get(at) {
                self.slot[moved as usize] = at as u32;
            }
            self.slot[v] = SETTLED;
            let d = self.dist_m[v];
            let (from, until) = (graph.offsets[v] as usize, graph.offsets[v + 1] as usize);
            for (&to, &length_m) in graph.to[from..until]
                .iter()
                .zip(&graph.length_m[from..until])
            {
                let nd = d + length_m;
                // Never true for a settled viewpoint: its distance is at most `d`.
                if nd < self.dist_m[to as usize] {
                    self.dist_m[to as usize] = nd;
                    match self.slot[to as usize] {
                        UNSEEN => {
                            self.slot[to as usize] = self.frontier.len() as u32;
                            self.frontier.push(to);
                            self.frontier_m.push(nd);
                        }
                        at => self.frontier_m[at as usize] = nd,
                    }
                }
            }
        }
    }
}

impl ScoringGraph {
    /// Builds the graph (no shortest paths yet). Edge lengths are computed exactly as
    /// [`NavGraph::from_spec`](crate::NavGraph::from_spec) computes them.
    ///
    /// # Panics
    /// When an edge names a viewpoint index out of range (the readers never produce one).
    pub fn from_spec(spec: &NavGraphSpec) -> Self {
        let n = spec.viewpoints.len();
        let ids: Vec<ViewpointId> = spec.viewpoints.iter().map(|(id, _)| id.clone()).collect();
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i as NodeIx))
            .collect();
        let mut degree = vec![0u32; n + 1];
        for &(a, b) in &spec.edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut total = 0u32;
        for d in &degree[..n] {
            offsets.push(total);
            total += d;
        }
        offsets.push(total);
        let mut next = offsets.clone();
        let mut to = vec![0; total as usize];
        let mut length_m = vec![0.0; total as usize];
        for &(a, b) in &spec.edges {
            for (from, towards) in [(a, b), (b, a)] {
                let delta = spec.viewpoints[towards as usize].1 - spec.viewpoints[from as usize].1;
                let slot = &mut next[from as usize];
                to[*slot as usize] = towards;
                length_m[*slot as usize] = delta.length();
                *slot += 1;
            }
        }
        Self {
            scan: spec.scan.clone(),
            ids,
            index,
            offsets,
            to,
            length_m,
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

    /// The id of viewpoint `v`.
    ///
    /// # Panics
    /// When `v` is not a viewpoint index of this graph.
    pub fn id(&self, v: NodeIx) -> &ViewpointId {
        &self.ids[v as usize]
    }

    /// Whether an edge joins `a` and `b`.
    ///
    /// # Panics
    /// When `a` is not a viewpoint index of this graph.
    pub fn adjacent(&self, a: NodeIx, b: NodeIx) -> bool {
        let a = a as usize;
        self.to[self.offsets[a] as usize..self.offsets[a + 1] as usize].contains(&b)
    }

    /// An empty cache of searches on this graph, for one thread.
    pub fn distances(&self) -> Distances<'_> {
        Distances {
            graph: self,
            searches: (0..self.ids.len()).map(|_| None).collect(),
            local: vec![UNNUMBERED; self.ids.len()],
        }
    }

    /// Shortest-path distance in metres from `a` to `b` (`f64::INFINITY` when unreachable),
    /// bit-identical to [`NavGraph::distance_m`](crate::NavGraph::distance_m). A fresh search:
    /// [`Distances`] keeps searches for repeated queries.
    ///
    /// # Panics
    /// When `a` or `b` is not a viewpoint index of this graph.
    pub fn distance_m(&self, a: NodeIx, b: NodeIx) -> f64 {
        Search::new(self.ids.len(), a).distance_m(self, b)
    }

    /// Scores one trajectory with a fresh [`Distances`]: see [`Distances::score`].
    pub fn score<V: Borrow<str>>(
        &self,
        episode: &NavEpisode,
        trajectory: &[V],
        threshold_m: f64,
    ) -> Result<NavMetrics, SimError> {
        self.distances().score(episode, trajectory, threshold_m)
    }
}

/// The searches of one [`ScoringGraph`], kept per source viewpoint so that later episodes
/// resume them. Used by one thread; its memory goes when it is dropped.
#[derive(Debug)]
pub struct Distances<'g> {
    graph: &'g ScoringGraph,
    /// One resumable Dijkstra search per source viewpoint, started on first use.
    searches: Vec<Option<Search>>,
    /// Scratch for [`Distances::score`]: each viewpoint's number in the episode being scored,
    /// [`UNNUMBERED`] between episodes.
    local: Vec<NodeIx>,
}

impl Distances<'_> {
    /// Shortest-path distance in metres from `a` to `b` (`f64::INFINITY` when unreachable),
    /// bit-identical to [`NavGraph::distance_m`](crate::NavGraph::distance_m).
    ///
    /// # Panics
    /// When `a` or `b` is not a viewpoint index of the graph.
    pub fn distance_m(&mut self, a: NodeIx, b: NodeIx) -> f64 {
        let graph = self.graph;
        self.searches[a as usize]
            .get_or_insert_with(|| Search::new(graph.len(), a))
            .distance_m(graph, b)
    }

    /// Scores one trajectory (the viewpoints visited, in order, starting at the episode's
    /// start; ids as [`ViewpointId`]s or any other string type) against the episode's
    /// reference path: the same checks, errors and metrics, to the bit, as
    /// [`score_nav_trajectory`](crate::score_nav_trajectory).
    pub fn score<V: Borrow<str>>(
        &mut self,
        episode: &NavEpisode,
        trajectory: &[V],
        threshold_m: f64,
    ) -> Result<NavMetrics, SimError> {
        let graph = self.graph;
        let (mut reference, mut path) = checked_walks(graph, episode, trajectory)?;
        // Number the viewpoints the two walks visit 0..k, so the distances the metrics read
        // fit a small k × k table (`local` maps a viewpoint to its number while this runs).
        let mut nodes: Vec<NodeIx> = Vec::new();
        for v in reference.iter_mut().chain(path.iter_mut()) {
            let local = &mut self.local[*v as usize];
            if *local == UNNUMBERED {
                *local = nodes.len() as NodeIx;
                nodes.push(*v);
            }
            *v = *local;
        }
        for &v in &nodes {
            self.local[v as usize] = UNNUMBERED;
        }
        let k = nodes.len();
        // The distances the metrics read (marked `WANTED`): from every visited viewpoint to
        // every reference viewpoint (NE, OSR, nDTW, CLS coverage; SPL's d0 is start to goal),
        // and along both walks (TL, the lengths in CLS). Distances are never negative.
        const WANTED: f64 = -1.0;
        let mut table = vec![f64::NAN; k * k];
        for &a in &path {
            for &b in &reference {
                table[a as usize * k + b as usize] = WANTED;
            }
        }
        for walk in [&path, &reference] {
            for pair in walk.windows(2) {
                table[pair[0] as usize * k + pair[1] as usize] = WANTED;
            }
        }
        for (a, &source) in nodes.iter().enumerate() {
            let row = &mut table[a * k..(a + 1) * k];
            if !row.contains(&WANTED) {
                continue;
            }
            let search = self.searches[source as usize]
                .get_or_insert_with(|| Search::new(graph.len(), source));
            for (entry, &target) in row.iter_mut().zip(&nodes) {
                if *entry == WANTED {
                    *entry = search.distance_m(graph, target);
                }
            }
        }
        Ok(score_walk_by(&reference, &path, threshold_m, |a, b| {
            let d = table[a as usize * k + b as usize];
            // A distance is never NaN; NaN marks one not gathered above (which the metrics
            // do not read today): look it up rather than score with it.
            if d.is_nan() {
                graph.distance_m(nodes[a as usize], nodes[b as usize])
            } else {
                d
            }
        }))
    }
}

/// [`Distances::local`] of a viewpoint the episode being scored has not numbered.
const UNNUMBERED: NodeIx = NodeIx::MAX;

impl WalkGraph for ScoringGraph {
    fn scan(&self) -> &ScanId {
        &self.scan
    }

    fn index_of(&self, viewpoint: &str) -> Option<NodeIx> {
        ScoringGraph::index_of(self, viewpoint)
    }

    fn id(&self, v: NodeIx) -> &ViewpointId {
        ScoringGraph::id(self, v)
    }

    fn adjacent(&self, a: NodeIx, b: NodeIx) -> bool {
        ScoringGraph::adjacent(self, a, b)
    }
}

/// Reads `<dir>/<scan>_connectivity.json`: the same graph and the same errors as
/// [`waymark_scenes::read_connectivity`], which it falls back on for any file the fast reader
/// does not vouch for.
pub fn read_connectivity(dir: &Path, scan: &ScanId) -> Result<NavGraphSpec, SimError> {
    thread_local! {
        /// The file's bytes, in a buffer each thread reuses: a scoring run reads a few
        /// megabytes of connectivity files, and fresh memory for each costs page faults.
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let path = waymark_scenes::connectivity_path(dir, scan);
    let fast = BUFFER.with_borrow_mut(|bytes| {
        let mut file = std::fs::File::open(&path).ok()?;
        let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
        if bytes.capacity() <= len {
            // A fresh buffer rather than a grown one: growing would copy the old bytes.
            *bytes = Vec::new();
            bytes.reserve_exact(len + 1);
        }
        bytes.clear();
        std::io::Read::read_to_end(&mut file, bytes).ok()?;
        connectivity::parse(scan, bytes)
    });
    match fast {
        Some(spec) => Ok(spec),
        None => Ok(waymark_scenes::read_connectivity(dir, scan)?),
    }
}

/// One scan's place in [`ScoringGraphs`]: the graph once loaded, and a lock that one loader
/// holds while reading it.
#[derive(Debug, Default)]
struct Slot {
    graph: OnceLock<Arc<ScoringGraph>>,
    loading: Mutex<()>,
}

/// The scoring graphs of the scans in one connectivity folder (`<dir>/<scan>_connectivity.json`),
/// each read on first use and kept. Shared by threads:
/// concurrent callers for one scan wait for one load; different scans load in parallel.
#[derive(Debug)]
pub struct ScoringGraphs {
    dir: PathBuf,
    slots: RwLock<HashMap<ScanId, Arc<Slot>, rustc_hash::FxBuildHasher>>,
}

impl ScoringGraphs {
    /// Graphs read from `<dir>/<scan>_connectivity.json`. Reads nothing yet.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            slots: RwLock::default(),
        }
    }

    /// The graph of `scan`, reading its connectivity file on first use.
    pub fn graph(&self, scan: &ScanId) -> Result<Arc<ScoringGraph>, SimError> {
        let known = self
            .slots
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(scan)
            .cloned();
        let slot = match known {
            Some(slot) => slot,
            None => self
                .slots
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(scan.clone())
                .or_default()
                .clone(),
        };
        if let Some(graph) = slot.graph.get() {
            return Ok(graph.clone());
        }
        let _loading = slot.loading.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(graph) = slot.graph.get() {
            // Loaded by another thread while this one waited.
            return Ok(graph.clone());
        }
        let spec = read_connectivity(&self.dir, scan)?;
        let graph = Arc::new(ScoringGraph::from_spec(&spec));
        tracing::debug!(%scan, viewpoints = graph.len(), "loaded scoring graph");
        Ok(slot.graph.get_or_init(|| graph).clone())
    }

    /// Scores one episode's trajectory (`visited`: the viewpoints in order, starting at the
    /// episode's start; turns in place repeat a viewpoint; [`ViewpointId`]s, `&str`s or
    /// `String`s) with success radius `success_threshold_m`. Bit-identical to
    /// [`score_nav_trajectory`](crate::score_nav_trajectory) on the scan's
    /// [`NavGraph`](crate::NavGraph), with the same errors: an unknown scan or viewpoint, a
    /// move between non-adjacent viewpoints, an empty path, a wrong start.
    pub fn score_episode<V: Borrow<str>>(
        &self,
        episode: &NavEpisode,
        visited: &[V],
        success_threshold_m: f64,
    ) -> Result<NavMetrics, SimError> {
        self.graph(&episode.scan)?
            .score(episode, visited, success_threshold_m)
    }
}
