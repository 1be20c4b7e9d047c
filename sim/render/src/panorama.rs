//! Panoramas: equirectangular images resampled from six cube faces, and MatterSim's 36
//! discretized views (12 headings × 3 elevations, 30° apart).

use crate::camera::PinholeCamera;
use crate::frame::Frame;
use crate::prepare::RenderScene;
use crate::raster::Renderer;
use glam::Vec3;
use std::f32::consts::{FRAC_PI_2, PI, TAU};

/// An equirectangular panorama `width × width/2` centred on `heading_rad` (the image centre
/// column looks along it; left to right turns clockwise). Depth is the distance along each ray.
pub fn equirect_panorama(
    renderer: &mut Renderer,
    scene: &RenderScene,
    position_m: Vec3,
    heading_rad: f32,
    width: u32,
) -> Frame {
    let width = width.max(4);
    let height = width / 2;
    let face_px = (width / 4).max(8);
    // Front, right, back, left, up, down.
    let faces: Vec<(PinholeCamera, Frame)> = [
        (0.0, 0.0),
        (FRAC_PI_2, 0.0),
        (PI, 0.0),
        (3.0 * FRAC_PI_2, 0.0),
        (0.0, FRAC_PI_2),
        (0.0, -FRAC_PI_2),
    ]
    .iter()
    .map(|&(dh, e)| {
        let camera = PinholeCamera {
            position_m,
            heading_rad: heading_rad + dh,
            elevation_rad: e,
            hfov_deg: 90.0,
            width: face_px,
            height: face_px,
        };
        (camera, renderer.render(scene, &camera))
    })
    .collect();
    let bases: Vec<_> = faces.iter().map(|(c, _)| c.basis()).collect();
    let mut out = Frame::new(width, height);
    let half = face_px as f32 / 2.0;
    for y in 0..height {
        let lat = FRAC_PI_2 - (y as f32 + 0.5) / height as f32 * PI;
        for x in 0..width {
            let lon = heading_rad + (x as f32 + 0.5) / width as f32 * TAU - PI;
            let dir = Vec3::new(lon.sin() * lat.cos(), lon.cos() * lat.cos(), lat.sin());
            // The face whose axis is closest to the ray.
            let (f, cos) = bases
                .iter()
                .enumerate()
                .map(|(i, b)| (i, dir.dot(b.forward)))
                .fold(
                    (0, f32::MIN),
                    |best, cur| if cur.1 > best.1 { cur } else { best },
                );
            let b = bases[f];
            let u = half + half * dir.dot(b.right) / cos;
            let v = half - half * dir.dot(b.up) / cos;
            let (fx, fy) = ((u as u32).min(face_px - 1), (v as u32).min(face_px - 1));
            let (_, frame) = &faces[f];
            let src = frame.index(fx, fy);
            let dst = out.index(x, y);
            out.rgb[dst] = frame.rgb[src];
            out.instance[dst] = frame.instance[src];
            out.depth_m[dst] = frame.depth_m[src] / cos;
        }
    }
    out
}

/// MatterSim's discretized views: index `12·k + i` looks at heading `30°·i` and elevation
/// `−30°, 0°, +30°` for `k = 0, 1, 2`. R2R renders them with a 60° vertical field of view.
pub fn mattersim_views(
    renderer: &mut Renderer,
    scene: &RenderScene,
    position_m: Vec3,
    width: u32,
    height: u32,
    vfov_deg: f32,
) -> Vec<(PinholeCamera, Frame)> {
    let hfov_deg = PinholeCamera::hfov_for_vfov(vfov_deg, width, height);
    (0..36)
        .map(|view| {
            let camera = PinholeCamera {
                position_m,
                heading_rad: (view % 12) as f32 * 30f32.to_radians(),
                elevation_rad: ((view / 12) as f32 - 1.0) * 30f32.to_radians(),
                hfov_deg,
                width,
                height,
            };
            (camera, renderer.render(scene, &camera))
        })
        .collect()
}
