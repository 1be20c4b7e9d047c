//! A top-down map of the household for planners that ask for views: the reachable grid, the
//! objects coloured by state, the agent and what it holds. North (`+z`) is up.

use crate::world::{GRID_M, World};
use base64::Engine as _;
use glam::DVec2;

const BACKGROUND: [u8; 3] = [24, 24, 28];
const FLOOR: [u8; 3] = [92, 92, 100];
const AGENT: [u8; 3] = [230, 40, 40];
const HELD: [u8; 3] = [255, 255, 255];
/// The largest side of a map, in pixels.
const MAX_SIDE_PX: u32 = 4096;

/// An object's colour: what it is and the state that matters for ALFRED's goals.
fn colour(world: &World, i: usize) -> [u8; 3] {
    let o = &world.objects()[i];
    if world.heated().contains(&o.id) {
        [240, 120, 40]
    } else if world.cooled().contains(&o.id) {
        [120, 200, 255]
    } else if world.cleaned().contains(&o.id) {
        [80, 220, 120]
    } else if o.toggleable && o.is_on {
        [250, 230, 60]
    } else if o.openable {
        if o.is_open {
            [60, 200, 200]
        } else {
            [40, 70, 160]
        }
    } else if o.receptacle && !o.pickupable {
        [90, 120, 200]
    } else {
        [230, 170, 60]
    }
}

/// The map as PNG bytes, `width` × `height` pixels (each clamped to 16..=4096).
pub fn top_down_png(world: &World, reachable: &[(i32, i32)], width: u32, height: u32) -> Vec<u8> {
    // Any size a planner asks for, within reason.
    let (width, height) = (width.clamp(16, MAX_SIDE_PX), height.clamp(16, MAX_SIDE_PX));
    let points = reachable
        .iter()
        .map(|&(x, z)| DVec2::new(f64::from(x) * GRID_M, f64::from(z) * GRID_M))
        .chain(
            world
                .objects()
                .iter()
                .map(|o| DVec2::new(o.position.x, o.position.z)),
        );
    let (mut low, mut high) = (DVec2::splat(f64::INFINITY), DVec2::splat(f64::NEG_INFINITY));
    for p in points {
        low = low.min(p);
        high = high.max(p);
    }
    if !low.is_finite() {
        low = DVec2::ZERO;
        high = DVec2::ONE;
    }
    let (low, high) = (low - GRID_M, high + GRID_M);
    let scale = (f64::from(width) / (high.x - low.x)).min(f64::from(height) / (high.y - low.y));
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    for px in pixels.chunks_exact_mut(3) {
        px.copy_from_slice(&BACKGROUND);
    }
    let to_pixel = |x: f64, z: f64| {
        (
            ((x - low.x) * scale) as i64,
            (f64::from(height) - 1.0 - (z - low.y) * scale) as i64,
        )
    };
    let mut square = |x: f64, z: f64, half_px: i64, rgb: [u8; 3]| {
        let (cx, cy) = to_pixel(x, z);
        for y in cy - half_px..=cy + half_px {
            for x in cx - half_px..=cx + half_px {
                if (0..i64::from(width)).contains(&x) && (0..i64::from(height)).contains(&y) {
                    let at = ((y * i64::from(width) + x) * 3) as usize;
                    pixels[at..at + 3].copy_from_slice(&rgb);
                }
            }
        }
    };
    let cell_px = ((GRID_M * scale) / 2.0 - 1.0).max(0.0) as i64;
    for &(x, z) in reachable {
        square(f64::from(x) * GRID_M, f64::from(z) * GRID_M, cell_px, FLOOR);
    }
    let object_px = (cell_px / 2).max(1);
    for (i, o) in world.objects().iter().enumerate() {
        if !o.is_sliced && Some(o.id.as_str()) != world.held().map(|h| h.id.as_str()) {
            square(o.position.x, o.position.z, object_px, colour(world, i));
        }
    }
    let pose = world.pose();
    let at = pose.position();
    square(at.x, at.z, object_px + 1, AGENT);
    // The facing: a short line of dots ahead of the agent.
    let facing = f64::from(pose.rotation_deg).to_radians();
    for k in 1..=4 {
        let d = f64::from(k) * GRID_M / 4.0;
        square(at.x + d * facing.sin(), at.z + d * facing.cos(), 0, AGENT);
    }
    if world.held().is_some() {
        square(at.x, at.z, 0, HELD);
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Writing to a Vec cannot fail; a failure would leave an empty image, never a panic.
    if let Ok(mut writer) = encoder.write_header() {
        let _ = writer.write_image_data(&pixels);
    }
    png
}

/// [`top_down_png`] as base64 (standard alphabet, padded), as sensor readings carry images.
pub fn top_down_base64(world: &World, reachable: &[(i32, i32)], width: u32, height: u32) -> String {
    base64::engine::general_purpose::STANDARD.encode(top_down_png(world, reachable, width, height))
}
