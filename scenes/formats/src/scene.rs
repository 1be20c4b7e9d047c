//! The in-memory scene model every loader produces and the renderer consumes: a vertex-coloured
//! triangle mesh or point cloud in waymark's world frame (z up, metres), with optional
//! per-vertex instance ids and the label of each instance.

use glam::Vec3;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which axis points up in a source file. waymark's world is z-up; y-up files are rotated
/// (+90° about x: `(x, y, z) → (x, −z, y)`) when loaded. Never guessed: a file either says it
/// (`comment waymark up z` in PLY, or a format that fixes it, like ScanNet) or the caller must.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpAxis {
    /// z up (Matterport, ScanNet, waymark).
    Z,
    /// y up (glTF, many exporters).
    Y,
}

impl UpAxis {
    /// Converts a point from this convention into waymark's z-up world.
    pub fn to_world(self, p: Vec3) -> Vec3 {
        match self {
            Self::Z => p,
            Self::Y => Vec3::new(p.x, -p.z, p.y),
        }
    }

    /// Converts a point from waymark's z-up world into this convention.
    pub fn from_world(self, p: Vec3) -> Vec3 {
        match self {
            Self::Z => p,
            Self::Y => Vec3::new(p.x, p.z, -p.y),
        }
    }
}

impl std::str::FromStr for UpAxis {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "z" => Ok(Self::Z),
            "y" => Ok(Self::Y),
            other => Err(format!("up axis must be `z` or `y`, not `{other}`")),
        }
    }
}

/// Instance id meaning "no object" (walls of an unlabelled scan, unlabelled points).
pub const NO_INSTANCE: u32 = 0;

/// A triangle mesh or, when `triangles` is empty, a point cloud.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SceneMesh {
    /// Vertex positions in the world frame (z up), metres.
    pub positions_m: Vec<Vec3>,
    /// Vertex colours (sRGB); the same length as `positions_m`.
    pub colors: Vec<[u8; 3]>,
    /// Vertex normals in the world frame, when the source has them.
    pub normals: Option<Vec<Vec3>>,
    /// Triangles as vertex indices (polygons are fan-triangulated on load).
    pub triangles: Vec<[u32; 3]>,
    /// Per-vertex instance id ([`NO_INSTANCE`] for none), when the source is labelled.
    pub instance_of_vertex: Option<Vec<u32>>,
}

impl SceneMesh {
    /// Whether this is a point cloud (no triangles).
    pub fn is_point_cloud(&self) -> bool {
        self.triangles.is_empty()
    }
}

/// A loaded scene: geometry plus the label of every instance id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// A short name (the file stem).
    pub name: String,
    /// The geometry.
    pub mesh: SceneMesh,
    /// Instance id → label (`chair`, `wall`, …).
    pub labels: BTreeMap<u32, String>,
}
