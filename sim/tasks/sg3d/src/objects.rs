//! A scene's candidate objects: every labelled instance but the room's structure, with its
//! box, mean colour and relations.
//!
//! Ids: SG3D's `target_id` is the scene's own 0-based object id — ScanNet's aggregation
//! `objectId`, the instance column of a labelled `.npy` cloud. waymark's loaders shift those by
//! one so that instance 0 means none (`waymark_scenes::NO_INSTANCE`), so an object's id here is
//! its waymark instance id − 1, for every scene kind (PLY files with instance ids and the
//! procedural apartments included).
//!
//! Not candidates: instances labelled `wall`, `floor`, `ceiling`, `unlabelled` or
//! `unannotated`, and instances the scene gives no label. They are kept aside, so that a task
//! naming one is told why.

use crate::relations::relate;
use glam::{DVec3, Vec3};
use std::collections::BTreeMap;
use waymark_core::GroundingObject;
use waymark_scenes::{NO_INSTANCE, Scene};

/// Labels of instances that are never candidates.
pub const SKIPPED_LABELS: [&str; 5] = ["wall", "floor", "ceiling", "unlabelled", "unannotated"];

/// A scene's objects as grounding sees them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SceneObjects {
    /// The candidates, by id, with their relations.
    pub objects: Vec<GroundingObject>,
    /// Instances that are not candidates, by id, with their label (`None`: unlabelled).
    pub skipped: BTreeMap<u32, Option<String>>,
}

impl SceneObjects {
    /// The candidates of `scene` and what was left out.
    pub fn of(scene: &Scene) -> Self {
        struct Sums {
            position: DVec3,
            colour: [u64; 3],
            count: u64,
            min: Vec3,
            max: Vec3,
        }
        let mesh = &scene.mesh;
        let mut sums: BTreeMap<u32, Sums> = BTreeMap::new();
        if let Some(ids) = &mesh.instance_of_vertex {
            let colours = mesh.colors.iter().copied().chain(std::iter::repeat([0; 3]));
            for ((&id, &p), c) in ids.iter().zip(&mesh.positions_m).zip(colours) {
                if id == NO_INSTANCE {
                    continue;
                }
                let s = sums.entry(id).or_insert(Sums {
                    position: DVec3::ZERO,
                    colour: [0; 3],
                    count: 0,
                    min: p,
                    max: p,
                });
                s.position += p.as_dvec3();
                for (sum, v) in s.colour.iter_mut().zip(c) {
                    *sum += u64::from(v);
                }
                s.count += 1;
                s.min = s.min.min(p);
                s.max = s.max.max(p);
            }
        }
        let mut out = Self::default();
        for (instance, s) in sums {
            let id = instance - 1;
            let label = scene.labels.get(&instance);
            match label {
                Some(l) if !SKIPPED_LABELS.contains(&l.as_str()) => {
                    let mean = |sum: u64| (sum as f64 / s.count as f64).round() as u8;
                    out.objects.push(GroundingObject {
                        id,
                        label: l.clone(),
                        centre_m: (s.min + s.max) / 2.0,
                        min_m: s.min,
                        max_m: s.max,
                        colour_rgb: s.colour.map(mean),
                        relations: Vec::new(),
                    });
                }
                _ => {
                    out.skipped.insert(id, label.cloned());
                }
            }
        }
        relate(&mut out.objects);
        out
    }

    /// The candidate with id `id`.
    pub fn get(&self, id: u32) -> Option<&GroundingObject> {
        self.objects.iter().find(|o| o.id == id)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use waymark_scenes::primitives::MeshBuilder;

    #[test]
    fn candidates_take_ids_minus_one_and_skip_structure() {
        let mut b = MeshBuilder::new();
        b.add_box(Vec3::ZERO, Vec3::new(4.0, 4.0, 0.1), [90, 90, 90], 1);
        b.label(1, "floor");
        b.add_box(
            Vec3::new(1.0, 1.0, 0.1),
            Vec3::new(2.0, 2.0, 0.8),
            [200, 100, 0],
            16,
        );
        b.label(16, "desk");
        b.add_box(
            Vec3::new(1.4, 1.4, 0.8),
            Vec3::new(1.5, 1.5, 0.9),
            [10, 20, 30],
            20,
        );
        b.label(20, "cup");
        b.add_box(
            Vec3::new(3.0, 3.0, 0.1),
            Vec3::new(3.1, 3.1, 0.2),
            [0; 3],
            7,
        );
        let scene = b.finish("room");
        let objects = SceneObjects::of(&scene);
        let ids: Vec<u32> = objects.objects.iter().map(|o| o.id).collect();
        assert_eq!(ids, [15, 19]);
        let desk = objects.get(15).unwrap();
        assert_eq!(desk.colour_rgb, [200, 100, 0]);
        assert!((desk.centre_m - Vec3::new(1.5, 1.5, 0.45)).length() < 1e-6);
        assert_eq!(desk.max_m, Vec3::new(2.0, 2.0, 0.8));
        assert_eq!(
            objects.skipped,
            BTreeMap::from([(0, Some("floor".to_string())), (6, None)])
        );
        let cup = objects.get(19).unwrap();
        assert!(
            cup.relations
                .iter()
                .any(|r| r.kind == waymark_core::RelationKind::On && r.object_id == 15),
            "{:?}",
            cup.relations
        );
    }
}
