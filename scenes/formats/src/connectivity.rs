//! Matterport3D `<scan>_connectivity.json` navigation graphs.
//!
//! One object per viewpoint: `image_id`, `pose` (16 floats, row-major 4×4 camera-to-world, z up,
//! metres), `included`, `visible[N]`, `unobstructed[N]`, `height`. An edge i–j exists where both
//! viewpoints are `included` and `unobstructed[j]` holds; edges that touch an excluded viewpoint
//! are dropped, exactly as the R2R tools do.

use crate::error::SceneError;
use glam::DVec3;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use waymark_core::{ScanId, ViewpointId};
use waymark_io::{read_json, write_json_atomic};

/// A navigation graph as read from (or written to) a connectivity file.
#[derive(Clone, Debug, PartialEq)]
pub struct NavGraphSpec {
    /// The scan.
    pub scan: ScanId,
    /// Included viewpoints with their camera positions in world coordinates (metres, z up).
    pub viewpoints: Vec<(ViewpointId, DVec3)>,
    /// Undirected edges as index pairs `(i, j)` with `i < j` into `viewpoints`.
    pub edges: Vec<(u32, u32)>,
}

/// One viewpoint object of a connectivity file.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct ConnectivityRecord {
    image_id: String,
    pose: Vec<f64>,
    included: bool,
    visible: Vec<bool>,
    unobstructed: Vec<bool>,
    #[serde(default)]
    height: Option<f64>,
}

/// The connectivity file of `scan` inside `dir`.
pub fn connectivity_path(dir: &Path, scan: &ScanId) -> PathBuf {
    dir.join(format!("{scan}_connectivity.json"))
}

/// Reads `<dir>/<scan>_connectivity.json`.
pub fn read_connectivity(dir: &Path, scan: &ScanId) -> Result<NavGraphSpec, SceneError> {
    let path = connectivity_path(dir, scan);
    if !path.is_file() {
        return Err(SceneError::record(
            &path,
            format!("scan {scan}"),
            "unknown scan: no connectivity file for it",
        ));
    }
    let records: Vec<ConnectivityRecord> = read_json(&path)?;
    graph_from_records(&path, scan, &records)
}

fn graph_from_records(
    path: &Path,
    scan: &ScanId,
    records: &[ConnectivityRecord],
) -> Result<NavGraphSpec, SceneError> {
    let n = records.len();
    let mut index_of_record = vec![None; n];
    let mut viewpoints = Vec::new();
    let mut seen = HashMap::new();
    for (i, rec) in records.iter().enumerate() {
        let at = || format!("[{i}] ({})", rec.image_id);
        if rec.pose.len() != 16 {
            return Err(SceneError::record(
                path,
                at(),
                format!("pose has {} values, expected 16", rec.pose.len()),
            ));
        }
        if rec.unobstructed.len() != n || rec.visible.len() != n {
            return Err(SceneError::record(
                path,
                at(),
                format!(
                    "unobstructed has {} and visible {} entries, expected one per viewpoint ({n})",
                    rec.unobstructed.len(),
                    rec.visible.len()
                ),
            ));
        }
        if seen.insert(rec.image_id.as_str(), i).is_some() {
            return Err(SceneError::record(path, at(), "duplicate image_id"));
        }
        if !rec.included {
            continue;
        }
        let position = DVec3::new(rec.pose[3], rec.pose[7], rec.pose[11]);
        if !position.is_finite() {
            return Err(SceneError::record(
                path,
                at(),
                "pose position is not finite",
            ));
        }
        index_of_record[i] = Some(viewpoints.len() as u32);
        viewpoints.push((ViewpointId::new(&rec.image_id), position));
    }
    let mut edges = Vec::new();
    for (i, rec) in records.iter().enumerate() {
        let Some(a) = index_of_record[i] else {
            continue;
        };
        for (j, &open) in rec.unobstructed.iter().enumerate() {
            let Some(b) = index_of_record[j] else {
                continue;
            };
            if !open || i == j {
                continue;
            }
            if !records[j].unobstructed[i] {
                return Err(SceneError::record(
                    path,
                    format!("[{i}] ({})", rec.image_id),
                    format!(
                        "edge to {} is unobstructed one way only; the graph must be undirected",
                        records[j].image_id
                    ),
                ));
            }
            if a < b {
                edges.push((a, b));
            }
        }
    }
    Ok(NavGraphSpec {
        scan: scan.clone(),
        viewpoints,
        edges,
    })
}

