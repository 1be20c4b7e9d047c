//! PLY files ↔ [`Scene`]: vertex-coloured meshes and point clouds, optionally labelled.
//!
//! Reading takes positions from `x y z`; colours from `red green blue` (or `r g b`,
//! `diffuse_red …`) as integers, or as floats in 0..1 scaled to 0..255 (alpha is ignored; no
//! colour → mid grey 160); normals from `nx ny nz`; faces from the `vertex_indices` (or
//! `vertex_index`) list of the `face` element, fan-triangulated. No faces (or no `face`
//! element) makes a point cloud.
//!
//! Labels: a vertex property `instance`, `instance_id`, `objectId` or `object_id` gives instance
//! ids as stored (negative → [`NO_INSTANCE`]); a `label` property gives an integer NYU40 class
//! (ScanNet's `labels.ply` convention). With both, each instance is named after its majority
//! class; with `label` alone, instances cannot be told apart, so each class becomes one instance
//! `class + 1`. `comment waymark label <id> <text>` lines name instances and take precedence.
//!
//! The up axis is never guessed: the caller's choice wins, then a `comment waymark up z|y`
//! line; otherwise reading fails and asks for `--up z` or `--up y`.

use crate::class_names::nyu40_name;
use crate::error::SceneError;
use crate::json::write_bytes_atomic;
use crate::ply::{
    ElementData, ElementDef, Ply, PlyEncoding, PlyHeader, PropertyData, PropertyDef, PropertyKind,
    ScalarType, parse_ply_bytes, write_ply_bytes,
};
use crate::scene::{NO_INSTANCE, Scene, SceneMesh, UpAxis};
use glam::Vec3;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Colour of vertices in files without colours.
pub const DEFAULT_GREY: [u8; 3] = [160, 160, 160];

/// Vertex property names that carry an instance id, in order of preference.
const INSTANCE_NAMES: [&str; 4] = ["instance", "instance_id", "objectId", "object_id"];

/// Colour property name triples, in order of preference.
const COLOR_NAMES: [[&str; 3]; 3] = [
    ["red", "green", "blue"],
    ["r", "g", "b"],
    ["diffuse_red", "diffuse_green", "diffuse_blue"],
];

/// Reads a PLY mesh or point cloud into a scene (one `std::fs::read`, then parsing in memory).
pub fn read_ply_scene(path: &Path, up: Option<UpAxis>) -> Result<Scene, SceneError> {
    let bytes = std::fs::read(path).map_err(|e| SceneError::io(path, e))?;
    ply_scene_from_bytes(path, &bytes, up)
}

/// Parses PLY bytes into a scene; `path` names the file in errors and gives the scene its name.
pub fn ply_scene_from_bytes(
    path: &Path,
    bytes: &[u8],
    up: Option<UpAxis>,
) -> Result<Scene, SceneError> {
    let ply = parse_ply_bytes(path, bytes)?;
    scene_from_ply(path, &ply, up)
}

/// What the `comment waymark …` lines of a header say.
#[derive(Debug, Default)]
struct WaymarkComments {
    up: Option<UpAxis>,
    labels: BTreeMap<u32, String>,
}

fn waymark_comments(path: &Path, header: &PlyHeader) -> Result<WaymarkComments, SceneError> {
    let mut found = WaymarkComments::default();
    for (k, comment) in header.comments.iter().enumerate() {
        let Some(rest) = comment.strip_prefix("waymark ") else {
            continue;
        };
        let bad =
            |message: String| SceneError::record(path, format!("header comment {k}"), message);
        let rest = rest.trim_start();
        if let Some(axis) = rest.strip_prefix("up ") {
            found.up = Some(axis.parse().map_err(|e| bad(format!("`{comment}`: {e}")))?);
        } else if let Some(label) = rest.strip_prefix("label ") {
            let label = label.trim_start();
            let (id, text) = label.split_once([' ', '\t']).unwrap_or((label, ""));
            let id: u32 = id
                .parse()
                .map_err(|_| bad(format!("`{comment}`: instance id `{id}` is not a u32")))?;
            found.labels.insert(id, text.trim().to_owned());
        }
    }
    Ok(found)
}

