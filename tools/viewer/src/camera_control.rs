//! Orbit and free-fly cameras.
//!
//! Orbit (default): left-drag turns around the target, right- or middle-drag pans, the wheel
//! zooms. Free fly (`F` toggles): right-drag looks around, `W A S D` move, `Q E` go down and up,
//! Shift is faster.

use crate::coords::to_bevy;
use crate::state::Loaded;
use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;

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

    /// Frames the box `min..max` (Bevy frame).
    pub fn frame(&mut self, min: Vec3, max: Vec3) {
        self.target = (min + max) / 2.0;
        self.distance = ((max - min).length() * 0.9).max(2.0);
        self.yaw = 0.5;
        self.pitch = 0.95;
    }
}

/// Spawns the camera.
pub fn spawn_camera(mut commands: Commands, rig: Res<CameraRig>) {
    commands.spawn((
        Camera3d::default(),
        // Exact colours: the scene's vertex colours and the overlays reach the screen unchanged.
        Tonemapping::None,
        rig.transform(),
        ViewCamera,
    ));
}

/// Frames the scene (or graph) whenever the loaded scan changes.
pub fn frame_loaded(loaded: Res<Loaded>, mut rig: ResMut<CameraRig>) {
    if rig.framed == Some(loaded.generation) {
        return;
    }
    rig.framed = Some(loaded.generation);
    let mut points: Vec<Vec3> = Vec::new();
    if let Some(scene) = &loaded.scan.scene {
        points.extend(scene.mesh.positions_m.iter().map(|p| to_bevy(*p)));
    }
    if let Some(graph) = &loaded.scan.graph {
        points.extend((0..graph.len() as u32).map(|v| to_bevy(graph.position(v).as_vec3())));
    }
    let finite = points.iter().filter(|p| p.is_finite());
    let (min, max) = finite.fold(
        (Vec3::splat(f32::INFINITY), Vec3::splat(f32::NEG_INFINITY)),
        |(lo, hi), p| (lo.min(*p), hi.max(*p)),
    );
    if min.is_finite() && max.is_finite() {
        rig.frame(min, max);
        rig.eye = rig.orbit_transform().translation;
    }
}

/// Mouse and keyboard control of the camera.
pub fn control_camera(
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    time: Res<Time>,
    mut rig: ResMut<CameraRig>,
    mut cameras: Query<&mut Transform, With<ViewCamera>>,
) {
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
    let delta = motion.delta;
    let lines = match scroll.unit {
        MouseScrollUnit::Line => scroll.delta.y,
        MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
    };
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
