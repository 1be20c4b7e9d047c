//! A task's scene as navigate-then-ground needs it, loaded once per process: its candidate
//! objects, its walkable floor and collision geometry, and the sensors on it.

use std::sync::Arc;
use waymark_continuous::{NavScene, WalkableConfig};
use waymark_core::memo::Memo;
use waymark_scenes::load_scene;
use waymark_scenes::scene_graph::SceneGraph;
use waymark_sensors::{Sensors, regions_of};
use waymark_sg3d::{SceneObjects, SceneStore};

/// One scene, ready for walking and grounding.
#[derive(Debug)]
pub struct GroundingScene {
    /// The candidates a step may name.
    pub objects: SceneObjects,
    /// The walkable floor and what the agent collides with.
    pub nav: Arc<NavScene>,
    /// The sensors on the scene (its render, its rooms as regions).
    pub sensors: Sensors,
    /// The scene's own name, which the sensors know it by.
    pub sensor_name: String,
}

/// The scenes of a task file, each loaded on first use.
#[derive(Debug)]
pub struct SceneSet {
    files: SceneStore,
    walkable: WalkableConfig,
    loaded: Memo<String, GroundingScene>,
}

impl SceneSet {
    /// Scenes found as SG3D finds them under `--scenes`.
    pub fn new(files: SceneStore, walkable: WalkableConfig) -> Self {
        Self {
            files,
            walkable,
            loaded: Memo::new(),
        }
    }

    /// Scene `name`, loaded once: a point cloud has no walkable floor and is refused.
    pub fn get(&self, name: &str) -> Result<Arc<GroundingScene>, String> {
        self.loaded.get_or_make(&name.to_string(), || {
            let file = self.files.file_of(name)?;
            let scene = load_scene(&file, None).map_err(|e| e.to_string())?;
            if scene.mesh.is_point_cloud() {
                return Err(format!(
                    "{} is a point cloud: navigate-then-ground needs a mesh to walk on",
                    file.display()
                ));
            }
            let nav = NavScene::new(&scene, &self.walkable)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let rooms = SceneGraph::rooms_beside(&file).map_err(|e| e.to_string())?;
            tracing::debug!(scene = name, file = %file.display(), "scene loaded for walking");
            Ok(GroundingScene {
                objects: SceneObjects::of(&scene),
                nav: Arc::new(nav),
                sensor_name: scene.name.clone(),
                sensors: Sensors::from_scene(Arc::new(scene), regions_of(&rooms)),
            })
        })
    }
}
