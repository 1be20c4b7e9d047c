//! The sensors layer. An environment that holds a scene (or knows where its scenes are) asks
//! [`Sensors::read`] for what a planner requested ([`SensorRequest`]): the objects seen within
//! a radius in each of the eight 45° sectors (from rendered instance images, so hidden objects
//! are not listed) and rendered RGB views. Each scene is loaded once per process, whatever the
//! number of episodes, workers or planners; planners only ever see the readings.

use base64::Engine;
use glam::Vec3;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_core::memo::Memo;
use waymark_core::sensors::{BirdsEyeView, ObjectsWithin, RenderedView, SeenObject, SeenRegion};
use waymark_core::{SensorReadings, SensorRequest};
use waymark_render::image_io::rgb_png_bytes;
use waymark_render::labels::label_instances;
use waymark_render::visible::{Region, SectorRenders, VisibilityOptions, VisibleObject};
use waymark_render::{Frame, PinholeCamera, RenderScene, Renderer, TopDownCamera, render_top_down};
use waymark_scenes::load_scene;
use waymark_scenes::scene::Scene;
use waymark_scenes::scene_graph::{RoomNode, SceneGraph};

/// The camera above the floor for agents whose position is on the floor (continuous
/// navigation), in metres: Habitat's default sensor height.
pub const CAMERA_HEIGHT_M: f32 = 1.25;

/// A failure to produce readings.
#[derive(Debug, thiserror::Error)]
pub enum SensorError {
    /// The scene could not be loaded.
    #[error("sensors: scene {scene} ({path}): {message}")]
    Scene {
        /// The scene's name.
        scene: String,
        /// Where it was looked for.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The planner's request cannot be met (a view size, field of view or radius out of range).
    #[error("sensors: bad request: {0}")]
    Request(String),
    /// A view could not be rendered or encoded.
    #[error("sensors: scene {scene}: {message}")]
    Render {
        /// The scene's name.
        scene: String,
        /// What went wrong.
        message: String,
    },
}

/// The largest side of a requested view, in pixels (eight headings are rendered per
/// elevation, each step).
pub const MAX_VIEW_SIDE_PX: u32 = 2048;

/// Checks what a planner asks for: positive finite radii; views of 1 to
/// [`MAX_VIEW_SIDE_PX`] pixels a side, a field of view in (0°, 180°) and finite elevations.
pub fn check_request(request: &SensorRequest) -> Result<(), SensorError> {
    if let Some(r) = request
        .objects_within_m
        .iter()
        .find(|r| !(r.is_finite() && **r > 0.0))
    {
        return Err(SensorError::Request(format!(
            "objects_within_m {r} must be a positive distance"
        )));
    }
    for (name, value) in [
        ("regions_within_m", request.regions_within_m),
        ("free_space_m", request.free_space_m),
    ] {
        if let Some(r) = value.filter(|r| !(r.is_finite() && *r > 0.0)) {
            return Err(SensorError::Request(format!(
                "{name} {r} must be a positive distance"
            )));
        }
    }
    if let Some(px) = request
        .birds_eye_px
        .filter(|px| *px == 0 || *px > MAX_VIEW_SIDE_PX)
    {
        return Err(SensorError::Request(format!(
            "birds_eye_px {px} must be between 1 and {MAX_VIEW_SIDE_PX}"
        )));
    }
    let Some(v) = &request.views else {
        return Ok(());
    };
    if v.width > MAX_VIEW_SIDE_PX || v.height > MAX_VIEW_SIDE_PX {
        return Err(SensorError::Request(format!(
            "views of {}×{} exceed {MAX_VIEW_SIDE_PX} pixels a side",
            v.width, v.height
        )));
    }
    for &elevation_deg in &v.elevations_deg {
        let camera = PinholeCamera {
            position_m: Vec3::ZERO,
            heading_rad: 0.0,
            elevation_rad: elevation_deg.to_radians(),
            hfov_deg: v.hfov_deg,
            width: v.width,
            height: v.height,
        };
        camera
            .validate()
            .map_err(|e| SensorError::Request(e.to_string()))?;
    }
    Ok(())
}

/// The bird's-eye map's cut above the scene's lowest point, metres: under most ceilings,
/// over tables and beds.
pub const BIRDS_EYE_CUT_M: f32 = 2.0;

/// Where scenes come from.
#[derive(Debug)]
enum Origin {
    /// `<dir>/<scene>.ply` (and its rooms from `<dir>/<scene>.scene.json` when there is one),
    /// loaded on first use.
    Folder(PathBuf),
    /// One scene the environment already loaded, with its named regions.
    Loaded {
        name: String,
        scene: Arc<Scene>,
        regions: Vec<Region>,
    },
}

/// A scene ready for the sensors: prepared for rendering, with its named regions.
#[derive(Debug)]
pub struct SensedScene {
    /// The scene prepared for rendering.
    pub render: RenderScene,
    /// Its named regions (rooms); empty for scenes that name none.
    pub regions: Vec<Region>,
}

/// The sensors of a batch: scenes prepared for rendering once, shared by every episode and
/// worker.
#[derive(Debug)]
pub struct Sensors {
    origin: Origin,
    prepared: Memo<String, SensedScene>,
}

/// The rooms of a scene graph as regions.
pub fn regions_of(rooms: &[RoomNode]) -> Vec<Region> {
    rooms
        .iter()
        .map(|r| Region {
            name: r.name.clone(),
            min_m: r.aabb.min.truncate(),
            max_m: r.aabb.max.truncate(),
        })
        .collect()
}

impl Sensors {
    /// Scenes `<dir>/<scene>.ply` (their files say their up axis), with the rooms of
    /// `<dir>/<scene>.scene.json` as regions when that file exists.
    pub fn from_folder(dir: impl Into<PathBuf>) -> Self {
        Self {
            origin: Origin::Folder(dir.into()),
            prepared: Memo::new(),
        }
    }

