//! Orbit and free-fly cameras.
//!
//! Orbit (default): left-drag turns around the target, right- or middle-drag pans, the wheel
//! zooms. Free fly (`F` toggles): right-drag looks around, `W A S D` move, `Q E` go down and up,
//! Shift is faster.

use crate::coords::to_bevy;
use crate::panel::{PanelLayout, over_panel, view_rect};
use crate::state::Loaded;
use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::input::mouse::{AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;
use bevy::render::view::Msaa;
use bevy::window::PrimaryWindow;
use wgpu_types::DeviceType;

/// Marks the 3D camera.
#[derive(Component)]
pub struct ViewCamera;

/// How the camera moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraMode {
    /// Around a target.
    Orbit,
    /// First-person flight.
    Fly,
}

/// The camera's controller state (Bevy frame).
#[derive(Resource, Debug)]
pub struct CameraRig {
    /// Orbit or fly.
    pub mode: CameraMode,
    /// The orbit target.
    pub target: Vec3,
    /// Yaw about Bevy's y, radians.
    pub yaw: f32,
    /// Pitch, radians (positive looks down in orbit mode).
    pub pitch: f32,
    /// Orbit distance, metres.
    pub distance: f32,
    /// The fly camera's position.
    pub eye: Vec3,
    /// The scene generation the rig was framed for.
    framed: Option<u64>,
}

impl Default for CameraRig {
    fn default() -> Self {
        Self {
            mode: CameraMode::Orbit,
            target: Vec3::ZERO,
            yaw: 0.5,
            pitch: 0.9,
            distance: 10.0,
            eye: Vec3::new(0.0, 1.5, 5.0),
            framed: None,
        }
    }
}

impl CameraRig {
    fn orbit_transform(&self) -> Transform {
        let offset = Vec3::new(
            self.pitch.cos() * self.yaw.sin(),
            self.pitch.sin(),
            self.pitch.cos() * self.yaw.cos(),
        ) * self.distance;
        Transform::from_translation(self.target + offset).looking_at(self.target, Vec3::Y)
    }

    fn fly_transform(&self) -> Transform {
        Transform::from_translation(self.eye).with_rotation(Quat::from_euler(
            EulerRot::YXZ,
            self.yaw,
            -self.pitch,
            0.0,
        ))
    }

    /// The camera transform for the current mode.
    pub fn transform(&self) -> Transform {
        match self.mode {
            CameraMode::Orbit => self.orbit_transform(),
            CameraMode::Fly => self.fly_transform(),
        }
    }

    /// Frames the box `min..max` (Bevy frame) from the default direction, at the nearest
    /// distance where all its corners fit a view of `aspect` (width / height).
    pub fn frame(&mut self, min: Vec3, max: Vec3, aspect: f32) {
        self.target = (min + max) / 2.0;
        self.yaw = 0.5;
        self.pitch = 0.95;
        self.distance = 1.0;
        let view = self.orbit_transform();
        let (forward, right, up) = (view.forward(), view.right(), view.up());
        let tan_v = (PerspectiveProjection::default().fov / 2.0).tan();
        let tan_h = tan_v * aspect.max(0.1);
        // The camera sits at `target - forward * d`; a corner at offset `o` from the target
        // is at depth `o·forward + d` and fits when `|o·right| ≤ tan_h·depth` (and likewise up).
        let mut distance: f32 = 0.5;
        for corner in box_corners(min, max) {
            let o = corner - self.target;
            let depth = o.dot(*forward);
            distance = distance
                .max(o.dot(*right).abs() / tan_h - depth)
                .max(o.dot(*up).abs() / tan_v - depth);
        }
        self.distance = distance * 1.05;
    }
}

/// The eight corners of the box `min..max`.
fn box_corners(min: Vec3, max: Vec3) -> [Vec3; 8] {
    std::array::from_fn(|i| {
        Vec3::new(
            if i & 1 == 0 { min.x } else { max.x },
            if i & 2 == 0 { min.y } else { max.y },
            if i & 4 == 0 { min.z } else { max.z },
        )
    })
}

/// Fraction of points left out at each end of each axis when framing, so that a few stray
/// points of a scan do not push the camera away.
const FRAME_OUTLIERS: f32 = 0.01;

