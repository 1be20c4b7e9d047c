//! A task's scene as navigate-then-ground needs it, loaded once per process: SG3D's loaded
//! scene (candidates, sensors) and its walkable floor and collision geometry.

use std::sync::Arc;
use waymark_continuous::{NavScene, WalkableConfig};
use waymark_core::memo::Memo;
use waymark_sg3d::{LoadedScene, SceneStore};

/// One scene, ready for walking and grounding.
#[derive(Clone, Debug)]
pub struct GroundingScene {
    /// The scene, its candidates and its sensors.
    pub loaded: Arc<LoadedScene>,
    /// The walkable floor and what the agent collides with.
    pub nav: Arc<NavScene>,
}

impl GroundingScene {
    /// The candidates a step may name.
    pub fn objects(&self) -> &waymark_sg3d::SceneObjects {
        &self.loaded.objects
    }
}

/// The scenes of a task file, each loaded on first use.
#[derive(Debug)]
pub struct SceneSet {
    files: SceneStore,
    walkable: WalkableConfig,
    walkable_scenes: Memo<String, NavScene>,
}

impl SceneSet {
    /// Scenes found as SG3D finds them under `--scenes`.
    pub fn new(files: SceneStore, walkable: WalkableConfig) -> Self {
        Self {
            files,
            walkable,
            walkable_scenes: Memo::new(),
        }
    }

    /// Scene `name`, loaded once: a point cloud has no walkable floor and is refused.
    pub fn get(&self, name: &str) -> Result<GroundingScene, String> {
        let loaded = self.files.get(name)?;
        let nav = self.walkable_scenes.get_or_make(&name.to_string(), || {
            if loaded.scene.mesh.is_point_cloud() {
                return Err(format!(
                    "scene {name} is a point cloud: navigate-then-ground needs a mesh to walk on"
                ));
            }
            NavScene::new(&loaded.scene, &self.walkable).map_err(|e| format!("scene {name}: {e}"))
        })?;
        Ok(GroundingScene { loaded, nav })
    }
}
