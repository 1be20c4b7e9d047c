//! [`Scene`] → PLY: the writer side of [`crate::mesh_io`].

use crate::error::SceneError;
use crate::ply::{
    ElementData, ElementDef, Ply, PlyEncoding, PlyHeader, PropertyData, PropertyDef, PropertyKind,
    ScalarColumn, ScalarType, write_ply_bytes,
};
use crate::scene::{Scene, UpAxis};
use glam::Vec3;
use std::path::Path;
use waymark_io::write_bytes_atomic;

/// Writes `scene` as PLY (atomically): `x y z`, `nx ny nz` when the mesh has normals,
/// `red green blue` (uchar), `instance` (int) when labelled, faces as
/// `list uchar int vertex_indices`, and the comments `waymark up <axis>` and
/// `waymark label <id> <text>`. Points are written in the `up` convention.
pub fn write_ply_scene(
    path: &Path,
    scene: &Scene,
    up: UpAxis,
    encoding: PlyEncoding,
) -> Result<(), SceneError> {
    let ply = scene_to_ply(path, scene, up, encoding)?;
    let bytes = write_ply_bytes(path, &ply)?;
    Ok(write_bytes_atomic(path, &bytes)?)
}

fn scalar(name: &str, ty: ScalarType) -> PropertyDef {
    PropertyDef {
        name: name.to_owned(),
        kind: PropertyKind::Scalar(ty),
    }
}

/// Builds the PLY form of `scene` (see [`write_ply_scene`]); `path` names the file in errors.
pub fn scene_to_ply(
    path: &Path,
    scene: &Scene,
    up: UpAxis,
    encoding: PlyEncoding,
) -> Result<Ply, SceneError> {
    let mesh = &scene.mesh;
    let n = mesh.positions_m.len();
    let mismatch = |what: &str, len: usize| {
        SceneError::record(path, "scene", format!("{len} {what} for {n} vertices"))
    };
    if mesh.colors.len() != n {
        return Err(mismatch("colours", mesh.colors.len()));
    }
    let axis = match up {
        UpAxis::Z => "z",
        UpAxis::Y => "y",
    };
    let mut comments = vec![format!("waymark up {axis}")];
    for (id, label) in &scene.labels {
        if label.contains(['\n', '\r']) {
            return Err(SceneError::record(
                path,
                format!("label of instance {id}"),
                "contains a line break",
            ));
        }
        comments.push(format!("waymark label {id} {label}"));
    }
    let mut properties = vec![
        scalar("x", ScalarType::F32),
        scalar("y", ScalarType::F32),
        scalar("z", ScalarType::F32),
    ];
    let local: Vec<Vec3> = mesh.positions_m.iter().map(|&p| up.from_world(p)).collect();
    let mut columns: Vec<PropertyData> = (0..3)
        .map(|axis| {
            PropertyData::Scalar(ScalarColumn::F32(local.iter().map(|p| p[axis]).collect()))
        })
        .collect();
    if let Some(normals) = &mesh.normals {
        if normals.len() != n {
            return Err(mismatch("normals", normals.len()));
        }
        for (axis, name) in ["nx", "ny", "nz"].into_iter().enumerate() {
            properties.push(scalar(name, ScalarType::F32));
            columns.push(PropertyData::Scalar(ScalarColumn::F32(
                normals.iter().map(|&v| up.from_world(v)[axis]).collect(),
            )));
        }
    }
    for (channel, name) in ["red", "green", "blue"].into_iter().enumerate() {
        properties.push(scalar(name, ScalarType::U8));
        columns.push(PropertyData::Scalar(ScalarColumn::U8(
            mesh.colors.iter().map(|c| c[channel]).collect(),
        )));
    }
    if let Some(ids) = &mesh.instance_of_vertex {
        if ids.len() != n {
            return Err(mismatch("instance ids", ids.len()));
        }
        if let Some(i) = ids.iter().position(|&id| id > i32::MAX as u32) {
            return Err(SceneError::element(
                path,
                "vertex",
                i as u64,
                format!("instance id {} does not fit the `int` property", ids[i]),
            ));
        }
        properties.push(scalar("instance", ScalarType::I32));
        columns.push(PropertyData::Scalar(ScalarColumn::I32(
            ids.iter().map(|&id| id as i32).collect(),
        )));
    }
    let mut elements = vec![ElementData {
        def: ElementDef {
            name: "vertex".into(),
            count: n as u64,
            properties,
        },
        columns,
    }];
    if !mesh.triangles.is_empty() {
        let mut values = Vec::with_capacity(mesh.triangles.len() * 3);
        for (i, t) in mesh.triangles.iter().enumerate() {
            if let Some(&v) = t.iter().find(|&&v| v as usize >= n || v > i32::MAX as u32) {
                return Err(SceneError::element(
                    path,
                    "face",
                    i as u64,
                    format!("refers to vertex {v} of {n}"),
                ));
            }
            values.extend(t.iter().map(|&v| v as i32)); // checked above
        }
        elements.push(ElementData {
            def: ElementDef {
                name: "face".into(),
                count: mesh.triangles.len() as u64,
                properties: vec![PropertyDef {
                    name: "vertex_indices".into(),
                    kind: PropertyKind::List {
                        count: ScalarType::U8,
                        item: ScalarType::I32,
                    },
                }],
            },
            columns: vec![PropertyData::List {
                offsets: (0..=mesh.triangles.len()).map(|k| 3 * k).collect(),
                values: ScalarColumn::I32(values),
            }],
        });
    }
    Ok(Ply {
        header: PlyHeader {
            encoding,
            comments,
            obj_info: Vec::new(),
            elements: elements.iter().map(|e| e.def.clone()).collect(),
        },
        elements,
    })
}