/// Writes `graph` as `<dir>/<scan>_connectivity.json` in Matterport's format: every viewpoint
/// included, `unobstructed` and `visible` from the edges, the pose a pure translation.
pub fn write_connectivity(
    dir: &Path,
    graph: &NavGraphSpec,
    camera_height_m: f64,
) -> Result<PathBuf, SceneError> {
    let n = graph.viewpoints.len();
    let mut adjacency = vec![vec![false; n]; n];
    for &(a, b) in &graph.edges {
        let (a, b) = (a as usize, b as usize);
        if a >= n || b >= n {
            return Err(SceneError::record(
                connectivity_path(dir, &graph.scan),
                format!("edge ({a}, {b})"),
                format!("index out of range for {n} viewpoints"),
            ));
        }
        adjacency[a][b] = true;
        adjacency[b][a] = true;
    }
    let records: Vec<ConnectivityRecord> = graph
        .viewpoints
        .iter()
        .zip(adjacency)
        .map(|((id, p), row)| ConnectivityRecord {
            image_id: id.to_string(),
            pose: vec![
                1.0, 0.0, 0.0, p.x, 0.0, 1.0, 0.0, p.y, 0.0, 0.0, 1.0, p.z, 0.0, 0.0, 0.0, 1.0,
            ],
            included: true,
            visible: row.clone(),
            unobstructed: row,
            height: Some(camera_height_m),
        })
        .collect();
    let path = connectivity_path(dir, &graph.scan);
    write_json_atomic(&path, &records, false)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, x: f64, included: bool, unobstructed: Vec<bool>) -> ConnectivityRecord {
        let mut pose = vec![0.0; 16];
        pose[3] = x;
        ConnectivityRecord {
            image_id: id.into(),
            pose,
            included,
            visible: unobstructed.clone(),
            unobstructed,
            height: None,
        }
    }

    #[test]
    fn drops_edges_touching_excluded_viewpoints() {
        let records = vec![
            rec("a", 0.0, true, vec![false, true, true]),
            rec("b", 1.0, true, vec![true, false, true]),
            rec("c", 2.0, false, vec![true, true, false]),
        ];
        let g = graph_from_records(Path::new("s.json"), &ScanId::new("s"), &records).unwrap();
        assert_eq!(g.viewpoints.len(), 2);
        assert_eq!(g.edges, vec![(0, 1)]);
        assert_eq!(g.viewpoints[1].1, DVec3::new(1.0, 0.0, 0.0));
    }

    #[test]
    fn rejects_wrong_pose_length_naming_the_record() {
        let mut r = rec("a", 0.0, true, vec![false]);
        r.pose.pop();
        let err = graph_from_records(Path::new("s.json"), &ScanId::new("s"), &[r]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("s.json") && text.contains("[0] (a)"),
            "{text}"
        );
    }

    #[test]
    fn rejects_one_way_edges() {
        let records = vec![
            rec("a", 0.0, true, vec![false, true]),
            rec("b", 1.0, true, vec![false, false]),
        ];
        assert!(graph_from_records(Path::new("s.json"), &ScanId::new("s"), &records).is_err());
    }

    #[test]
    fn write_then_read_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let graph = NavGraphSpec {
            scan: ScanId::new("demo"),
            viewpoints: vec![
                (ViewpointId::new("v0"), DVec3::new(0.0, 0.0, 1.5)),
                (ViewpointId::new("v1"), DVec3::new(2.0, 0.0, 1.5)),
                (ViewpointId::new("v2"), DVec3::new(2.0, 2.0, 1.5)),
            ],
            edges: vec![(0, 1), (1, 2)],
        };
        write_connectivity(dir.path(), &graph, 1.5).unwrap();
        let back = read_connectivity(dir.path(), &graph.scan).unwrap();
        assert_eq!(back, graph);
    }

    #[test]
    fn unknown_scan_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_connectivity(dir.path(), &ScanId::new("nope")).unwrap_err();
        assert!(err.to_string().contains("nope_connectivity.json"));
        assert!(err.to_string().contains("unknown scan"));
    }
}
