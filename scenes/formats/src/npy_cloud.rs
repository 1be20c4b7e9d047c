//! Labelled point clouds stored as `.npy`: an N×8 float32 array in C order, one row per point:
//! `x y z` (metres, z up), `r g b` (0–255), semantic class, instance id. This is the layout of
//! the ScanNet samples shipped with PyViz3D, such as `scene0451_01.npy`.
//!
//! Conventions, checked against `scene0451_01.npy` (107,046 points):
//! - The semantic class is a **1-based** ScanNet-20 index with **0 = unlabelled**: the file holds
//!   0, 1, 2, 3, 5, 6, 7, 8, 9, 11, 14 and 20. Class 2 is a single flat instance at z ≈ 0.02–0.16 m
//!   spanning the room (floor), class 1 tall thin instances (walls), class 5 four chair-sized
//!   instances; class 0 includes the ceiling (z ≈ 2.4–2.5 m), which is not a ScanNet-20 class.
//!   Names come from [`scannet20_name`]: 0 → `unlabelled`, 1..=20 → the class, else `class_<n>`.
//! - Raw instance ids are 1..=46 there (46 instances, none negative, no 0). Every raw id `r ≥ 0`
//!   becomes waymark id `r + 1` (so 0 stays free for [`NO_INSTANCE`] even in files that use a raw
//!   0); a negative raw id means no instance. In `scene0451_01.npy` the ids are thus 2..=47.
//! - An instance's label is its points' majority class (ties: the smaller class).

use crate::class_names::scannet20_name;
use crate::error::SceneError;
use crate::mesh_io::{majority_class, scene_name};
use crate::scene::{NO_INSTANCE, Scene, SceneMesh};
use glam::Vec3;
use npyz::{DType, NpyFile, NpyHeader, Order, TypeChar};
use std::path::Path;

/// Values per row: x, y, z, r, g, b, semantic class, instance id.
const COLUMNS: u64 = 8;

/// Reads a labelled N×8 float32 `.npy` point cloud (z up).
pub fn read_npy_cloud(path: &Path) -> Result<Scene, SceneError> {
    let bytes = std::fs::read(path).map_err(|e| SceneError::io(path, e))?;
    npy_cloud_from_bytes(path, &bytes)
}

/// Parses the bytes of a labelled `.npy` point cloud; `path` names the file in errors and gives
/// the scene its name.
pub fn npy_cloud_from_bytes(path: &Path, bytes: &[u8]) -> Result<Scene, SceneError> {
    check_shape_product(path, bytes)?;
    let mut data: &[u8] = bytes;
    let header = NpyHeader::from_reader(&mut data).map_err(|e| {
        SceneError::record(path, "header", format!("not a readable .npy file: {e}"))
    })?;
    let bad_header = |message: String| SceneError::record(path, "header", message);
    let dtype = header.dtype();
    match &dtype {
        DType::Plain(ts) if ts.type_char() == TypeChar::Float && ts.size_field() == 4 => {}
        other => {
            return Err(bad_header(format!(
                "dtype is `{}`, expected float32 (`<f4`)",
                other.descr().trim()
            )));
        }
    }
    let rows = match header.shape() {
        &[rows, COLUMNS] => rows,
        shape => {
            return Err(bad_header(format!(
                "shape is {shape:?}, expected [N, 8] (x y z r g b class instance)"
            )));
        }
    };
    if header.order() != Order::C {
        return Err(bad_header(
            "the array is in Fortran order, expected C order".into(),
        ));
    }
    let complete = data.len() as u64 / (COLUMNS * 4);
    if complete < rows {
        return Err(SceneError::record(
            path,
            format!("row {complete}"),
            format!("the file ends inside this row (truncated: {rows} rows declared)"),
        ));
    }
    // One policy for every reader: bytes a file does not account for are an error (as in PLY).
    let declared = rows.saturating_mul(COLUMNS * 4);
    if data.len() as u64 > declared {
        return Err(SceneError::record(
            path,
            "data",
            format!(
                "{} bytes after the {rows} declared rows",
                data.len() as u64 - declared
            ),
        ));
    }
    let values: Vec<f32> = NpyFile::with_header(header, data)
        .into_vec()
        .map_err(|e| SceneError::record(path, "data", e.to_string()))?;
    cloud_from_rows(path, &values)
}

