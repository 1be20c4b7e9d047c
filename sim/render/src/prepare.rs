//! Scene preparation: spatial chunks for culling, flat-shaded colours, instance ids.

use glam::Vec3;
use std::collections::BTreeMap;
use waymark_scenes::scene::{NO_INSTANCE, Scene};

/// Triangles (or points) per chunk.
const CHUNK: usize = 96;

/// A run of consecutive triangles or points with its bounding box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chunk {
    /// First element.
    pub start: u32,
    /// One past the last element.
    pub end: u32,
    /// Bounding box minimum (world, metres).
    pub min: Vec3,
    /// Bounding box maximum.
    pub max: Vec3,
}

/// A scene prepared for rendering. Built once; shared read-only by any number of renderers.
#[derive(Clone, Debug)]
pub struct RenderScene {
    /// Vertex positions (world, metres).
    pub(crate) positions: Vec<Vec3>,
    /// Triangles in chunk order.
    pub(crate) triangles: Vec<[u32; 3]>,
    /// Flat-shaded colour per triangle.
    pub(crate) triangle_rgb: Vec<[u8; 3]>,
    /// Instance id per triangle.
    pub(crate) triangle_instance: Vec<u32>,
    /// Chunks over `triangles`.
    pub(crate) triangle_chunks: Vec<Chunk>,
    /// Point positions in chunk order (point clouds).
    pub(crate) points: Vec<Vec3>,
    /// Colour per point.
    pub(crate) point_rgb: Vec<[u8; 3]>,
    /// Instance id per point.
    pub(crate) point_instance: Vec<u32>,
    /// Chunks over `points`.
    pub(crate) point_chunks: Vec<Chunk>,
    /// Half the side of a point's square splat, in metres.
    pub point_radius_m: f32,
    labels: BTreeMap<u32, String>,
}

/// The fixed light direction of the flat shading (from above, slightly in front).
fn light_dir() -> Vec3 {
    Vec3::new(0.3, -0.5, 0.8).normalize()
}

impl RenderScene {
    /// Prepares `scene`: triangles for a mesh, splats for a point cloud.
    pub fn new(scene: &Scene) -> Self {
        let mesh = &scene.mesh;
        let instance_of = |v: usize| {
            mesh.instance_of_vertex
                .as_ref()
                .and_then(|ids| ids.get(v).copied())
                .unwrap_or(NO_INSTANCE)
        };
        let mut out = Self {
            positions: mesh.positions_m.clone(),
            triangles: Vec::new(),
            triangle_rgb: Vec::new(),
            triangle_instance: Vec::new(),
            triangle_chunks: Vec::new(),
            points: Vec::new(),
            point_rgb: Vec::new(),
            point_instance: Vec::new(),
            point_chunks: Vec::new(),
            point_radius_m: 0.02,
            labels: scene.labels.clone(),
        };
        if mesh.is_point_cloud() {
            let order = morton_order(&mesh.positions_m);
            out.points = order.iter().map(|&i| mesh.positions_m[i]).collect();
            out.point_rgb = order.iter().map(|&i| mesh.colors[i]).collect();
            out.point_instance = order.iter().map(|&i| instance_of(i)).collect();
            out.point_chunks = chunks(out.points.len(), |i| (out.points[i], out.points[i]));
            return out;
        }
        let tris = &mesh.triangles;
        let centroids: Vec<Vec3> = tris
            .iter()
            .map(|t| {
                t.iter()
                    .map(|&v| mesh.positions_m[v as usize])
                    .sum::<Vec3>()
                    / 3.0
            })
            .collect();
        let order = morton_order(&centroids);
        // Renumber vertices in order of first use by the sorted triangles, so a chunk's
        // vertices sit together in memory (unused vertices are dropped).
        let mut new_index = vec![u32::MAX; mesh.positions_m.len()];
        out.positions.clear();
        let light = light_dir();
        for &t in &order {
            let [a, b, c] = tris[t];
            let renumbered = [a, b, c].map(|v| {
                let slot = &mut new_index[v as usize];
                if *slot == u32::MAX {
                    *slot = out.positions.len() as u32;
                    out.positions.push(mesh.positions_m[v as usize]);
                }
                *slot
            });
            let (pa, pb, pc) = (
                mesh.positions_m[a as usize],
                mesh.positions_m[b as usize],
                mesh.positions_m[c as usize],
            );
            let normal = (pb - pa).cross(pc - pa).normalize_or_zero();
            // Winding-agnostic Lambert: scans do not orient their triangles consistently.
            let shade = 0.55 + 0.45 * normal.dot(light).abs();
            let mut rgb = [0u8; 3];
            for (k, channel) in rgb.iter_mut().enumerate() {
                let sum: u32 = [a, b, c]
                    .iter()
                    .map(|&v| u32::from(mesh.colors[v as usize][k]))
                    .sum();
                *channel = (sum as f32 / 3.0 * shade).round().clamp(0.0, 255.0) as u8;
            }
            out.triangles.push(renumbered);
            out.triangle_rgb.push(rgb);
            out.triangle_instance.push(instance_of(a as usize));
        }
        out.triangle_chunks = chunks(out.triangles.len(), |i| {
            let [a, b, c] = out.triangles[i];
            let (pa, pb, pc) = (
                out.positions[a as usize],
                out.positions[b as usize],
                out.positions[c as usize],
            );
            (pa.min(pb).min(pc), pa.max(pb).max(pc))
        });
        out
    }