/// The box holding all but the outermost [`FRAME_OUTLIERS`] of `points` along each axis.
pub fn robust_bounds(points: &[Vec3]) -> Option<(Vec3, Vec3)> {
    let finite: Vec<Vec3> = points.iter().copied().filter(|p| p.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    let cut = (finite.len() as f32 * FRAME_OUTLIERS) as usize;
    let axis = |f: fn(&Vec3) -> f32| {
        let mut values: Vec<f32> = finite.iter().map(f).collect();
        values.sort_by(f32::total_cmp);
        (values[cut], values[values.len() - 1 - cut])
    };
    let (x, y, z) = (axis(|p| p.x), axis(|p| p.y), axis(|p| p.z));
    Some((Vec3::new(x.0, y.0, z.0), Vec3::new(x.1, y.1, z.1)))
}

/// Spawns the 3D camera (drawn into the space the panels leave) and the UI's camera, which
/// covers the whole window after it.
pub fn spawn_camera(mut commands: Commands, rig: Res<CameraRig>) {
    commands.spawn((
        Camera3d::default(),
        // Exact colours: the scene's vertex colours and the overlays reach the screen unchanged.
        Tonemapping::None,
        Msaa::default(),
        rig.transform(),
        ViewCamera,
    ));
    commands.spawn((
        Camera2d,
        Camera {
            order: 1,
            // The panels are opaque and cover everything outside the 3D view.
            clear_color: ClearColorConfig::None,
            ..default()
        },
        Msaa::default(),
        IsDefaultUiCamera,
    ));
}

/// Turns multisampling off on a software renderer (lavapipe, llvmpipe), where it costs about
/// half of every frame; a GPU keeps Bevy's default.
pub fn match_msaa_to_adapter(
    adapter: Option<Res<RenderAdapterInfo>>,
    mut cameras: Query<&mut Msaa>,
    mut done: Local<bool>,
) {
    let Some(adapter) = adapter.filter(|_| !*done) else {
        return;
    };
    *done = true;
    if adapter.device_type == DeviceType::Cpu {
        for mut msaa in &mut cameras {
            *msaa = Msaa::Off;
        }
        tracing::info!(adapter = %adapter.name, "software renderer: multisampling off");
    }
}

/// Frames the scene (or graph) whenever the loaded scan changes.
pub fn frame_loaded(
    loaded: Res<Loaded>,
    layout: Res<PanelLayout>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut rig: ResMut<CameraRig>,
) {
    if rig.framed == Some(loaded.generation) {
        return;
    }
    let Ok(window) = windows.single() else {
        return;
    };
    rig.framed = Some(loaded.generation);
    let mut points: Vec<Vec3> = Vec::new();
    if let Some(scene) = &loaded.scan.scene {
        points.extend(scene.mesh.positions_m.iter().map(|p| to_bevy(*p)));
    }
    if let Some(graph) = &loaded.scan.graph {
        points.extend((0..graph.len() as u32).map(|v| to_bevy(graph.position(v).as_vec3())));
    }
    if let Some((min, max)) = robust_bounds(&points) {
        let view = view_rect(&layout, window.size());
        rig.frame(min, max, view.width() / view.height().max(1.0));
        rig.eye = rig.orbit_transform().translation;
    }
}

/// A mouse drag, measured from the cursor's positions: raw mouse motion is not reported under
/// every X server (Xvfb and remote displays among them), cursor moves are.
#[derive(Default)]
pub struct Drag {
    last: Option<Vec2>,
    in_view: bool,
}

impl Drag {
    /// The cursor's move since the last frame, when a drag that began over the 3D view goes on;
    /// `cursor` is the cursor and whether it is over a panel.
    fn delta(&mut self, buttons: &ButtonInput<MouseButton>, cursor: Option<(Vec2, bool)>) -> Vec2 {
        if buttons.get_just_pressed().next().is_some() {
            self.in_view = cursor.is_some_and(|(_, over_panel)| !over_panel);
        }
        let now = cursor.map(|(c, _)| c);
        let delta = match (self.last, now) {
            (Some(a), Some(b)) if self.in_view => b - a,
            _ => Vec2::ZERO,
        };
        self.last = now;
        delta
    }
}

/// Mouse and keyboard control of the camera.
#[allow(clippy::too_many_arguments)]
pub fn control_camera(
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    scroll: Res<AccumulatedMouseScroll>,
    time: Res<Time>,
    windows: Query<&Window, With<PrimaryWindow>>,
    layout: Res<PanelLayout>,
    mut drag: Local<Drag>,
    mut rig: ResMut<CameraRig>,
    mut cameras: Query<&mut Transform, With<ViewCamera>>,
) {
    let cursor = windows.single().ok().and_then(|window| {
        let c = window.cursor_position()?;
        Some((c, over_panel(&layout, window, c)))
    });
    let delta = drag.delta(&buttons, cursor);
    let over_view = cursor.is_some_and(|(_, over)| !over);
    if keys.just_pressed(KeyCode::KeyF) {
        let current = rig.transform();
        match rig.mode {
            CameraMode::Orbit => {
                rig.mode = CameraMode::Fly;
                rig.eye = current.translation;
                let forward = current.forward();
                rig.yaw = (-forward.x).atan2(-forward.z);
                rig.pitch = -forward.y.asin();
            }
            CameraMode::Fly => {
                rig.mode = CameraMode::Orbit;
                let forward = current.forward();
                rig.target = rig.eye + forward * rig.distance;
                rig.pitch = (-forward.y).asin().clamp(0.05, 1.55);
                rig.yaw = (-forward.x).atan2(-forward.z);
            }
        }
    }
    let lines = match scroll.unit {
        MouseScrollUnit::Line => scroll.delta.y,
        MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
    };
    let lines = if over_view { lines } else { 0.0 };
    match rig.mode {
        CameraMode::Orbit => {
            if buttons.pressed(MouseButton::Left) {
                rig.yaw -= delta.x * 0.006;
                rig.pitch = (rig.pitch + delta.y * 0.006).clamp(0.05, 1.55);
            }
            if buttons.pressed(MouseButton::Right) || buttons.pressed(MouseButton::Middle) {
                let t = rig.orbit_transform();
                let scale = rig.distance * 0.0015;
                let right = t.right().as_vec3();
                let ahead = Vec3::new(t.forward().x, 0.0, t.forward().z).normalize_or_zero();
                rig.target += (-right * delta.x + ahead * delta.y) * scale;
            }
            if lines != 0.0 {
                rig.distance = (rig.distance * 0.88f32.powf(lines)).clamp(0.3, 500.0);
            }
        }
        CameraMode::Fly => {
            if buttons.pressed(MouseButton::Right) {
                rig.yaw -= delta.x * 0.004;
                rig.pitch = (rig.pitch + delta.y * 0.004).clamp(-1.5, 1.5);
            }
            let t = rig.fly_transform();
            let mut go = Vec3::ZERO;
            for (key, dir) in [
                (KeyCode::KeyW, t.forward().as_vec3()),
                (KeyCode::KeyS, -t.forward().as_vec3()),
                (KeyCode::KeyD, t.right().as_vec3()),
                (KeyCode::KeyA, -t.right().as_vec3()),
                (KeyCode::KeyE, Vec3::Y),
                (KeyCode::KeyQ, -Vec3::Y),
            ] {
                if keys.pressed(key) {
                    go += dir;
                }
            }
            let fast = keys.pressed(KeyCode::ShiftLeft) || keys.pressed(KeyCode::ShiftRight);
            let speed = if fast { 6.0 } else { 2.0 };
            rig.eye += go.normalize_or_zero() * speed * time.delta_secs();
            if lines != 0.0 {
                let forward = t.forward().as_vec3();
                rig.eye += forward * lines * 0.5;
            }
        }
    }
    for mut transform in &mut cameras {
        *transform = rig.transform();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn framing_fits_every_corner_snugly_into_the_view() {
        let (min, max) = (Vec3::new(-4.0, 0.0, -3.0), Vec3::new(5.0, 2.5, 3.0));
        let tan_v = (PerspectiveProjection::default().fov / 2.0).tan();
        for aspect in [0.5, 1.0, 1.6, 3.0] {
            let mut rig = CameraRig::default();
            rig.frame(min, max, aspect);
            let camera_from_world = rig.orbit_transform().compute_affine().inverse();
            let mut widest: f32 = 0.0;
            for corner in box_corners(min, max) {
                let p = camera_from_world.transform_point3(corner);
                let depth = -p.z;
                assert!(depth > 0.0, "corner {corner} behind the camera");
                let (x, y) = (
                    p.x.abs() / depth / (tan_v * aspect),
                    p.y.abs() / depth / tan_v,
                );
                assert!(x <= 1.0 && y <= 1.0, "corner {corner} outside ({x}, {y})");
                widest = widest.max(x).max(y);
            }
            assert!(widest > 0.9, "aspect {aspect}: the box fills only {widest}");
        }
    }

    #[test]
    fn stray_points_do_not_widen_the_framed_box() {
        let mut points: Vec<Vec3> = (0..1000)
            .map(|i| Vec3::new((i % 10) as f32, (i / 10 % 10) as f32, (i / 100) as f32) / 9.0)
            .collect();
        points.extend([Vec3::splat(100.0), Vec3::splat(-50.0), Vec3::NAN]);
        let (min, max) = robust_bounds(&points).unwrap();
        assert!(
            min.min_element() >= 0.0 && max.max_element() <= 1.0,
            "{min} {max}"
        );
        assert!(robust_bounds(&[Vec3::NAN]).is_none());
    }
}