/// Guards against a header whose shape product overflows (npyz multiplies it unchecked).
fn check_shape_product(path: &Path, bytes: &[u8]) -> Result<(), SceneError> {
    let head = &bytes[..bytes.len().min(1 << 16)];
    let Some(at) = head.windows(7).position(|w| w == b"'shape'") else {
        return Ok(()); // npyz reports the missing key
    };
    let rest = &head[at..];
    let (Some(open), Some(close)) = (
        rest.iter().position(|&b| b == b'('),
        rest.iter().position(|&b| b == b')'),
    ) else {
        return Ok(());
    };
    let dims = String::from_utf8_lossy(rest.get(open + 1..close).unwrap_or_default());
    let mut product: u64 = 1;
    for dim in dims.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        let Ok(dim) = dim.parse::<u64>() else {
            return Ok(()); // npyz reports it
        };
        product = product.checked_mul(dim.max(1)).ok_or_else(|| {
            SceneError::record(
                path,
                "header",
                format!("shape ({dims}) is impossibly large"),
            )
        })?;
    }
    Ok(())
}

/// An integral value of column `what` in `row`.
fn integral(path: &Path, row: usize, what: &str, v: f32) -> Result<i64, SceneError> {
    if !v.is_finite() || v.fract() != 0.0 {
        return Err(SceneError::record(
            path,
            format!("row {row}"),
            format!("{what} {v} is not an integer"),
        ));
    }
    Ok(v as i64)
}

