//! Generated navigation graphs: viewpoints sampled on the walkable area about 2 m apart (like
//! Matterport's), joined where a straight walkable line connects them, written in Matterport's
//! connectivity format so every discrete planner runs on any scene.

use crate::geodesic::GeodesicField;
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
/// the scene has no walkable area. Viewpoints are cell centres raised by the camera height;
/// where sampled viewpoints cannot see each other across a part of the floor (a doorway),
/// viewpoints are added along the geodesic path between the parts.
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
    let visible = |points: &[Vec3], a: usize, b: usize, max: f32| {
        let (pa, pb) = (points[a].truncate(), points[b].truncate());
        pa.distance(pb) <= max && grid.segment_walkable(pa, pb)
    };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for a in 0..floor_points.len() {
        for b in a + 1..floor_points.len() {
            if visible(&floor_points, a, b, config.max_edge_m) {
                edges.push((a as u32, b as u32));
            }
        }
    }
    // Join separate parts: by the shortest walkable line between them when one is short
    // enough, else by new viewpoints at the corners of the geodesic path between their
    // closest pair (every leg of which is a walkable line). All points share one island, so
    // this ends with one part.
    loop {
        let n = floor_points.len();
        let component = components(n, &edges);
        let main = component[0];
        let mut visible_pair: Option<(f32, usize, usize)> = None;
        let mut closest: Option<(f32, usize, usize)> = None;
        for a in (0..n).filter(|&a| component[a] == main) {
            for b in (0..n).filter(|&b| component[b] != main) {
                let d = floor_points[a].distance(floor_points[b]);
                if closest.is_none_or(|(bd, _, _)| d < bd) {
                    closest = Some((d, a, b));
                }
                if visible_pair.is_none_or(|(bd, _, _)| d < bd)
                    && visible(&floor_points, a, b, config.max_bridge_m)
                {
                    visible_pair = Some((d, a, b));
                }
            }
        }
        if let Some((_, a, b)) = visible_pair {
            edges.push((a.min(b) as u32, a.max(b) as u32));
            continue;
        }
        let Some((_, a, b)) = closest else { break };
        let Some(path) = GeodesicField::new(grid, floor_points[a], config.spacing_m)
            .ok()
            .and_then(|field| field.path(grid, floor_points[b]))
        else {
            break;
        };
        // path runs b → … → a; its inner corners become viewpoints.
        let mut previous = b;
        for corner in &path[1..path.len() - 1] {
            floor_points.push(*corner);
            let k = floor_points.len() - 1;
            edges.push((previous.min(k) as u32, previous.max(k) as u32));
            previous = k;
        }
        edges.push((previous.min(a) as u32, previous.max(a) as u32));
    }
    let n = floor_points.len();
    // Keep the largest part (one part unless a join failed); renumber.
    let component = components(n, &edges);
    let mut sizes = std::collections::BTreeMap::new();
    for &c in &component {
        *sizes.entry(c).or_insert(0usize) += 1;
    }
    let largest = sizes
        .iter()
        .max_by_key(|(c, s)| (**s, std::cmp::Reverse(**c)))
        .map_or(0, |(c, _)| *c);
    let keep: Vec<usize> = (0..n).filter(|&i| component[i] == largest).collect();
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
        // Sampled viewpoints keep the spacing; viewpoints added to join parts may be closer,
        // but never coincide.
        for (i, (_, p)) in g.viewpoints.iter().enumerate() {
            for (_, q) in &g.viewpoints[i + 1..] {
                assert!(p.distance(*q) > 0.01);
            }
        }
        let again =
            generate_navgraph(&ScanId::new("two"), &grid, &NavGraphGenConfig::default()).unwrap();
        assert_eq!(g, again, "deterministic");
    }
}