/// Converts parsed PLY data into a scene (see the module docs for the conventions).
pub fn scene_from_ply(path: &Path, ply: &Ply, up: Option<UpAxis>) -> Result<Scene, SceneError> {
    let comments = waymark_comments(path, &ply.header)?;
    let Some(up) = up.or(comments.up) else {
        return Err(SceneError::record(
            path,
            "header",
            "the file does not say which axis is up (no `comment waymark up z|y` line): \
             pass `--up z` or `--up y`",
        ));
    };
    let vertex = ply
        .element("vertex")
        .ok_or_else(|| SceneError::record(path, "header", "no `vertex` element"))?;
    let column = |name: &str| {
        vertex.scalar(name).map(|(v, _)| v).ok_or_else(|| {
            SceneError::record(
                path,
                "element `vertex`",
                format!("no scalar property `{name}`"),
            )
        })
    };
    let (xs, ys, zs) = (column("x")?, column("y")?, column("z")?);
    let mut positions_m = Vec::with_capacity(xs.len());
    for (i, ((&x, &y), &z)) in xs.iter().zip(ys).zip(zs).enumerate() {
        let p = Vec3::new(x as f32, y as f32, z as f32);
        if !p.is_finite() {
            return Err(SceneError::element(
                path,
                "vertex",
                i as u64,
                format!("position ({x}, {y}, {z}) is not finite"),
            ));
        }
        positions_m.push(up.to_world(p));
    }
    let normals = match (
        vertex.scalar("nx"),
        vertex.scalar("ny"),
        vertex.scalar("nz"),
    ) {
        (Some((nx, _)), Some((ny, _)), Some((nz, _))) => Some(
            nx.iter()
                .zip(ny)
                .zip(nz)
                .map(|((&x, &y), &z)| up.to_world(Vec3::new(x as f32, y as f32, z as f32)))
                .collect(),
        ),
        _ => None,
    };
    let instance_of_vertex = instances(path, vertex)?;
    let (instance_of_vertex, mut labels) = semantic_labels(path, vertex, instance_of_vertex)?;
    labels.extend(comments.labels);
    let mesh = SceneMesh {
        colors: colors(vertex),
        normals,
        triangles: triangles(path, ply, positions_m.len())?,
        instance_of_vertex,
        positions_m,
    };
    Ok(Scene {
        name: scene_name(path),
        mesh,
        labels,
    })
}

/// The file stem, as a scene name.
pub(crate) fn scene_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn colors(vertex: &ElementData) -> Vec<[u8; 3]> {
    let channel = |values: &[f64], ty: ScalarType| -> Vec<u8> {
        let scale = if ty.is_float() { 255.0 } else { 1.0 };
        // `as u8` saturates (NaN → 0), so any value lands in 0..=255.
        values.iter().map(|&v| (v * scale).round() as u8).collect()
    };
    for [r, g, b] in COLOR_NAMES {
        if let (Some(r), Some(g), Some(b)) = (vertex.scalar(r), vertex.scalar(g), vertex.scalar(b))
        {
            let (r, g, b) = (channel(r.0, r.1), channel(g.0, g.1), channel(b.0, b.1));
            return r
                .iter()
                .zip(&g)
                .zip(&b)
                .map(|((&r, &g), &b)| [r, g, b])
                .collect();
        }
    }
    vec![DEFAULT_GREY; vertex.len()]
}

/// An integer stored in a `f64` column, or an error naming the vertex.
fn integer(path: &Path, element: &str, i: usize, what: &str, v: f64) -> Result<i64, SceneError> {
    if v.fract() != 0.0 || !v.is_finite() || v.abs() > 2f64.powi(53) {
        return Err(SceneError::element(
            path,
            element,
            i as u64,
            format!("{what} {v} is not an integer"),
        ));
    }
    Ok(v as i64)
}

fn instances(path: &Path, vertex: &ElementData) -> Result<Option<Vec<u32>>, SceneError> {
    let Some((name, values)) = INSTANCE_NAMES
        .iter()
        .find_map(|&name| Some((name, vertex.scalar(name)?.0)))
    else {
        return Ok(None);
    };
    let mut ids = Vec::with_capacity(values.len());
    for (i, &v) in values.iter().enumerate() {
        let id = integer(path, "vertex", i, name, v)?;
        let id = if id < 0 {
            NO_INSTANCE
        } else {
            u32::try_from(id).map_err(|_| {
                SceneError::element(path, "vertex", i as u64, format!("{name} {id} exceeds u32"))
            })?
        };
        ids.push(id);
    }
    Ok(Some(ids))
}

/// Per-vertex instance ids (if any) and the label of each instance.
type Labelled = (Option<Vec<u32>>, BTreeMap<u32, String>);