fn cloud_from_rows(path: &Path, values: &[f32]) -> Result<Scene, SceneError> {
    let n = values.len() / COLUMNS as usize;
    let mut positions_m = Vec::with_capacity(n);
    let mut colors = Vec::with_capacity(n);
    let mut classes = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    for (row, v) in values.chunks_exact(COLUMNS as usize).enumerate() {
        let &[x, y, z, r, g, b, class, instance] = v else {
            continue; // chunks_exact yields rows of exactly 8
        };
        let p = Vec3::new(x, y, z);
        if !p.is_finite() {
            return Err(SceneError::record(
                path,
                format!("row {row}"),
                format!("position ({x}, {y}, {z}) is not finite"),
            ));
        }
        positions_m.push(p);
        // Colours outside 0–255 are an error, as PLY's unsigned bytes cannot hold them.
        if ![r, g, b].iter().all(|c| (0.0..=255.0).contains(c)) {
            return Err(SceneError::record(
                path,
                format!("row {row}"),
                format!("colour ({r}, {g}, {b}) is outside 0–255"),
            ));
        }
        colors.push([r.round() as u8, g.round() as u8, b.round() as u8]);
        classes.push(integral(path, row, "semantic class", class)?);
        let raw = integral(path, row, "instance id", instance)?;
        ids.push(if raw < 0 {
            NO_INSTANCE
        } else {
            u32::try_from(raw + 1).map_err(|_| {
                SceneError::record(
                    path,
                    format!("row {row}"),
                    format!("instance id {raw} is too large"),
                )
            })?
        });
    }
    let labels = majority_class(&ids, &classes)
        .into_iter()
        .map(|(id, class)| (id, scannet20_name(class)))
        .collect();
    Ok(Scene {
        name: scene_name(path),
        mesh: SceneMesh {
            positions_m,
            colors,
            normals: None,
            triangles: Vec::new(),
            instance_of_vertex: Some(ids),
        },
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version-1.0 `.npy` file with the given header dict and raw data.
    fn npy(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut header = dict.to_owned();
        while !(10 + header.len() + 1).is_multiple_of(64) {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        out
    }

    fn f32_rows(rows: &[[f32; 8]]) -> Vec<u8> {
        rows.iter()
            .flatten()
            .flat_map(|v| v.to_le_bytes())
            .collect()
    }

    fn cloud_file(rows: &[[f32; 8]]) -> Vec<u8> {
        let dict = format!(
            "{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, 8), }}",
            rows.len()
        );
        npy(&dict, &f32_rows(rows))
    }

    #[test]
    fn reads_points_colours_and_majority_labels() {
        let rows = [
            [0.0, 0.0, 0.0, 255.0, 0.0, 0.0, 5.0, 0.0],
            [1.0, 0.0, 0.0, 0.0, 254.6, 0.0, 5.0, 0.0],
            [2.0, 0.0, 0.0, 0.0, 0.0, 255.0, 7.0, 0.0],
            [3.0, 0.0, 0.0, 9.0, 9.0, 9.0, 1.0, 4.0],
            [4.0, 0.0, 0.0, 9.0, 9.0, 9.0, 0.0, -1.0],
        ];
        let scene = npy_cloud_from_bytes(Path::new("dir/cloud.npy"), &cloud_file(&rows)).unwrap();
        assert_eq!(scene.name, "cloud");
        assert!(scene.mesh.is_point_cloud());
        assert_eq!(scene.mesh.positions_m.len(), 5);
        assert_eq!(scene.mesh.colors[1], [0, 255, 0]);
        assert_eq!(
            scene.mesh.instance_of_vertex,
            Some(vec![1, 1, 1, 5, NO_INSTANCE])
        );
        assert_eq!(scene.labels.len(), 2);
        assert_eq!(scene.labels[&1], "chair");
        assert_eq!(scene.labels[&5], "wall");
    }

    #[test]
    fn wrong_dtype_and_shape_name_the_file_and_what_was_found() {
        let f8 = npy(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 8), }",
            &[0; 64],
        );
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &f8)
            .unwrap_err()
            .to_string();
        assert!(text.contains("c.npy") && text.contains("<f8"), "{text}");
        let wide = npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 6), }",
            &[0; 48],
        );
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &wide)
            .unwrap_err()
            .to_string();
        assert!(text.contains("c.npy") && text.contains("[2, 6]"), "{text}");
        let fortran = npy(
            "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 8), }",
            &[0; 32],
        );
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &fortran)
            .unwrap_err()
            .to_string();
        assert!(text.contains("Fortran"), "{text}");
        let text = npy_cloud_from_bytes(Path::new("c.npy"), b"PK\x03\x04 not npy")
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("c.npy") && text.contains("not a readable .npy"),
            "{text}"
        );
    }

    #[test]
    fn nan_coordinates_name_the_row() {
        let mut rows = [[0.0f32; 8]; 3];
        rows[2][1] = f32::NAN;
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &cloud_file(&rows))
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("c.npy") && text.contains("row 2") && text.contains("NaN"),
            "{text}"
        );
    }

    #[test]
    fn trailing_bytes_and_out_of_range_colours_are_errors() {
        let mut bytes = cloud_file(&[[0.0; 8]; 2]);
        bytes.extend_from_slice(&[0; 7]);
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &bytes)
            .unwrap_err()
            .to_string();
        assert!(text.contains("7 bytes after the 2 declared rows"), "{text}");
        let bad = [[0.0, 0.0, 0.0, 300.0, 0.0, 0.0, 1.0, 1.0]];
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &cloud_file(&bad))
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("row 0") && text.contains("outside 0–255"),
            "{text}"
        );
    }

    #[test]
    fn truncated_and_absurd_headers_are_errors() {
        let mut bytes = cloud_file(&[[0.0; 8]; 4]);
        bytes.truncate(bytes.len() - 5);
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &bytes)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("row 3") && text.contains("truncated"),
            "{text}"
        );
        let huge = npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (18446744073709551615, 8, 8), }",
            &[],
        );
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &huge)
            .unwrap_err()
            .to_string();
        assert!(text.contains("impossibly large"), "{text}");
        let many = npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 8), }",
            &[0; 32],
        );
        let text = npy_cloud_from_bytes(Path::new("c.npy"), &many)
            .unwrap_err()
            .to_string();
        assert!(text.contains("truncated"), "{text}");
    }
}
