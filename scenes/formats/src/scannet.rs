//! The ScanNet v2 scan layout: `<scene>_vh_clean_2.ply` (z up, metres) with its siblings
//! `<scene>_vh_clean_2.0.010000.segs.json` (`segIndices`: one segment id per vertex),
//! `<scene>.aggregation.json` (`segGroups`: `{objectId, label, segments}`) and, when present,
//! `<scene>.txt` whose `axisAlignment = …` line holds a row-major 4×4 transform.
//!
//! Each vertex gets instance id `objectId + 1` of the group that lists its segment
//! ([`NO_INSTANCE`] when none does; a segment listed by two groups goes to the later one, as in
//! ScanNet's own export scripts), and each instance the group's label.

use crate::error::SceneError;
use crate::mesh_io::read_ply_scene;
use crate::scene::{NO_INSTANCE, Scene, UpAxis};
use glam::{DMat4, DVec3};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use waymark_io::read_json;

/// The suffix of a ScanNet low-resolution mesh.
const MESH_SUFFIX: &str = "_vh_clean_2.ply";

/// The files of one ScanNet scan, derived from its mesh path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannetFiles {
    /// The scene id, for example `scene0000_00`.
    pub scene: String,
    /// `<scene>_vh_clean_2.ply`.
    pub mesh: PathBuf,
    /// `<scene>_vh_clean_2.0.010000.segs.json`.
    pub segs: PathBuf,
    /// `<scene>.aggregation.json`.
    pub aggregation: PathBuf,
    /// `<scene>.txt` (meta data with `axisAlignment`; optional).
    pub meta: PathBuf,
}

impl ScannetFiles {
    /// The sibling file names of `mesh_ply`, when its name ends with `_vh_clean_2.ply`.
    pub fn from_mesh(mesh_ply: &Path) -> Option<Self> {
        let name = mesh_ply.file_name()?.to_str()?;
        let scene = name.strip_suffix(MESH_SUFFIX).filter(|s| !s.is_empty())?;
        let sibling = |file: String| mesh_ply.with_file_name(file);
        Some(Self {
            scene: scene.to_owned(),
            mesh: mesh_ply.to_path_buf(),
            segs: sibling(format!("{scene}_vh_clean_2.0.010000.segs.json")),
            aggregation: sibling(format!("{scene}.aggregation.json")),
            meta: sibling(format!("{scene}.txt")),
        })
    }
}

/// Whether `path` is a ScanNet mesh with its segment and aggregation files beside it.
pub fn is_scannet_layout(path: &Path) -> bool {
    ScannetFiles::from_mesh(path).is_some_and(|f| f.segs.is_file() && f.aggregation.is_file())
}

#[derive(Deserialize)]
struct Segs {
    #[serde(rename = "segIndices")]
    seg_indices: Vec<u64>,
}

#[derive(Deserialize)]
struct Aggregation {
    #[serde(rename = "segGroups")]
    seg_groups: Vec<SegGroup>,
}

#[derive(Deserialize)]
struct SegGroup {
    #[serde(rename = "objectId")]
    object_id: u32,
    label: String,
    segments: Vec<u64>,
}

/// Reads a ScanNet scan from its `<scene>_vh_clean_2.ply`: geometry, per-vertex instance ids,
/// instance labels, and the axis alignment when `<scene>.txt` has one.
pub fn read_scannet_scene(mesh_ply: &Path) -> Result<Scene, SceneError> {
    let files = ScannetFiles::from_mesh(mesh_ply).ok_or_else(|| {
        SceneError::record(
            mesh_ply,
            "file name",
            format!("a ScanNet mesh is named `<scene>{MESH_SUFFIX}`"),
        )
    })?;
    let mut scene = read_ply_scene(&files.mesh, Some(UpAxis::Z))?;
    scene.name = files.scene.clone();
    let segs: Segs = read_json(&files.segs)?;
    let vertices = scene.mesh.positions_m.len();
    if segs.seg_indices.len() != vertices {
        return Err(SceneError::record(
            &files.segs,
            "segIndices",
            format!(
                "{} segment ids, but the mesh {} has {} vertices",
                segs.seg_indices.len(),
                files.mesh.display(),
                vertices
            ),
        ));
    }
    let aggregation: Aggregation = read_json(&files.aggregation)?;
    let mut instance_of_segment = HashMap::new();
    let mut labels = BTreeMap::new();
    for (k, group) in aggregation.seg_groups.iter().enumerate() {
        let id = group.object_id.checked_add(1).ok_or_else(|| {
            SceneError::record(
                &files.aggregation,
                format!("segGroups[{k}]"),
                format!("objectId {} is too large", group.object_id),
            )
        })?;
        labels.insert(id, group.label.clone());
        for &segment in &group.segments {
            instance_of_segment.insert(segment, id);
        }
    }
    scene.mesh.instance_of_vertex = Some(
        segs.seg_indices
            .iter()
            .map(|s| instance_of_segment.get(s).copied().unwrap_or(NO_INSTANCE))
            .collect(),
    );
    scene.labels = labels;
    if files.meta.is_file()
        && let Some(alignment) = read_axis_alignment(&files.meta)?
    {
        apply_alignment(&mut scene, alignment);
    }
    Ok(scene)
}

