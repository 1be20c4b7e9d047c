//! Finding and loading the tasks' scenes, each once per process.
//!
//! `--scenes` is a folder or one scene file. In a folder, scene `S` is the first of `S.npy`,
//! `S.ply`, `S/S_vh_clean_2.ply` and `S_vh_clean_2.ply` (ScanNet's layout, with its segment
//! and aggregation files beside the mesh); a single file is scene `S` when its name is one of
//! those.

use crate::objects::SceneObjects;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::memo::Memo;
use waymark_scenes::load_scene;

/// The scenes of a task file, loaded on first use.
#[derive(Debug)]
pub struct SceneStore {
    /// `--scenes`, when given.
    root: Option<PathBuf>,
    loaded: Memo<String, SceneObjects>,
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

    /// The objects of scene `scene`, loaded once.
    pub fn objects(&self, scene: &str) -> Result<Arc<SceneObjects>, String> {
        self.loaded.get_or_make(&scene.to_string(), || {
            let file = self.file_of(scene)?;
            let loaded = load_scene(&file, None).map_err(|e| e.to_string())?;
            tracing::debug!(scene, file = %file.display(), "scene loaded");
            Ok(SceneObjects::of(&loaded))
        })
    }
}
