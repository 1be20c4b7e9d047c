//! Building meshes from boxes and quads (procedural scenes and tests).

use crate::scene::{NO_INSTANCE, Scene, SceneMesh};
use glam::Vec3;
use std::collections::BTreeMap;

/// Accumulates labelled, vertex-coloured geometry into a [`Scene`].
#[derive(Clone, Debug, Default)]
pub struct MeshBuilder {
    mesh: SceneMesh,
    normals: Vec<Vec3>,
    instances: Vec<u32>,
    labels: BTreeMap<u32, String>,
}

impl MeshBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names an instance id.
    pub fn label(&mut self, instance: u32, label: impl Into<String>) {
        if instance != NO_INSTANCE {
            self.labels.insert(instance, label.into());
        }
    }

    /// Adds a planar quad (corners in order around it; the front faces the side from which
    /// they run counter-clockwise) with flat normals.
    pub fn add_quad(&mut self, corners: [Vec3; 4], color: [u8; 3], instance: u32) {
        let normal = (corners[1] - corners[0])
            .cross(corners[2] - corners[0])
            .normalize_or_zero();
        let base = self.mesh.positions_m.len() as u32;
        for c in corners {
            self.mesh.positions_m.push(c);
            self.mesh.colors.push(color);
            self.normals.push(normal);
            self.instances.push(instance);
        }
        self.mesh.triangles.push([base, base + 1, base + 2]);
        self.mesh.triangles.push([base, base + 2, base + 3]);
    }

    /// Adds an axis-aligned box with outward-facing sides.
    pub fn add_box(&mut self, min: Vec3, max: Vec3, color: [u8; 3], instance: u32) {
        let (a, b) = (min.min(max), min.max(max));
        let p = |x: f32, y: f32, z: f32| Vec3::new(x, y, z);
        let faces = [
            [
                p(a.x, a.y, a.z),
                p(a.x, b.y, a.z),
                p(b.x, b.y, a.z),
                p(b.x, a.y, a.z),
            ], // bottom (−z)
            [
                p(a.x, a.y, b.z),
                p(b.x, a.y, b.z),
                p(b.x, b.y, b.z),
                p(a.x, b.y, b.z),
            ], // top (+z)
            [
                p(a.x, a.y, a.z),
                p(b.x, a.y, a.z),
                p(b.x, a.y, b.z),
                p(a.x, a.y, b.z),
            ], // −y
            [
                p(a.x, b.y, a.z),
                p(a.x, b.y, b.z),
                p(b.x, b.y, b.z),
                p(b.x, b.y, a.z),
            ], // +y
            [
                p(a.x, a.y, a.z),
                p(a.x, a.y, b.z),
                p(a.x, b.y, b.z),
                p(a.x, b.y, a.z),
            ], // −x
            [
                p(b.x, a.y, a.z),
                p(b.x, b.y, a.z),
                p(b.x, b.y, b.z),
                p(b.x, a.y, b.z),
            ], // +x
        ];
        for face in faces {
            self.add_quad(face, color, instance);
        }
    }

    /// Finishes the scene.
    pub fn finish(mut self, name: impl Into<String>) -> Scene {
        self.mesh.normals = Some(self.normals);
        self.mesh.instance_of_vertex = Some(self.instances);
        Scene {
            name: name.into(),
            mesh: self.mesh,
            labels: self.labels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_face_outwards() {
        let mut b = MeshBuilder::new();
        b.add_box(Vec3::ZERO, Vec3::ONE, [200, 10, 10], 7);
        b.label(7, "crate");
        let scene = b.finish("t");
        assert_eq!(scene.mesh.positions_m.len(), 24);
        assert_eq!(scene.mesh.triangles.len(), 12);
        let centre = Vec3::splat(0.5);
        for t in &scene.mesh.triangles {
            let [a, b, c] = t.map(|v| scene.mesh.positions_m[v as usize]);
            let n = (b - a).cross(c - a);
            assert!(n.dot((a + b + c) / 3.0 - centre) > 0.0, "normal points out");
        }
        assert_eq!(scene.labels.get(&7).map(String::as_str), Some("crate"));
    }
}