    /// The one scene an environment already loaded (prepared for rendering on first use),
    /// with its named regions.
    pub fn from_scene(scene: Arc<Scene>, regions: Vec<Region>) -> Self {
        Self {
            origin: Origin::Loaded {
                name: scene.name.clone(),
                scene,
                regions,
            },
            prepared: Memo::new(),
        }
    }

    /// Loads and prepares `scene` now (so a missing file is found before a batch starts).
    pub fn prepare(&self, scene: &str) -> Result<Arc<SensedScene>, SensorError> {
        self.prepared
            .get_or_make(&scene.to_string(), || match &self.origin {
                Origin::Folder(dir) => {
                    let path = dir.join(format!("{scene}.ply"));
                    let fail = |message: String| SensorError::Scene {
                        scene: scene.to_string(),
                        path: path.clone(),
                        message,
                    };
                    let loaded = load_scene(&path, None).map_err(|e| fail(e.to_string()))?;
                    let rooms = SceneGraph::rooms_beside(&path).map_err(|e| fail(e.to_string()))?;
                    Ok(SensedScene {
                        render: RenderScene::new(&loaded),
                        regions: regions_of(&rooms),
                    })
                }
                Origin::Loaded {
                    name,
                    scene: held,
                    regions,
                } if name == scene => Ok(SensedScene {
                    render: RenderScene::new(held),
                    regions: regions.clone(),
                }),
                Origin::Loaded { name, .. } => Err(SensorError::Scene {
                    scene: scene.to_string(),
                    path: PathBuf::from(name),
                    message: format!("these sensors hold scene {name} only"),
                }),
            })
    }

    /// The bird's-eye map of `scene` as a frame and the camera that drew it (for drawing on
    /// it), `side_px` pixels on its longer side, each `(instance, text)` written where the
    /// instance is seen.
    pub fn birds_eye_frame(
        &self,
        scene: &str,
        side_px: u32,
        labels: &[(u32, String)],
    ) -> Result<(Frame, TopDownCamera), SensorError> {
        let prepared = self.prepare(scene)?;
        let render = &prepared.render;
        let (min, max) = render.bounds().unwrap_or((Vec3::ZERO, Vec3::ONE));
        let camera = TopDownCamera::framing(
            min.truncate(),
            max.truncate(),
            side_px,
            min.z + BIRDS_EYE_CUT_M,
        );
        let mut frame = render_top_down(render, &camera);
        label_instances(&mut frame, labels);
        Ok((frame, camera))
    }

    /// The bird's-eye map of `scene` ([`BirdsEyeView`]), `side_px` pixels on its longer side,
    /// with each `(instance, text)` written where the instance is seen.
    pub fn birds_eye(
        &self,
        scene: &str,
        side_px: u32,
        labels: &[(u32, String)],
    ) -> Result<BirdsEyeView, SensorError> {
        let (frame, camera) = self.birds_eye_frame(scene, side_px, labels)?;
        let png = rgb_png_bytes(&frame).map_err(|e| SensorError::Render {
            scene: scene.to_string(),
            message: e.to_string(),
        })?;
        Ok(BirdsEyeView {
            origin_m: camera.origin_m.to_array(),
            m_per_px: camera.m_per_px,
            png_base64: base64::engine::general_purpose::STANDARD.encode(png),
        })
    }

