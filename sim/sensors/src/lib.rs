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
use waymark_core::sensors::{ObjectsWithin, RenderedView, SeenObject};
use waymark_core::{SensorReadings, SensorRequest};
use waymark_render::image_io::rgb_png_bytes;
use waymark_render::visible::{VisibilityOptions, visible_objects};
use waymark_render::{PinholeCamera, RenderScene, Renderer};
use waymark_scenes::load_scene;
use waymark_scenes::scene::Scene;

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

/// Where scenes come from.
#[derive(Debug)]
enum Origin {
    /// `<dir>/<scene>.ply`, loaded on first use.
    Folder(PathBuf),
    /// One scene the environment already loaded.
    Loaded { name: String, scene: Arc<Scene> },
}

/// The sensors of a batch: scenes prepared for rendering once, shared by every episode and
/// worker.
#[derive(Debug)]
pub struct Sensors {
    origin: Origin,
    prepared: Memo<String, RenderScene>,
}

impl Sensors {
    /// Scenes `<dir>/<scene>.ply` (their files say their up axis).
    pub fn from_folder(dir: impl Into<PathBuf>) -> Self {
        Self {
            origin: Origin::Folder(dir.into()),
            prepared: Memo::new(),
        }
    }

    /// The one scene an environment already loaded (prepared for rendering on first use).
    pub fn from_scene(scene: Arc<Scene>) -> Self {
        Self {
            origin: Origin::Loaded {
                name: scene.name.clone(),
                scene,
            },
            prepared: Memo::new(),
        }
    }

    /// Loads and prepares `scene` now (so a missing file is found before a batch starts).
    pub fn prepare(&self, scene: &str) -> Result<Arc<RenderScene>, SensorError> {
        self.prepared
            .get_or_make(&scene.to_string(), || match &self.origin {
                Origin::Folder(dir) => {
                    let path = dir.join(format!("{scene}.ply"));
                    let loaded = load_scene(&path, None).map_err(|e| SensorError::Scene {
                        scene: scene.to_string(),
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                    Ok(RenderScene::new(&loaded))
                }
                Origin::Loaded { name, scene: held } if name == scene => Ok(RenderScene::new(held)),
                Origin::Loaded { name, .. } => Err(SensorError::Scene {
                    scene: scene.to_string(),
                    path: PathBuf::from(name),
                    message: format!("these sensors hold scene {name} only"),
                }),
            })
    }

    /// What the sensors see from `eye_m` (world, z up, metres) in `scene`.
    pub fn read(
        &self,
        scene: &str,
        eye_m: Vec3,
        request: &SensorRequest,
    ) -> Result<SensorReadings, SensorError> {
        check_request(request)?;
        let prepared = self.prepare(scene)?;
        let mut renderer = Renderer::new();
        let objects = request
            .objects_within_m
            .iter()
            .map(|&radius_m| ObjectsWithin {
                radius_m,
                sectors: sector_objects(&mut renderer, &prepared, eye_m, radius_m),
            })
            .collect();
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
                    let frame = renderer.render(&prepared, &camera);
                    let png = rgb_png_bytes(&frame).map_err(|e| SensorError::Render {
                        scene: scene.to_string(),
                        message: e.to_string(),
                    })?;
                    views.push(RenderedView {
                        heading_deg,
                        elevation_deg,
                        png_base64: base64::engine::general_purpose::STANDARD.encode(png),
                    });
                }
            }
        }
        Ok(SensorReadings { objects, views })
    }
}

/// The objects seen within `radius_m` in each absolute sector (the camera faces heading 0, so
/// sector k is centred on 45k°).
fn sector_objects(
    renderer: &mut Renderer,
    scene: &RenderScene,
    eye_m: Vec3,
    radius_m: f32,
) -> Vec<Vec<SeenObject>> {
    let options = VisibilityOptions {
        radius_m,
        ..VisibilityOptions::default()
    };
    visible_objects(renderer, scene, eye_m, 0.0, &options)
        .into_iter()
        .map(|objects| {
            objects
                .into_iter()
                .map(|o| SeenObject {
                    instance: o.instance,
                    label: o.label,
                    heading_deg: o.rel_heading_deg.rem_euclid(360.0),
                    distance_m: o.dist_m,
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
        };
        for request in [
            view(u32::MAX, 90.0),
            view(0, 90.0),
            view(80, 180.0),
            SensorRequest {
                objects_within_m: vec![f32::NAN],
                views: None,
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
    fn a_missing_scene_is_an_error_naming_it() {
        let sensors = Sensors::from_folder(apartments());
        let err = sensors.prepare("nowhere").unwrap_err().to_string();
        assert!(
            err.contains("nowhere") && err.contains("nowhere.ply"),
            "{err}"
        );
    }
}
