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
use crate::ply::{
    ElementData, Ply, PlyHeader, PropertyData, PropertyKind, ScalarColumn, parse_ply_bytes,
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
        vertex.scalar(name).ok_or_else(|| {
            SceneError::record(
                path,
                "element `vertex`",
                format!("no scalar property `{name}`"),
            )
        })
    };
    let mut positions_m = vec3s(column("x")?, column("y")?, column("z")?);
    for (i, p) in positions_m.iter_mut().enumerate() {
        if !p.is_finite() {
            return Err(SceneError::element(
                path,
                "vertex",
                i as u64,
                format!("position ({}, {}, {}) is not finite", p.x, p.y, p.z),
            ));
        }
        *p = up.to_world(*p);
    }
    let normals = match (
        vertex.scalar("nx"),
        vertex.scalar("ny"),
        vertex.scalar("nz"),
    ) {
        (Some(nx), Some(ny), Some(nz)) => {
            let mut normals = vec3s(nx, ny, nz);
            normals.iter_mut().for_each(|n| *n = up.to_world(*n));
            Some(normals)
        }
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

/// Zips three columns into vectors (as `f32`), directly when they are `float` already.
fn vec3s(x: &ScalarColumn, y: &ScalarColumn, z: &ScalarColumn) -> Vec<Vec3> {
    match (x.as_f32(), y.as_f32(), z.as_f32()) {
        (Some(x), Some(y), Some(z)) => x
            .iter()
            .zip(y)
            .zip(z)
            .map(|((&x, &y), &z)| Vec3::new(x, y, z))
            .collect(),
        _ => x
            .iter()
            .zip(y.iter())
            .zip(z.iter())
            .map(|((x, y), z)| Vec3::new(x as f32, y as f32, z as f32))
            .collect(),
    }
}

/// The file stem, as a scene name.
pub(crate) fn scene_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A colour channel as bytes: integers as they are; floats in 0..1 scaled and rounded half up.
/// `as u8` saturates (NaN → 0), so any value lands in 0..=255.
fn channel(values: &ScalarColumn) -> impl Iterator<Item = u8> + '_ {
    let (scale, bias) = if values.scalar_type().is_float() {
        (255.0, 0.5)
    } else {
        (1.0, 0.0)
    };
    values.iter().map(move |v| (v * scale + bias) as u8)
}

fn colors(vertex: &ElementData) -> Vec<[u8; 3]> {
    for [r, g, b] in COLOR_NAMES {
        if let (Some(r), Some(g), Some(b)) = (vertex.scalar(r), vertex.scalar(g), vertex.scalar(b))
        {
            return channel(r)
                .zip(channel(g))
                .zip(channel(b))
                .map(|((r, g), b)| [r, g, b])
                .collect();
        }
    }
    vec![DEFAULT_GREY; vertex.len()]
}

/// An integer stored in a `f64` column, or an error naming the vertex.
fn integer(path: &Path, element: &str, i: usize, what: &str, v: f64) -> Result<i64, SceneError> {
    // A round trip through i64 (a saturating cast, NaN → 0) keeps exactly the integers.
    if (v as i64) as f64 != v || v.abs() > 2f64.powi(53) {
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
        .find_map(|&name| Some((name, vertex.scalar(name)?)))
    else {
        return Ok(None);
    };
    let mut ids = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
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
    let Some(classes) = vertex.scalar("label") else {
        return Ok((instances, labels));
    };
    let mut class_of = Vec::with_capacity(classes.len());
    for (i, v) in classes.iter().enumerate() {
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
    if let Some(triangles) = uniform_triangles(path, lists, face.len(), vertex_count) {
        return triangles;
    }
    let mut triangles = Vec::with_capacity(face.len());
    let index = |i: usize, v: f64| -> Result<u32, SceneError> {
        // Fast check first: an integral value in range (NaN fails every comparison).
        if v >= 0.0 && v < vertex_count as f64 && (v as u32) as f64 == v {
            return Ok(v as u32);
        }
        let v = integer(path, "face", i, "vertex index", v)?;
        Err(SceneError::element(
            path,
            "face",
            i as u64,
            format!("refers to vertex {v} of {vertex_count}"),
        ))
    };
    let PropertyData::List { values, .. } = lists else {
        return Ok(triangles); // the filter above only lets lists through
    };
    let value = |k: usize| values.get(k).unwrap_or(f64::NAN);
    let mut corners = Vec::new();
    for i in 0..face.len() {
        let list = lists.list_range(i).unwrap_or_default();
        match list.len() {
            3 => triangles.push([
                index(i, value(list.start))?,
                index(i, value(list.start + 1))?,
                index(i, value(list.start + 2))?,
            ]),
            4.. => {
                corners.clear();
                for k in list {
                    corners.push(index(i, value(k))?);
                }
                for k in 1..corners.len() - 1 {
                    triangles.push([corners[0], corners[k], corners[k + 1]]);
                }
            }
            _ => {
                return Err(SceneError::element(
                    path,
                    "face",
                    i as u64,
                    format!("has {} vertices; a face needs at least 3", list.len()),
                ));
            }
        }
    }
    Ok(triangles)
}

/// The common case without per-index dispatch: every face a triangle of `int` or `uint`
/// indices. `None` when that does not hold (the general path then handles the file).
fn uniform_triangles(
    path: &Path,
    lists: &PropertyData,
    faces: usize,
    vertex_count: usize,
) -> Option<Result<Vec<[u32; 3]>, SceneError>> {
    let PropertyData::List { offsets, values } = lists else {
        return None;
    };
    let uniform =
        offsets.len() == faces + 1 && offsets.iter().enumerate().all(|(i, &o)| o == 3 * i);
    if !uniform || values.len() != 3 * faces {
        return None;
    }
    fn convert<T: Copy + Into<i64>>(
        path: &Path,
        values: &[T],
        vertex_count: usize,
    ) -> Result<Vec<[u32; 3]>, SceneError> {
        let index = |i: usize, v: T| {
            let v: i64 = v.into();
            match u32::try_from(v) {
                Ok(v) if (v as usize) < vertex_count => Ok(v),
                _ => Err(SceneError::element(
                    path,
                    "face",
                    i as u64,
                    format!("refers to vertex {v} of {vertex_count}"),
                )),
            }
        };
        values
            .chunks_exact(3)
            .enumerate()
            .map(|(i, t)| match *t {
                [a, b, c] => Ok([index(i, a)?, index(i, b)?, index(i, c)?]),
                _ => Ok([0; 3]), // chunks_exact(3) yields exactly 3
            })
            .collect()
    }
    match values {
        ScalarColumn::I32(v) => Some(convert(path, v, vertex_count)),
        ScalarColumn::U32(v) => Some(convert(path, v, vertex_count)),
        _ => None,
    }
}

mod write;

pub use write::{scene_to_ply, write_ply_scene};

#[cfg(test)]
mod tests;