    /// What the sensors see from `eye_m` (world, z up, metres) in `scene`: objects, views and
    /// regions, and the bird's-eye map with the scene's instance ids (its labelled objects but
    /// walls, floors and ceilings). Free space and walks need the walkable floor, which the continuous
    /// environment adds itself.
    pub fn read(
        &self,
        scene: &str,
        eye_m: Vec3,
        request: &SensorRequest,
    ) -> Result<SensorReadings, SensorError> {
        check_request(request)?;
        let prepared = self.prepare(scene)?;
        let render = &prepared.render;
        let mut renderer = Renderer::new();
        // One set of sector renders serves every radius and the regions.
        let largest_m = request
            .objects_within_m
            .iter()
            .copied()
            .chain(request.regions_within_m)
            .fold(0.0f32, f32::max);
        let sectors = (largest_m > 0.0).then(|| {
            SectorRenders::new(
                &mut renderer,
                render,
                eye_m,
                0.0,
                &VisibilityOptions::default(),
            )
        });
        let within = |radius_m: f32| VisibilityOptions {
            radius_m,
            ..VisibilityOptions::default()
        };
        let objects = match &sectors {
            Some(sectors) => request
                .objects_within_m
                .iter()
                .map(|&radius_m| ObjectsWithin {
                    radius_m,
                    sectors: seen_objects(sectors.objects(render, &within(radius_m))),
                })
                .collect(),
            None => Vec::new(),
        };
        let mut views = Vec::new();
        if let Some(v) = &request.views {
            for k in 0..8u8 {
                let heading_deg = f32::from(k) * 45.0;
                for &elevation_deg in &v.elevations_deg {
                    let camera = PinholeCamera {
                        position_m: eye_m,
                        heading_rad: heading_deg.to_radians(),
                        elevation_rad: elevation_deg.to_radians(),
                        hfov_deg: v.hfov_deg,
                        width: v.width,
                        height: v.height,
                    };
                    let frame = renderer.render(render, &camera);
                    let png = rgb_png_bytes(&frame).map_err(|e| SensorError::Render {
                        scene: scene.to_string(),
                        message: e.to_string(),
                    })?;
                    views.push(RenderedView {
                        heading_deg,
                        elevation_deg,
                        png_base64: base64::engine::general_purpose::STANDARD.encode(png),
                        depth_png_base64: None,
                    });
                }
            }
        }
        let birds_eye = match request.birds_eye_px {
            Some(px) => {
                let structure = VisibilityOptions::default().ignore_labels;
                let labels: Vec<(u32, String)> = render
                    .labels()
                    .iter()
                    .filter(|(_, l)| !structure.contains(l))
                    .map(|(&i, _)| (i, i.to_string()))
                    .collect();
                Some(self.birds_eye(scene, px, &labels)?)
            }
            None => None,
        };
        let mut readings = SensorReadings {
            objects,
            views,
            birds_eye,
            ..SensorReadings::default()
        };
        if let (Some(radius_m), Some(sectors)) = (request.regions_within_m, &sectors) {
            let regions = &prepared.regions;
            readings.region = regions
                .iter()
                .find(|r| r.contains(eye_m.truncate()))
                .map(|r| r.name.clone());
            readings.regions = sectors
                .regions(render, regions, &within(radius_m))
                .into_iter()
                .map(|seen| {
                    seen.into_iter()
                        .filter_map(|v| {
                            Some(SeenRegion {
                                name: regions.get(v.region)?.name.clone(),
                                heading_deg: v.rel_heading_deg.rem_euclid(360.0),
                                distance_m: v.dist_m,
                                walk: None,
                            })
                        })
                        .collect()
                })
                .collect();
        }
        Ok(readings)
    }
}

/// The objects seen in each absolute sector (the renders face heading 0, so sector k is
/// centred on 45k°), in the readings' terms.
fn seen_objects(sectors: [Vec<VisibleObject>; 8]) -> Vec<Vec<SeenObject>> {
    sectors
        .into_iter()
        .map(|objects| {
            objects
                .into_iter()
                .map(|o| SeenObject {
                    instance: o.instance,
                    label: o.label,
                    heading_deg: o.rel_heading_deg.rem_euclid(360.0),
                    distance_m: o.dist_m,
                    walk: None,
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use waymark_core::sensors::ViewRequest;

    fn apartments() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/apartments")
    }

    #[test]
    fn requests_out_of_range_are_errors_before_any_rendering() {
        let sensors = Sensors::from_folder(apartments());
        let eye = Vec3::new(2.0, 2.0, 1.5);
        let view = |width, hfov_deg| SensorRequest {
            objects_within_m: Vec::new(),
            views: Some(ViewRequest {
                width,
                height: 60,
                hfov_deg,
                elevations_deg: vec![0.0],
            }),
            ..Default::default()
        };
        for request in [
            view(u32::MAX, 90.0),
            view(0, 90.0),
            view(80, 180.0),
            SensorRequest {
                objects_within_m: vec![f32::NAN],
                views: None,
                ..Default::default()
            },
        ] {
            let err = sensors.read("apartment_a", eye, &request).unwrap_err();
            assert!(matches!(err, SensorError::Request(_)), "{err}");
        }
        assert!(sensors.read("apartment_a", eye, &view(80, 90.0)).is_ok());
    }

    #[test]
    fn objects_and_views_of_a_demo_apartment() {
        let sensors = Sensors::from_folder(apartments());
        let request = SensorRequest {
            objects_within_m: vec![3.0, 10.0],
            views: Some(ViewRequest {
                width: 32,
                height: 24,
                hfov_deg: 60.0,
                elevations_deg: vec![30.0, -30.0, 0.0],
            }),
            ..Default::default()
        };
        let eye = Vec3::new(2.0, 2.0, 1.5);
        let readings = sensors.read("apartment_a", eye, &request).unwrap();
        assert_eq!(readings.objects.len(), 2);
        let (near, far) = (&readings.objects[0], &readings.objects[1]);
        assert_eq!((near.sectors.len(), far.sectors.len()), (8, 8));
        let count = |o: &ObjectsWithin| o.sectors.iter().map(Vec::len).sum::<usize>();
        assert!(count(far) > 0 && count(far) >= count(near));
        for (k, sector) in far.sectors.iter().enumerate() {
            for o in sector {
                assert!(o.distance_m <= 10.0 && (0.0..360.0).contains(&o.heading_deg));
                let off = (o.heading_deg - k as f32 * 45.0 + 540.0).rem_euclid(360.0) - 180.0;
                assert!(off.abs() <= 22.5 + 1e-3, "sector {k}: {o:?}");
            }
        }
        assert_eq!(readings.views.len(), 24, "8 headings × 3 elevations");
        assert_eq!(
            (
                readings.views[1].heading_deg,
                readings.views[1].elevation_deg
            ),
            (0.0, -30.0)
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(&readings.views[0].png_base64)
            .unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // Loaded once: a second reading reuses the prepared scene.
        let again = sensors.prepare("apartment_a").unwrap();
        assert!(Arc::ptr_eq(
            &again,
            &sensors.prepare("apartment_a").unwrap()
        ));
        assert_eq!(
            sensors.read("apartment_a", eye, &request).unwrap(),
            readings
        );
    }

    #[test]
    fn regions_of_a_demo_apartment_from_its_scene_graph() {
        let sensors = Sensors::from_folder(apartments());
        let request = SensorRequest {
            regions_within_m: Some(10.0),
            ..Default::default()
        };
        // The dining room spans x 0–4.6 m, y 0–3.6 m; the living room lies north of it.
        let eye = Vec3::new(2.0, 2.0, 1.25);
        let readings = sensors.read("apartment_a", eye, &request).unwrap();
        assert_eq!(readings.region.as_deref(), Some("dining room"));
        assert_eq!(readings.regions.len(), 8);
        let names: Vec<&str> = readings
            .regions
            .iter()
            .flatten()
            .map(|r| r.name.as_str())
            .collect();
        assert!(names.contains(&"dining room"), "{names:?}");
        for (k, sector) in readings.regions.iter().enumerate() {
            for r in sector {
                let off = (r.heading_deg - k as f32 * 45.0 + 540.0).rem_euclid(360.0) - 180.0;
                assert!(
                    off.abs() <= 22.5 + 1e-3 && r.distance_m <= 10.0,
                    "sector {k}: {r:?}"
                );
            }
            assert!(
                sector
                    .windows(2)
                    .all(|w| w[0].distance_m <= w[1].distance_m)
            );
        }
        assert!(readings.objects.is_empty() && readings.free_m.is_empty());
        let bad = SensorRequest {
            regions_within_m: Some(-1.0),
            ..Default::default()
        };
        assert!(matches!(
            sensors.read("apartment_a", eye, &bad),
            Err(SensorError::Request(_))
        ));
    }

    #[test]
    fn a_missing_scene_is_an_error_naming_it() {
        let sensors = Sensors::from_folder(apartments());
        let err = sensors.prepare("nowhere").unwrap_err().to_string();
        assert!(
            err.contains("nowhere") && err.contains("nowhere.ply"),
            "{err}"
        );
    }
}
