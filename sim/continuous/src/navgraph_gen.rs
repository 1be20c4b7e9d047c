//! Generated navigation graphs: viewpoints sampled on the walkable area about 2 m apart (like
//! Matterport's), joined where a straight walkable line connects them, written in Matterport's
//! connectivity format so every discrete planner runs on any scene.

use crate::walkable::WalkableGrid;
use glam::Vec3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waymark_core::{ScanId, ViewpointId};
use waymark_scenes::NavGraphSpec;

/// How to sample the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct NavGraphGenConfig {
    /// Least distance between viewpoints, in metres.
    pub spacing_m: f32,
    /// Longest edge, in metres.
    pub max_edge_m: f32,
    /// Longest edge added to join otherwise separate parts, in metres.
    pub max_bridge_m: f32,
    /// Camera height above the floor, in metres.
    pub camera_height_m: f32,
    /// The seed.
    pub seed: u64,
}

impl Default for NavGraphGenConfig {
    fn default() -> Self {
        Self {
            spacing_m: 2.0,
            max_edge_m: 3.5,
            max_bridge_m: 6.0,
            camera_height_m: 1.5,
            seed: 0,
        }
    }
}

/// Samples a connected navigation graph on the largest island of `grid`. Returns `None` when
/// the scene has no walkable area. Viewpoints are cell centres raised by the camera height.
pub fn generate_navgraph(
    scan: &ScanId,
    grid: &WalkableGrid,
    config: &NavGraphGenConfig,
) -> Option<NavGraphSpec> {
    let island = grid.largest_island()?;
    let (nx, ny) = grid.dims();
    let mut cells: Vec<usize> = (0..nx * ny).filter(|&c| grid.island(c) == island).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    for i in (1..cells.len()).rev() {
        cells.swap(i, rng.random_range(0..=i));
    }
    // Dart throwing in a shuffled order: accept a cell when no viewpoint is within the spacing.
    let mut floor_points: Vec<Vec3> = Vec::new();
    for c in cells {
        let p = grid.centre(c);
        if floor_points
            .iter()
            .all(|q| q.truncate().distance(p.truncate()) >= config.spacing_m)
        {
            floor_points.push(p);
        }
    }
    let n = floor_points.len();
    let visible = |a: usize, b: usize, max: f32| {
        let (pa, pb) = (floor_points[a].truncate(), floor_points[b].truncate());
        pa.distance(pb) <= max && grid.segment_walkable(pa, pb)
    };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            if visible(a, b, config.max_edge_m) {
                edges.push((a as u32, b as u32));
            }
        }
    }
    // Bridge separate parts with the shortest walkable line between them, while one exists.
    loop {
        let component = components(n, &edges);
        let main = component[0];
        let mut best: Option<(f32, usize, usize)> = None;
        for a in (0..n).filter(|&a| component[a] == main) {
            for b in (0..n).filter(|&b| component[b] != main) {
                let d = floor_points[a].distance(floor_points[b]);
                if best.is_none_or(|(bd, _, _)| d < bd) && visible(a, b, config.max_bridge_m) {
                    best = Some((d, a, b));
                }
            }
        }
        match best {
            Some((_, a, b)) => edges.push((a.min(b) as u32, a.max(b) as u32)),
            None => break,
        }
    }
    // Keep the part holding the first viewpoint; renumber.
    let component = components(n, &edges);
    let keep: Vec<usize> = (0..n).filter(|&i| component[i] == component[0]).collect();
    let mut new_index = vec![u32::MAX; n];
    for (k, &i) in keep.iter().enumerate() {
        new_index[i] = k as u32;
    }
    let viewpoints = keep
        .iter()
        .map(|&i| {
            let id = ViewpointId::new(format!("{:032x}", rng.random::<u128>()));
            (
                id,
                (floor_points[i] + Vec3::Z * config.camera_height_m).as_dvec3(),
            )
        })
        .collect();
    let mut edges: Vec<(u32, u32)> = edges
        .into_iter()
        .filter(|&(a, b)| new_index[a as usize] != u32::MAX && new_index[b as usize] != u32::MAX)
        .map(|(a, b)| (new_index[a as usize], new_index[b as usize]))
        .collect();
    edges.sort_unstable();
    Some(NavGraphSpec {
        scan: scan.clone(),
        viewpoints,
        edges,
    })
}

/// Connected-component label of every node (the label is the component's smallest node).
fn components(n: usize, edges: &[(u32, u32)]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(a, b) in edges {
        let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    (0..n).map(|x| find(&mut parent, x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walkable::WalkableConfig;
    use crate::walkable::tests::two_rooms;

    #[test]
    fn the_graph_is_connected_and_every_edge_walkable() {
        let grid = WalkableGrid::build(&two_rooms(), &WalkableConfig::default()).unwrap();
        let g =
            generate_navgraph(&ScanId::new("two"), &grid, &NavGraphGenConfig::default()).unwrap();
        assert!(g.viewpoints.len() >= 4, "{} viewpoints", g.viewpoints.len());
        let component = components(g.viewpoints.len(), &g.edges);
        assert!(component.iter().all(|&c| c == 0), "connected");
        for &(a, b) in &g.edges {
            let (pa, pb) = (
                g.viewpoints[a as usize].1.as_vec3(),
                g.viewpoints[b as usize].1.as_vec3(),
            );
            assert!(grid.segment_walkable(pa.truncate(), pb.truncate()));
            assert!((pa.z - 1.5).abs() < 1e-4, "camera height above the floor");
        }
        for (i, (_, p)) in g.viewpoints.iter().enumerate() {
            for (_, q) in &g.viewpoints[i + 1..] {
                assert!(p.distance(*q) >= 2.0 - 1e-3);
            }
        }
        let again =
            generate_navgraph(&ScanId::new("two"), &grid, &NavGraphGenConfig::default()).unwrap();
        assert_eq!(g, again, "deterministic");
    }
}
