//! What the agent sees: the candidates in its own rendered instance view within the
//! grounding distance.

use crate::scene::GroundingScene;
use glam::Vec3;
use std::collections::BTreeMap;
use waymark_core::InView;
use waymark_render::{PinholeCamera, Renderer};
use waymark_sensors::CAMERA_HEIGHT_M;

/// Fewest pixels of an object that count as seeing it (at the default 128×128 view, an
/// object about 8 cm across at 3 m).
pub const MIN_PIXELS: u32 = 4;

/// The agent's camera: where it stands and looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    /// The base position on the floor (world, metres).
    pub position_m: Vec3,
    /// Heading in radians, clockwise from `+y`.
    pub heading_rad: f32,
    /// Camera elevation in radians.
    pub elevation_rad: f32,
}

/// The square instance view that decides what is in view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewConfig {
    /// Side in pixels.
    pub size_px: u32,
    /// Horizontal field of view in degrees.
    pub hfov_deg: f32,
    /// Objects are in view when some pixel of them is this close (metres, along the ray).
    pub ground_within_m: f32,
}

/// The candidates of `scene` seen from `pose`: at least [`MIN_PIXELS`] pixels within
/// `view.ground_within_m`, nearest first (ties by id).
pub fn in_view(
    scene: &GroundingScene,
    view: &ViewConfig,
    pose: &Pose,
) -> Result<Vec<InView>, String> {
    let sensed = scene
        .loaded
        .sensors
        .prepare(&scene.loaded.scene.name)
        .map_err(|e| e.to_string())?;
    let camera = PinholeCamera {
        position_m: pose.position_m + Vec3::Z * CAMERA_HEIGHT_M,
        heading_rad: pose.heading_rad,
        elevation_rad: pose.elevation_rad,
        hfov_deg: view.hfov_deg,
        width: view.size_px,
        height: view.size_px,
    };
    camera.validate().map_err(|e| e.to_string())?;
    let frame = Renderer::new().render(&sensed.render, &camera);
    let (focal_px, half) = (camera.focal_px(), view.size_px as f32 / 2.0);
    // Per instance id: (pixels within reach, nearest distance).
    let mut seen: BTreeMap<u32, (u32, f32)> = BTreeMap::new();
    for y in 0..frame.height {
        for x in 0..frame.width {
            let i = frame.index(x, y);
            let (instance, depth_m) = (frame.instance[i], frame.depth_m[i]);
            if instance == 0 || depth_m <= 0.0 {
                continue;
            }
            // Depth is along the optical axis; the reach is along the pixel's ray.
            let dx = (x as f32 + 0.5 - half) / focal_px;
            let dy = (y as f32 + 0.5 - half) / focal_px;
            let distance_m = depth_m * (1.0 + dx * dx + dy * dy).sqrt();
            if distance_m > view.ground_within_m {
                continue;
            }
            let entry = seen.entry(instance - 1).or_insert((0, f32::INFINITY));
            entry.0 += 1;
            entry.1 = entry.1.min(distance_m);
        }
    }
    let mut out: Vec<InView> = seen
        .into_iter()
        .filter(|(id, (pixels, _))| *pixels >= MIN_PIXELS && scene.objects().get(*id).is_some())
        .map(|(id, (pixels, distance_m))| InView {
            id,
            distance_m,
            pixels,
        })
        .collect();
    out.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m).then(a.id.cmp(&b.id)));
    Ok(out)
}
