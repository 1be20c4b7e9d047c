//! What the viewer was asked to open, and where the scene and graph of each scan come from.

use crate::args::Args;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use waymark_core::ScanId;
use waymark_render::RenderScene;
use waymark_scenes::scene_graph::{InstanceNode, SceneGraph};
use waymark_scenes::{Scene, UpAxis, load_scene, read_connectivity};
use waymark_sim::NavGraph;

/// The kind of the input path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A scene file.
    Scene(PathBuf),
    /// A connectivity graph: its folder and scan.
    Graph {
        /// The folder holding `<scan>_connectivity.json`.
        dir: PathBuf,
        /// The scan.
        scan: String,
    },
    /// An eval output folder.
    EvalDir(PathBuf),
}

impl Input {
    /// Classifies `path`: a folder with `run.json`, a `*_connectivity.json` file, or a scene.
    pub fn classify(path: &Path) -> Result<Self> {
        if path.is_dir() {
            if path.join(waymark_eval::run_dir::MANIFEST_FILE).is_file() {
                return Ok(Self::EvalDir(path.to_path_buf()));
            }
            bail!(
                "{}: a folder without run.json is not an eval output folder",
                path.display()
            );
        }
        if !path.is_file() {
            bail!("{}: no such file or folder", path.display());
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(scan) = name.strip_suffix("_connectivity.json") {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            return Ok(Self::Graph {
                dir,
                scan: scan.to_string(),
            });
        }
        Ok(Self::Scene(path.to_path_buf()))
    }
}

/// The workspace's `assets/` folder: under the working directory, else next to this crate's
/// sources (so tests and `cargo run` find it from anywhere in the checkout).
pub fn assets_dir() -> PathBuf {
    let here = PathBuf::from("assets");
    if here.is_dir() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// Where the scene and graph of a scan are looked up.
#[derive(Clone, Debug)]
pub struct Sources {
    /// One scene for every scan (`--scene`, or the scene INPUT itself).
    pub scene: Option<PathBuf>,
    /// `<scan>.ply` per scan.
    pub scenes_dir: Option<PathBuf>,
    /// `<scan>_connectivity.json` per scan.
    pub connectivity_dir: Option<PathBuf>,
    /// Up axis for PLY files that do not say it.
    pub up: Option<UpAxis>,
    /// Whether missing scenes and graphs are looked up in the shipped `assets/`.
    pub use_fallbacks: bool,
}

impl Sources {
    /// The sources named by the command line for `input`.
    pub fn new(args: &Args, input: &Input) -> Self {
        let (scene, connectivity_dir, use_fallbacks) = match input {
            Input::Scene(path) => (Some(path.clone()), args.connectivity.clone(), false),
            Input::Graph { dir, .. } => (args.scene.clone(), Some(dir.clone()), false),
            Input::EvalDir(_) => (args.scene.clone(), args.connectivity.clone(), true),
        };
        Self {
            scene,
            scenes_dir: args.scenes.clone(),
            connectivity_dir,
            up: args.up,
            use_fallbacks,
        }
    }

    /// The scene file of `scan`, if any is known.
    pub fn scene_path(&self, scan: &str) -> Option<PathBuf> {
        if let Some(path) = &self.scene {
            return Some(path.clone());
        }
        let mut dirs: Vec<PathBuf> = self.scenes_dir.iter().cloned().collect();
        if self.use_fallbacks || self.scenes_dir.is_some() {
            dirs.push(assets_dir().join("apartments"));
        }
        dirs.into_iter()
            .map(|d| d.join(format!("{scan}.ply")))
            .find(|p| p.is_file())
    }

    /// The connectivity folder holding `scan`'s graph, if any.
    pub fn graph_dir(&self, scan: &str) -> Option<PathBuf> {
        let mut dirs: Vec<PathBuf> = self.connectivity_dir.iter().cloned().collect();
        if self.use_fallbacks {
            dirs.push(assets_dir().join("demo/connectivity"));
        }
        dirs.into_iter()
            .find(|d| waymark_scenes::connectivity_path(d, &ScanId::new(scan)).is_file())
    }
}

/// One scan's geometry, ready for the window and the CPU renderer.
pub struct ScanData {
    /// The scan (or scene) name.
    pub name: String,
    /// The scene, when one was found.
    pub scene: Option<Arc<Scene>>,
    /// The scene prepared for the CPU renderer, built when an agent's view is first drawn.
    render: OnceLock<RenderScene>,
    /// Instances with their boxes (picking, visible objects).
    pub instances: Vec<InstanceNode>,
    /// The navigation graph, when one was found.
    pub graph: Option<Arc<NavGraph>>,
    /// Problems worth showing (a missing scene or graph).
    pub notes: Vec<String>,
}

impl ScanData {
    /// The scene prepared for the CPU renderer (built on the first call).
    pub fn render(&self) -> Option<&RenderScene> {
        let scene = self.scene.as_ref()?;
        Some(self.render.get_or_init(|| {
            let started = Instant::now();
            let render = RenderScene::new(scene);
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                "renderer prepared"
            );
            render
        }))
    }

    /// Loads `scan`'s scene and graph from `sources`; a missing one becomes a note, a broken one
    /// an error.
    pub fn load(sources: &Sources, scan: &str, need_scene: bool) -> Result<Self> {
        let mut notes = Vec::new();
        let scene = match sources.scene_path(scan) {
            Some(path) => {
                let started = Instant::now();
                let scene = load_scene(&path, sources.up)
                    .with_context(|| format!("cannot open scene {}", path.display()))?;
                tracing::info!(
                    scene = %path.display(),
                    vertices = scene.mesh.positions_m.len(),
                    triangles = scene.mesh.triangles.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "scene read"
                );
                Some(Arc::new(scene))
            }
            None => {
                if need_scene {
                    notes.push(format!(
                        "no scene for {scan}: pass --scenes DIR (<scan>.ply) or --scene FILE"
                    ));
                }
                None
            }
        };
        let graph = match sources.graph_dir(scan) {
            Some(dir) => {
                let spec = read_connectivity(&dir, &ScanId::new(scan))
                    .with_context(|| format!("cannot open the graph of {scan}"))?;
                Some(Arc::new(NavGraph::from_spec(&spec)))
            }
            None => None,
        };
        let started = Instant::now();
        let instances = scene
            .as_ref()
            .map(|s| SceneGraph::of(s).instances)
            .unwrap_or_default();
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            "instances prepared"
        );
        Ok(Self {
            name: scan.to_string(),
            scene,
            render: OnceLock::new(),
            instances,
            graph,
            notes,
        })
    }
}