    /// Every instance id's label.
    pub fn labels(&self) -> &BTreeMap<u32, String> {
        &self.labels
    }

    /// The label of an instance id.
    pub fn label(&self, instance: u32) -> Option<&str> {
        self.labels.get(&instance).map(String::as_str)
    }

    /// The box around everything drawable (world, metres); `None` for an empty scene.
    pub fn bounds(&self) -> Option<(Vec3, Vec3)> {
        self.triangle_chunks
            .iter()
            .chain(&self.point_chunks)
            .map(|c| (c.min, c.max))
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
    }

    /// Triangles to draw.
    pub fn triangle_count(&self) -> usize {
        self.triangles.len()
    }

    /// Points to splat.
    pub fn point_count(&self) -> usize {
        self.points.len()
    }
}

/// Indices of `points` sorted along a Z-order (Morton) curve, so neighbours in the order are
/// neighbours in space and chunks have tight bounding boxes.
fn morton_order(points: &[Vec3]) -> Vec<usize> {
    let (min, max) = points.iter().fold(
        (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN)),
        |(lo, hi), p| (lo.min(*p), hi.max(*p)),
    );
    let scale = 1023.0 / (max - min).max(Vec3::splat(1e-6));
    let spread = |v: u32| {
        // Interleave 10 bits with two zero bits between each.
        let mut x = v & 0x3ff;
        x = (x | (x << 16)) & 0x030000ff;
        x = (x | (x << 8)) & 0x0300f00f;
        x = (x | (x << 4)) & 0x030c30c3;
        (x | (x << 2)) & 0x09249249
    };
    let mut keyed: Vec<(u32, usize)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let q = ((*p - min) * scale).clamp(Vec3::ZERO, Vec3::splat(1023.0));
            let code = spread(q.x as u32) | (spread(q.y as u32) << 1) | (spread(q.z as u32) << 2);
            (code, i)
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Splits `0..n` into runs of [`CHUNK`] with bounding boxes from `bounds(i)`.
fn chunks(n: usize, bounds: impl Fn(usize) -> (Vec3, Vec3)) -> Vec<Chunk> {
    (0..n)
        .step_by(CHUNK)
        .map(|start| {
            let end = (start + CHUNK).min(n);
            let (min, max) = (start..end).map(&bounds).fold(
                (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN)),
                |(lo, hi), (a, b)| (lo.min(a), hi.max(b)),
            );
            Chunk {
                start: start as u32,
                end: end as u32,
                min,
                max,
            }
        })
        .collect()
}
