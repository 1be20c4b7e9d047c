//! Hover and click picking by CPU ray casting against the scene's triangles (or points):
//! deterministic, and the hit's instance id gives the object's id and label.

use crate::camera_control::ViewCamera;
use crate::coords::to_waymark;
use crate::panel::{PanelLayout, over_panel};
use crate::scene_mesh::UpperMask;
use crate::state::Loaded;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use waymark_scenes::{NO_INSTANCE, Scene};

/// The object under the cursor and the one clicked.
#[derive(Resource, Default, Debug)]
pub struct Picked {
    /// Instance under the cursor.
    pub hovered: Option<u32>,
    /// Instance clicked last.
    pub selected: Option<u32>,
    /// The world point under the cursor.
    pub point_m: Option<Vec3>,
}

/// A hit: distance along the ray and the instance id there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// Distance along the (unit) ray, metres.
    pub t: f32,
    /// The instance id at the hit ([`NO_INSTANCE`] for none).
    pub instance: u32,
}

/// The nearest element of `scene` along the ray (waymark frame), skipping masked elements.
pub fn cast(scene: &Scene, origin: Vec3, dir: Vec3, skip: &[bool]) -> Option<Hit> {
    let mesh = &scene.mesh;
    let instance = |v: u32| {
        mesh.instance_of_vertex
            .as_ref()
            .and_then(|ids| ids.get(v as usize).copied())
            .unwrap_or(NO_INSTANCE)
    };
    let pos = |v: u32| mesh.positions_m.get(v as usize).copied();
    let mut best: Option<Hit> = None;
    if mesh.is_point_cloud() {
        let radius = 0.04f32;
        for (i, p) in mesh.positions_m.iter().enumerate() {
            if skip.get(i).copied().unwrap_or(false) {
                continue;
            }
            let t = (*p - origin).dot(dir);
            if t <= 0.0 || best.is_some_and(|b| t >= b.t) {
                continue;
            }
            if (origin + dir * t - *p).length_squared() < radius * radius {
                best = Some(Hit {
                    t,
                    instance: instance(i as u32),
                });
            }
        }
        return best;
    }
    for (i, tri) in mesh.triangles.iter().enumerate() {
        if skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (Some(a), Some(b), Some(c)) = (pos(tri[0]), pos(tri[1]), pos(tri[2])) else {
            continue;
        };
        if let Some(t) = ray_triangle(origin, dir, a, b, c)
            && best.is_none_or(|h| t < h.t)
        {
            best = Some(Hit {
                t,
                instance: instance(tri[0]),
            });
        }
    }
    best
}

/// Möller–Trumbore, both faces.
fn ray_triangle(origin: Vec3, dir: Vec3, a: Vec3, b: Vec3, c: Vec3) -> Option<f32> {
    let (e1, e2) = (b - a, c - a);
    let p = dir.cross(e2);
    let det = e1.dot(p);
    if det.abs() < 1e-12 {
        return None;
    }
    let inv = 1.0 / det;
    let s = origin - a;
    let u = s.dot(p) * inv;
    if !(0.0..=1.0).contains(&u) {
        return None;
    }
    let q = s.cross(e1);
    let v = dir.dot(q) * inv;
    if v < 0.0 || u + v > 1.0 {
        return None;
    }
    let t = e2.dot(q) * inv;
    (t > 1e-4).then_some(t)
}

/// Updates the hovered object when the cursor moves, the selected one on a click.
#[allow(clippy::too_many_arguments)]
pub fn pick(
    windows: Query<&Window, With<PrimaryWindow>>,
    cameras: Query<(&Camera, &GlobalTransform), With<ViewCamera>>,
    buttons: Res<ButtonInput<MouseButton>>,
    loaded: Res<Loaded>,
    mask: Res<UpperMask>,
    layout: Res<PanelLayout>,
    mut picked: ResMut<Picked>,
    mut last_cursor: Local<Option<Vec2>>,
    mut press_at: Local<Option<Vec2>>,
) {
    let (Ok(window), Ok((camera, camera_transform))) = (windows.single(), cameras.single()) else {
        return;
    };
    let Some(scene) = &loaded.scan.scene else {
        return;
    };
    let cursor = window.cursor_position();
    if buttons.just_pressed(MouseButton::Left) {
        *press_at = cursor;
    }
    let clicked = buttons.just_released(MouseButton::Left)
        && matches!((*press_at, cursor), (Some(a), Some(b)) if a.distance(b) < 4.0);
    if cursor == *last_cursor && !clicked {
        return;
    }
    *last_cursor = cursor;
    let Some(cursor) = cursor.filter(|c| !over_panel(&layout, window, *c)) else {
        picked.hovered = None;
        picked.point_m = None;
        return;
    };
    let Ok(ray) = camera.viewport_to_world(camera_transform, cursor) else {
        return;
    };
    let skip: &[bool] = if mask.shown { &[] } else { &mask.upper };
    let origin = to_waymark(ray.origin);
    let dir = to_waymark(ray.direction.as_vec3());
    let hit = cast(scene, origin, dir, skip);
    picked.point_m = hit.map(|h| origin + dir * h.t);
    picked.hovered = hit.map(|h| h.instance).filter(|&i| i != NO_INSTANCE);
    if clicked {
        picked.selected = picked.hovered;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use waymark_scenes::SceneMesh;

    #[test]
    fn hits_the_nearest_triangle_and_its_instance() {
        let scene = Scene {
            name: "t".into(),
            mesh: SceneMesh {
                positions_m: vec![
                    Vec3::new(-1.0, -1.0, 0.0),
                    Vec3::new(1.0, -1.0, 0.0),
                    Vec3::new(0.0, 1.0, 0.0),
                    Vec3::new(-1.0, -1.0, 1.0),
                    Vec3::new(1.0, -1.0, 1.0),
                    Vec3::new(0.0, 1.0, 1.0),
                ],
                colors: vec![[0, 0, 0]; 6],
                normals: None,
                triangles: vec![[0, 1, 2], [3, 4, 5]],
                instance_of_vertex: Some(vec![7, 7, 7, 9, 9, 9]),
            },
            labels: Default::default(),
        };
        let down = Vec3::new(0.0, 0.0, -1.0);
        let hit = cast(&scene, Vec3::new(0.0, 0.0, 5.0), down, &[]).unwrap();
        assert_eq!(hit.instance, 9);
        assert!((hit.t - 4.0).abs() < 1e-5);
        let hit = cast(&scene, Vec3::new(0.0, 0.0, 5.0), down, &[false, true]).unwrap();
        assert_eq!(hit.instance, 7);
        assert!(cast(&scene, Vec3::new(5.0, 5.0, 5.0), down, &[]).is_none());
    }
}
