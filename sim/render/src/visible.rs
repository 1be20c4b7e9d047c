//! What an agent sees, as data: the objects within a radius in each of the eight 45° sectors
//! around it (NavGPT's "Objects in 3m"), found in rendered instance images, so an object
//! hidden behind a wall is not listed.

use crate::camera::PinholeCamera;
use crate::prepare::RenderScene;
use crate::raster::Renderer;
use glam::Vec3;
use serde::Serialize;
use std::collections::BTreeMap;

pub use waymark_core::sensors::SECTOR_NAMES;

/// Settings of the visibility query.
#[derive(Clone, Debug, PartialEq)]
pub struct VisibilityOptions {
    /// Objects farther than this (metres, along the ray) are not listed.
    pub radius_m: f32,
    /// Pixels per degree of the sector renders.
    pub pixels_per_degree: f32,
    /// Vertical field of view of the sector renders, in degrees.
    pub vfov_deg: f32,
    /// Fewest visible pixels for an object to count.
    pub min_pixels: u32,
    /// Labels that are structure, not objects.
    pub ignore_labels: Vec<String>,
}

impl Default for VisibilityOptions {
    fn default() -> Self {
        Self {
            radius_m: 3.0,
            pixels_per_degree: 1.0,
            vfov_deg: 90.0,
            min_pixels: 3,
            ignore_labels: ["wall", "floor", "ceiling"].map(String::from).to_vec(),
        }
    }
}

/// One object seen in one sector.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisibleObject {
    /// The instance id.
    pub instance: u32,
    /// Its label.
    pub label: String,
    /// Mean heading of its visible pixels relative to the agent, degrees in (−180, 180], right positive.
    pub rel_heading_deg: f32,
    /// Distance to its nearest visible pixel, metres.
    pub dist_m: f32,
    /// How many pixels of it are visible in this sector.
    pub pixels: u32,
}

/// The objects seen in each sector (index as [`SECTOR_NAMES`]), nearest first.
pub fn visible_objects(
    renderer: &mut Renderer,
    scene: &RenderScene,
    position_m: Vec3,
    heading_rad: f32,
    options: &VisibilityOptions,
) -> [Vec<VisibleObject>; 8] {
    let width = (45.0 * options.pixels_per_degree).ceil().max(1.0) as u32;
    let height = (options.vfov_deg * options.pixels_per_degree)
        .ceil()
        .max(1.0) as u32;
    std::array::from_fn(|sector| {
        let camera = PinholeCamera {
            position_m,
            heading_rad: heading_rad + (sector as f32 * 45.0).to_radians(),
            elevation_rad: 0.0,
            hfov_deg: 45.0,
            width,
            height,
        };
        let frame = renderer.render(scene, &camera);
        // instance → (pixels, nearest range, summed relative heading)
        let mut seen: BTreeMap<u32, (u32, f32, f32)> = BTreeMap::new();
        let focal = camera.focal_px();
        for y in 0..height {
            for x in 0..width {
                let i = frame.index(x, y);
                let (inst, depth) = (frame.instance[i], frame.depth_m[i]);
                if inst == 0 || depth <= 0.0 {
                    continue;
                }
                let dx = (x as f32 + 0.5 - width as f32 / 2.0) / focal;
                let dy = (height as f32 / 2.0 - (y as f32 + 0.5)) / focal;
                let range = depth * (1.0 + dx * dx + dy * dy).sqrt();
                if range > options.radius_m {
                    continue;
                }
                let rel = sector as f32 * 45.0 + dx.atan().to_degrees();
                let entry = seen.entry(inst).or_insert((0, f32::MAX, 0.0));
                entry.0 += 1;
                entry.1 = entry.1.min(range);
                entry.2 += rel;
            }
        }
        let mut objects: Vec<VisibleObject> = seen
            .into_iter()
            .filter(|(_, (pixels, _, _))| *pixels >= options.min_pixels)
            .filter_map(|(instance, (pixels, dist_m, sum))| {
                let label = scene.label(instance).unwrap_or("object").to_string();
                if options.ignore_labels.contains(&label) {
                    return None;
                }
                let mut rel_heading_deg = sum / pixels as f32;
                if rel_heading_deg > 180.0 {
                    rel_heading_deg -= 360.0;
                }
                Some(VisibleObject {
                    instance,
                    label,
                    rel_heading_deg,
                    dist_m,
                    pixels,
                })
            })
            .collect();
        objects.sort_by(|a, b| {
            a.dist_m
                .total_cmp(&b.dist_m)
                .then(a.instance.cmp(&b.instance))
        });
        objects
    })
}
