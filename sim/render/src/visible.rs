//! What an agent sees, as data: the objects within a radius in each of the eight 45° sectors
//! around it (NavGPT's "Objects in 3m"), found in rendered instance images, so an object
//! hidden behind a wall is not listed.

use crate::camera::PinholeCamera;
use crate::frame::Frame;
use crate::prepare::RenderScene;
use crate::raster::Renderer;
use glam::{Vec2, Vec3};
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
    SectorRenders::new(renderer, scene, position_m, heading_rad, options).objects(scene, options)
}

/// The eight sector renders around a position (45° wide, the first centred on the heading),
/// rendered once and read for objects within any radius and for regions.
pub struct SectorRenders {
    position_m: Vec3,
    sectors: Vec<(PinholeCamera, Frame)>,
}

impl SectorRenders {
    /// Renders the sectors at `options`' resolution (its radius and filters apply to the
    /// queries).
    pub fn new(
        renderer: &mut Renderer,
        scene: &RenderScene,
        position_m: Vec3,
        heading_rad: f32,
        options: &VisibilityOptions,
    ) -> Self {
        let width = (45.0 * options.pixels_per_degree).ceil().max(1.0) as u32;
        let height = (options.vfov_deg * options.pixels_per_degree)
            .ceil()
            .max(1.0) as u32;
        let sectors = (0..8u8)
            .map(|sector| {
                let camera = PinholeCamera {
                    position_m,
                    heading_rad: heading_rad + (f32::from(sector) * 45.0).to_radians(),
                    elevation_rad: 0.0,
                    hfov_deg: 45.0,
                    width,
                    height,
                };
                let frame = renderer.render(scene, &camera);
                (camera, frame)
            })
            .collect();
        Self {
            position_m,
            sectors,
        }
    }

    /// The objects within `options.radius_m` in each sector, nearest first.
    pub fn objects(
        &self,
        scene: &RenderScene,
        options: &VisibilityOptions,
    ) -> [Vec<VisibleObject>; 8] {
        std::array::from_fn(|sector| {
            // instance → (pixels, nearest range, summed relative heading)
            let mut seen: BTreeMap<u32, (u32, f32, f32)> = BTreeMap::new();
            self.for_each_pixel(sector, options.radius_m, |px| {
                let entry = seen.entry(px.instance).or_insert((0, f32::MAX, 0.0));
                entry.0 += 1;
                entry.1 = entry.1.min(px.range_m);
                entry.2 += px.rel_heading_deg;
            });
            let mut objects: Vec<VisibleObject> = seen
                .into_iter()
                .filter(|(_, (pixels, _, _))| *pixels >= options.min_pixels)
                .filter_map(|(instance, (pixels, dist_m, sum))| {
                    let label = scene.label(instance).unwrap_or("object").to_string();
                    if options.ignore_labels.contains(&label) {
                        return None;
                    }
                    Some(VisibleObject {
                        instance,
                        label,
                        rel_heading_deg: wrap_deg(sum / pixels as f32),
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

    /// The regions whose floor is seen within `options.radius_m` in each sector, nearest
    /// first: a pixel of an instance labelled `floor` counts for the first region holding the
    /// point it shows. Scenes that label no floor show no regions.
    pub fn regions(
        &self,
        scene: &RenderScene,
        regions: &[Region],
        options: &VisibilityOptions,
    ) -> [Vec<VisibleRegion>; 8] {
        std::array::from_fn(|sector| {
            // region → (pixels, nearest range, summed relative heading)
            let mut seen: BTreeMap<usize, (u32, f32, f32)> = BTreeMap::new();
            self.for_each_pixel(sector, options.radius_m, |px| {
                if scene.label(px.instance) != Some("floor") {
                    return;
                }
                let Some(region) = regions
                    .iter()
                    .position(|r| r.contains(px.point_m.truncate()))
                else {
                    return;
                };
                let entry = seen.entry(region).or_insert((0, f32::MAX, 0.0));
                entry.0 += 1;
                entry.1 = entry.1.min(px.range_m);
                entry.2 += px.rel_heading_deg;
            });
            let mut found: Vec<VisibleRegion> = seen
                .into_iter()
                .filter(|(_, (pixels, _, _))| *pixels >= options.min_pixels)
                .map(|(region, (pixels, dist_m, sum))| VisibleRegion {
                    region,
                    rel_heading_deg: wrap_deg(sum / pixels as f32),
                    dist_m,
                    pixels,
                })
                .collect();
            found.sort_by(|a, b| a.dist_m.total_cmp(&b.dist_m).then(a.region.cmp(&b.region)));
            found
        })
    }

    /// Calls `f` on each pixel of sector `sector` showing an instance within `radius_m`.
    fn for_each_pixel(&self, sector: usize, radius_m: f32, mut f: impl FnMut(SectorPixel)) {
        let Some((camera, frame)) = self.sectors.get(sector) else {
            return;
        };
        let (width, height) = (camera.width, camera.height);
        let basis = camera.basis();
        let focal = camera.focal_px();
        for y in 0..height {
            for x in 0..width {
                let i = frame.index(x, y);
                let (instance, depth) = (frame.instance[i], frame.depth_m[i]);
                if instance == 0 || depth <= 0.0 {
                    continue;
                }
                let dx = (x as f32 + 0.5 - width as f32 / 2.0) / focal;
                let dy = (height as f32 / 2.0 - (y as f32 + 0.5)) / focal;
                let range_m = depth * (1.0 + dx * dx + dy * dy).sqrt();
                if range_m > radius_m {
                    continue;
                }
                f(SectorPixel {
                    instance,
                    range_m,
                    rel_heading_deg: sector as f32 * 45.0 + dx.atan().to_degrees(),
                    point_m: self.position_m
                        + (basis.forward + basis.right * dx + basis.up * dy) * depth,
                });
            }
        }
    }
}

/// A named region of the floor (a room), as a box on the ground plane.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Its name, for example `kitchen`.
    pub name: String,
    /// Its minimum corner (x, y), metres.
    pub min_m: Vec2,
    /// Its maximum corner (x, y), metres.
    pub max_m: Vec2,
}

impl Region {
    /// Whether `p` lies inside it (edges included).
    pub fn contains(&self, p: Vec2) -> bool {
        p.cmpge(self.min_m).all() && p.cmple(self.max_m).all()
    }
}

/// One region seen in one sector.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisibleRegion {
    /// Its index in the regions asked about.
    pub region: usize,
    /// Mean heading of its visible floor pixels relative to the agent, degrees in (−180, 180].
    pub rel_heading_deg: f32,
    /// Distance to its nearest visible floor pixel, metres.
    pub dist_m: f32,
    /// How many of its floor pixels are visible in this sector.
    pub pixels: u32,
}

/// One visible pixel within the radius of a sector render.
struct SectorPixel {
    instance: u32,
    range_m: f32,
    /// Relative to the agent's heading, degrees (the sector's centre ± 22.5°).
    rel_heading_deg: f32,
    /// The world point it shows.
    point_m: Vec3,
}

/// An angle in degrees folded into (−180, 180] from [−22.5, 337.5].
fn wrap_deg(deg: f32) -> f32 {
    if deg > 180.0 { deg - 360.0 } else { deg }
}
