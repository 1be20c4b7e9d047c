//! Scene graphs: every instance of a scene with its label, centroid, bounding box, size and
//! vertex or point count.

use crate::scene::{NO_INSTANCE, Scene};
use glam::Vec3;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// An axis-aligned box in the world frame (metres).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aabb {
    /// Minimum corner.
    pub min: Vec3,
    /// Maximum corner.
    pub max: Vec3,
}

impl Aabb {
    /// The box around `points`, or `None` when there are none.
    pub fn around(points: impl IntoIterator<Item = Vec3>) -> Option<Self> {
        points
            .into_iter()
            .fold(None, |acc, p| Some(Self::grow(acc, p)))
    }

    /// `b` grown to hold `p` (or the box of `p` alone).
    pub fn grow(b: Option<Self>, p: Vec3) -> Self {
        match b {
            None => Self { min: p, max: p },
            Some(b) => Self {
                min: b.min.min(p),
                max: b.max.max(p),
            },
        }
    }

    /// Edge lengths.
    pub fn size(&self) -> Vec3 {
        self.max - self.min
    }

    /// The centre.
    pub fn centre(&self) -> Vec3 {
        (self.min + self.max) / 2.0
    }
}

/// One object instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceNode {
    /// The instance id (as in rendered instance images).
    pub id: u32,
    /// Its label (`object` when the scene gives none).
    pub label: String,
    /// Mean of its vertices or points.
    pub centroid: Vec3,
    /// Its bounding box.
    pub aabb: Aabb,
    /// Edge lengths of the bounding box.
    pub size: Vec3,
    /// How many vertices (meshes) or points (point clouds) it has.
    pub count: usize,
}

/// A room of a generated apartment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomNode {
    /// Its kind, for example `kitchen`.
    pub name: String,
    /// Its floor area's bounding box (z from floor to ceiling).
    pub aabb: Aabb,
}

/// A scene's summary and objects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SceneGraph {
    /// The scene's name.
    pub scene: String,
    /// Vertices of the mesh, or points of the cloud.
    pub vertex_count: usize,
    /// Triangles (0 for a point cloud).
    pub face_count: usize,
    /// Whether the scene is a point cloud.
    pub point_cloud: bool,
    /// Bounds of all geometry, when there is any.
    pub bounds: Option<Aabb>,
    /// Instances, by id.
    pub instances: Vec<InstanceNode>,
    /// Rooms (generated apartments only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rooms: Vec<RoomNode>,
}

impl SceneGraph {
    /// Builds the graph of `scene`.
    pub fn of(scene: &Scene) -> Self {
        let mesh = &scene.mesh;
        let mut groups: BTreeMap<u32, (Vec3, usize, Option<Aabb>)> = BTreeMap::new();
        if let Some(ids) = &mesh.instance_of_vertex {
            for (&id, &p) in ids.iter().zip(&mesh.positions_m) {
                if id == NO_INSTANCE {
                    continue;
                }
                let entry = groups.entry(id).or_insert((Vec3::ZERO, 0, None));
                entry.0 += p;
                entry.1 += 1;
                entry.2 = Some(Aabb::grow(entry.2, p));
            }
        }
        let instances = groups
            .into_iter()
            .filter_map(|(id, (sum, count, aabb))| {
                let aabb = aabb?;
                Some(InstanceNode {
                    id,
                    label: scene
                        .labels
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| "object".into()),
                    centroid: sum / count as f32,
                    size: aabb.size(),
                    aabb,
                    count,
                })
            })
            .collect();
        Self {
            scene: scene.name.clone(),
            vertex_count: mesh.positions_m.len(),
            face_count: mesh.triangles.len(),
            point_cloud: mesh.is_point_cloud(),
            bounds: Aabb::around(mesh.positions_m.iter().copied()),
            instances,
            rooms: Vec::new(),
        }
    }

    /// The graph written beside the scene file `scene_path` (`<stem>.scene.json`, which holds
    /// the rooms of generated apartments), or the one computed from `scene` when there is none.
    pub fn beside_or_of(scene_path: &Path, scene: &Scene) -> Result<Self, waymark_io::IoError> {
        match Self::beside(scene_path)? {
            Some(graph) => Ok(graph),
            None => Ok(Self::of(scene)),
        }
    }

    /// The rooms of the graph written beside the scene file `scene_path`; none when there is no
    /// such file (only generated apartments name rooms).
    pub fn rooms_beside(scene_path: &Path) -> Result<Vec<RoomNode>, waymark_io::IoError> {
        Ok(Self::beside(scene_path)?.map_or_else(Vec::new, |graph| graph.rooms))
    }

    /// The graph in `<stem>.scene.json` beside `scene_path`, when that file exists.
    fn beside(scene_path: &Path) -> Result<Option<Self>, waymark_io::IoError> {
        let beside = scene_path.with_extension("scene.json");
        if beside.is_file() {
            waymark_io::read_json(&beside).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Distinct labels with how many instances carry each.
    pub fn label_counts(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for i in &self.instances {
            *counts.entry(i.label.as_str()).or_insert(0) += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::MeshBuilder;

    #[test]
    fn instances_get_centroids_boxes_and_counts() {
        let mut b = MeshBuilder::new();
        b.add_box(
            Vec3::new(0.0, 0.0, 0.0),
            Vec3::new(2.0, 1.0, 0.5),
            [1, 2, 3],
            4,
        );
        b.add_box(
            Vec3::new(5.0, 5.0, 0.0),
            Vec3::new(6.0, 6.0, 2.0),
            [1, 2, 3],
            9,
        );
        b.label(4, "bed");
        let g = SceneGraph::of(&b.finish("room"));
        assert_eq!(
            (g.vertex_count, g.face_count, g.point_cloud),
            (48, 24, false)
        );
        assert_eq!(g.instances.len(), 2);
        let bed = &g.instances[0];
        assert_eq!((bed.id, bed.label.as_str(), bed.count), (4, "bed", 24));
        assert_eq!(bed.centroid, Vec3::new(1.0, 0.5, 0.25));
        assert_eq!(bed.size, Vec3::new(2.0, 1.0, 0.5));
        assert_eq!(g.instances[1].label, "object");
        assert_eq!(g.bounds.unwrap().max, Vec3::new(6.0, 6.0, 2.0));
        assert_eq!(g.label_counts().get("bed"), Some(&1));
    }
}