/// Applies a `label` (NYU40 class) property: names existing instances by majority class, or
/// makes one instance per class when there are no instance ids.
fn semantic_labels(
    path: &Path,
    vertex: &ElementData,
    instances: Option<Vec<u32>>,
) -> Result<Labelled, SceneError> {
    let mut labels = BTreeMap::new();
    let Some((classes, _)) = vertex.scalar("label") else {
        return Ok((instances, labels));
    };
    let mut class_of = Vec::with_capacity(classes.len());
    for (i, &v) in classes.iter().enumerate() {
        class_of.push(integer(path, "vertex", i, "label", v)?);
    }
    match instances {
        Some(ids) => {
            for (id, class) in majority_class(&ids, &class_of) {
                labels.insert(id, nyu40_name(class));
            }
            Ok((Some(ids), labels))
        }
        None => {
            let mut ids = Vec::with_capacity(class_of.len());
            for (i, &class) in class_of.iter().enumerate() {
                let id = if class < 0 {
                    NO_INSTANCE
                } else {
                    u32::try_from(class + 1).map_err(|_| {
                        SceneError::element(
                            path,
                            "vertex",
                            i as u64,
                            format!("label {class} exceeds u32"),
                        )
                    })?
                };
                if id != NO_INSTANCE {
                    labels.entry(id).or_insert_with(|| nyu40_name(class));
                }
                ids.push(id);
            }
            Ok((Some(ids), labels))
        }
    }
}

/// The most frequent class of each instance (ties: the smallest class), skipping
/// [`NO_INSTANCE`].
pub(crate) fn majority_class(ids: &[u32], classes: &[i64]) -> BTreeMap<u32, i64> {
    let mut counts: HashMap<(u32, i64), usize> = HashMap::new();
    for (&id, &class) in ids.iter().zip(classes) {
        if id != NO_INSTANCE {
            *counts.entry((id, class)).or_default() += 1;
        }
    }
    let mut best: BTreeMap<u32, (usize, i64)> = BTreeMap::new();
    for ((id, class), n) in counts {
        let entry = best.entry(id).or_insert((n, class));
        if n > entry.0 || (n == entry.0 && class < entry.1) {
            *entry = (n, class);
        }
    }
    best.into_iter()
        .map(|(id, (_, class))| (id, class))
        .collect()
}

fn triangles(path: &Path, ply: &Ply, vertex_count: usize) -> Result<Vec<[u32; 3]>, SceneError> {
    let Some(face) = ply.element("face").filter(|f| !f.is_empty()) else {
        return Ok(Vec::new());
    };
    let Some((lists, _)) = ["vertex_indices", "vertex_index"].iter().find_map(|&name| {
        face.property(name)
            .filter(|(_, k)| matches!(k, PropertyKind::List { .. }))
    }) else {
        return Err(SceneError::record(
            path,
            "element `face`",
            "no `vertex_indices` (or `vertex_index`) list property",
        ));
    };
    let mut triangles = Vec::with_capacity(face.len());
    let mut corners = Vec::new();
    for i in 0..face.len() {
        let list = lists.list(i).unwrap_or_default();
        if list.len() < 3 {
            return Err(SceneError::element(
                path,
                "face",
                i as u64,
                format!("has {} vertices; a face needs at least 3", list.len()),
            ));
        }
        corners.clear();
        for &v in list {
            let index = integer(path, "face", i, "vertex index", v)?;
            match u32::try_from(index) {
                Ok(index) if (index as usize) < vertex_count => corners.push(index),
                _ => {
                    return Err(SceneError::element(
                        path,
                        "face",
                        i as u64,
                        format!("refers to vertex {index} of {vertex_count}"),
                    ));
                }
            }
        }
        for k in 1..corners.len() - 1 {
            triangles.push([corners[0], corners[k], corners[k + 1]]);
        }
    }
    Ok(triangles)
}

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
    write_bytes_atomic(path, &bytes)
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
        .map(|axis| PropertyData::Scalar(local.iter().map(|p| f64::from(p[axis])).collect()))
        .collect();
    if let Some(normals) = &mesh.normals {
        if normals.len() != n {
            return Err(mismatch("normals", normals.len()));
        }
        for (axis, name) in ["nx", "ny", "nz"].into_iter().enumerate() {
            properties.push(scalar(name, ScalarType::F32));
            columns.push(PropertyData::Scalar(
                normals
                    .iter()
                    .map(|&v| f64::from(up.from_world(v)[axis]))
                    .collect(),
            ));
        }
    }
    for (channel, name) in ["red", "green", "blue"].into_iter().enumerate() {
        properties.push(scalar(name, ScalarType::U8));
        columns.push(PropertyData::Scalar(
            mesh.colors.iter().map(|c| f64::from(c[channel])).collect(),
        ));
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
        columns.push(PropertyData::Scalar(
            ids.iter().map(|&id| f64::from(id)).collect(),
        ));
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
            values.extend(t.iter().map(|&v| f64::from(v)));
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
                values,
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

#[cfg(test)]
mod tests;
