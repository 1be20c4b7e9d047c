//! Finding and loading the tasks' scenes, each once per process.
//!
//! `--scenes` is a folder or one scene file. In a folder, scene `S` is the first of `S.npy`,
//! `S.ply`, `S/S_vh_clean_2.ply` and `S_vh_clean_2.ply` (ScanNet's layout, with its segment
//! and aggregation files beside the mesh); a single file is scene `S` when its name is one of
//! those.

use crate::objects::SceneObjects;
use glam::Vec3;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::memo::Memo;
use waymark_scenes::load_scene;
use waymark_scenes::scene::Scene;
use waymark_scenes::scene_graph::SceneGraph;
use waymark_sensors::{CAMERA_HEIGHT_M, Sensors, regions_of};

/// A loaded scene: its candidates and the sensors on it.
#[derive(Debug)]
pub struct LoadedScene {
    /// The scene itself (shared with the sensors).
    pub scene: Arc<Scene>,
    /// Its candidate objects.
    pub objects: SceneObjects,
    /// The sensors on it (rendered on first use), its rooms as regions.
    pub sensors: Sensors,
    /// Where plain grounding's sensors look from: above the centre of the scene's box, at
    /// camera height over its lowest point.
    pub centre_eye_m: Vec3,
}

impl LoadedScene {
    /// `scene`, read from `file` (its rooms from the scene graph beside it, if any).
    pub fn new(scene: Scene, file: &Path) -> Result<Self, String> {
        let rooms = SceneGraph::rooms_beside(file).map_err(|e| e.to_string())?;
        let points = &scene.mesh.positions_m;
        let (min, max) = points
            .iter()
            .fold((Vec3::INFINITY, Vec3::NEG_INFINITY), |(a, b), &p| {
                (a.min(p), b.max(p))
            });
        let centre_eye_m = if points.is_empty() {
            Vec3::Z * CAMERA_HEIGHT_M
        } else {
            ((min + max) / 2.0)
                .truncate()
                .extend(min.z + CAMERA_HEIGHT_M)
        };
        let scene = Arc::new(scene);
        Ok(Self {
            objects: SceneObjects::of(&scene),
            sensors: Sensors::from_scene(scene.clone(), regions_of(&rooms)),
            scene,
            centre_eye_m,
        })
    }

    /// Each candidate's instance with its id as text, for the bird's-eye map.
    pub fn id_labels(&self) -> Vec<(u32, String)> {
        self.objects
            .objects
            .iter()
            .map(|o| (o.id + 1, o.id.to_string()))
            .collect()
    }
}

/// The scenes of a task file, loaded on first use.
#[derive(Debug)]
pub struct SceneStore {
    /// `--scenes`, when given.
    root: Option<PathBuf>,
    loaded: Memo<String, LoadedScene>,
}

/// The file names scene `scene` may have, in the order they are tried.
fn candidates(scene: &str) -> [String; 4] {
    [
        format!("{scene}.npy"),
        format!("{scene}.ply"),
        format!("{scene}/{scene}_vh_clean_2.ply"),
        format!("{scene}_vh_clean_2.ply"),
    ]
}

impl SceneStore {
    /// Scenes under `root` (a folder or one file); `None` when `--scenes` was not given.
    pub fn new(root: Option<PathBuf>) -> Self {
        Self {
            root,
            loaded: Memo::new(),
        }
    }

    /// The file of scene `scene`, or why there is none.
    pub fn file_of(&self, scene: &str) -> Result<PathBuf, String> {
        let Some(root) = &self.root else {
            return Err("--scenes is required to run tasks (it names the scenes' files)".into());
        };
        let names = candidates(scene);
        if root.is_file() {
            let name = root.file_name();
            return match names.iter().any(|n| Path::new(n).file_name() == name) {
                true => Ok(root.clone()),
                false => Err(format!(
                    "--scenes {} is not scene {scene} (expected one of {})",
                    root.display(),
                    names.join(", ")
                )),
            };
        }
        names
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                format!(
                    "no file for scene {scene} in {} (tried {})",
                    root.display(),
                    names.join(", ")
                )
            })
    }

    /// Scene `scene`, loaded once.
    pub fn get(&self, scene: &str) -> Result<Arc<LoadedScene>, String> {
        self.loaded.get_or_make(&scene.to_string(), || {
            let file = self.file_of(scene)?;
            let loaded = load_scene(&file, None).map_err(|e| e.to_string())?;
            tracing::debug!(scene, file = %file.display(), "scene loaded");
            LoadedScene::new(loaded, &file)
        })
    }
}