/// The `axisAlignment = <16 numbers>` line of a ScanNet meta file, as a matrix (`None` when the
/// file has no such line, as for ScanNet's test scans).
pub fn read_axis_alignment(meta: &Path) -> Result<Option<DMat4>, SceneError> {
    let text = std::fs::read_to_string(meta).map_err(|e| SceneError::io(meta, e))?;
    for (k, line) in text.lines().enumerate() {
        let Some((key, values)) = line.split_once('=') else {
            continue;
        };
        if key.trim() != "axisAlignment" {
            continue;
        }
        let bad = |message: String| SceneError::record(meta, format!("line {}", k + 1), message);
        let values = values
            .split_ascii_whitespace()
            .map(|v| v.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(v))
            .collect::<Result<Vec<f64>, &str>>()
            .map_err(|v| bad(format!("axisAlignment value `{v}` is not a finite number")))?;
        let values: [f64; 16] = values.as_slice().try_into().map_err(|_| {
            bad(format!(
                "axisAlignment has {} values, expected 16",
                values.len()
            ))
        })?;
        // The file is row-major; glam takes columns.
        return Ok(Some(DMat4::from_cols_array(&values).transpose()));
    }
    Ok(None)
}

fn apply_alignment(scene: &mut Scene, m: DMat4) {
    for p in &mut scene.mesh.positions_m {
        *p = m.transform_point3(p.as_dvec3()).as_vec3();
    }
    if let Some(normals) = &mut scene.mesh.normals {
        for n in normals {
            *n = m
                .transform_vector3(n.as_dvec3())
                .try_normalize()
                .unwrap_or(DVec3::ZERO)
                .as_vec3();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh_io::write_ply_scene;
    use crate::ply::PlyEncoding;
    use crate::scene::SceneMesh;
    use glam::Vec3;

    /// A 4-vertex, 2-triangle ScanNet-style scan: segments 10, 10, 20, 30; object 0 (chair)
    /// holds segment 10, object 1 (table) segments 20 and 99 (no vertex has 99).
    fn write_scan(dir: &Path, segs: &[u64], alignment: Option<&str>) -> PathBuf {
        let mesh_path = dir.join("scene0001_00_vh_clean_2.ply");
        let scene = Scene {
            name: "x".into(),
            mesh: SceneMesh {
                positions_m: vec![
                    Vec3::new(0.0, 0.0, 0.0),
                    Vec3::new(1.0, 0.0, 0.0),
                    Vec3::new(1.0, 1.0, 0.0),
                    Vec3::new(0.0, 1.0, 1.0),
                ],
                colors: vec![[10, 20, 30]; 4],
                normals: Some(vec![Vec3::X; 4]),
                triangles: vec![[0, 1, 2], [0, 2, 3]],
                instance_of_vertex: None,
            },
            labels: BTreeMap::new(),
        };
        write_ply_scene(
            &mesh_path,
            &scene,
            UpAxis::Z,
            PlyEncoding::BinaryLittleEndian,
        )
        .unwrap();
        let segs = serde_json::json!({"params": {}, "sceneId": "scene0001_00", "segIndices": segs});
        std::fs::write(
            dir.join("scene0001_00_vh_clean_2.0.010000.segs.json"),
            segs.to_string(),
        )
        .unwrap();
        let agg = serde_json::json!({"sceneId": "scene0001_00", "segGroups": [
            {"id": 0, "objectId": 0, "label": "chair", "segments": [10]},
            {"id": 1, "objectId": 1, "label": "table", "segments": [20, 99]},
        ]});
        std::fs::write(dir.join("scene0001_00.aggregation.json"), agg.to_string()).unwrap();
        if let Some(line) = alignment {
            std::fs::write(
                dir.join("scene0001_00.txt"),
                format!("colorHeight = 968\n{line}\nnumDepthFrames = 2\n"),
            )
            .unwrap();
        }
        mesh_path
    }

    #[test]
    fn reads_instances_labels_and_alignment() {
        let dir = tempfile::tempdir().unwrap();
        // A quarter turn about z (x → y) plus a translation of (10, 20, 30).
        let mesh = write_scan(
            dir.path(),
            &[10, 10, 20, 30],
            Some("axisAlignment = 0 -1 0 10 1 0 0 20 0 0 1 30 0 0 0 1"),
        );
        assert!(is_scannet_layout(&mesh));
        let scene = read_scannet_scene(&mesh).unwrap();
        assert_eq!(scene.name, "scene0001_00");
        assert_eq!(
            scene.mesh.instance_of_vertex,
            Some(vec![1, 1, 2, NO_INSTANCE])
        );
        assert_eq!(scene.labels.get(&1).map(String::as_str), Some("chair"));
        assert_eq!(scene.labels.get(&2).map(String::as_str), Some("table"));
        assert_eq!(scene.mesh.positions_m[0], Vec3::new(10.0, 20.0, 30.0));
        assert_eq!(scene.mesh.positions_m[1], Vec3::new(10.0, 21.0, 30.0));
        assert_eq!(scene.mesh.positions_m[3], Vec3::new(9.0, 20.0, 31.0));
        let normals = scene.mesh.normals.unwrap();
        assert!((normals[0] - Vec3::Y).length() < 1e-6, "{:?}", normals[0]);
        assert_eq!(scene.mesh.triangles.len(), 2);
    }

    #[test]
    fn no_meta_file_means_no_alignment() {
        let dir = tempfile::tempdir().unwrap();
        let mesh = write_scan(dir.path(), &[10, 10, 20, 30], None);
        let scene = read_scannet_scene(&mesh).unwrap();
        assert_eq!(scene.mesh.positions_m[3], Vec3::new(0.0, 1.0, 1.0));
    }

    #[test]
    fn wrong_segs_length_names_both_files_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mesh = write_scan(dir.path(), &[10, 10, 20], None);
        let text = read_scannet_scene(&mesh).unwrap_err().to_string();
        assert!(
            text.contains("scene0001_00_vh_clean_2.0.010000.segs.json"),
            "{text}"
        );
        assert!(text.contains("scene0001_00_vh_clean_2.ply"), "{text}");
        assert!(
            text.contains("3 segment ids") && text.contains("4 vertices"),
            "{text}"
        );
    }

    #[test]
    fn bad_alignment_and_json_name_the_file_and_place() {
        let dir = tempfile::tempdir().unwrap();
        let mesh = write_scan(dir.path(), &[10, 10, 20, 30], Some("axisAlignment = 1 0 0"));
        let text = read_scannet_scene(&mesh).unwrap_err().to_string();
        assert!(
            text.contains("scene0001_00.txt") && text.contains("line 2"),
            "{text}"
        );
        assert!(text.contains("3 values, expected 16"), "{text}");

        std::fs::write(
            dir.path().join("scene0001_00.aggregation.json"),
            r#"{"segGroups": [{"objectId": "one", "label": "x", "segments": []}]}"#,
        )
        .unwrap();
        let text = read_scannet_scene(&mesh).unwrap_err().to_string();
        assert!(
            text.contains("aggregation.json") && text.contains("segGroups[0].objectId"),
            "{text}"
        );
    }

    #[test]
    fn layout_detection_needs_the_name_and_both_siblings() {
        let dir = tempfile::tempdir().unwrap();
        let mesh = write_scan(dir.path(), &[10, 10, 20, 30], None);
        assert!(is_scannet_layout(&mesh));
        std::fs::remove_file(dir.path().join("scene0001_00.aggregation.json")).unwrap();
        assert!(!is_scannet_layout(&mesh));
        assert!(!is_scannet_layout(Path::new("room.ply")));
        assert!(ScannetFiles::from_mesh(Path::new("_vh_clean_2.ply")).is_none());
    }
}
