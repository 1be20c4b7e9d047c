//! Command-line arguments.

use clap::Parser;
use std::path::PathBuf;
use waymark_scenes::UpAxis;

/// waymark-view: look at scenes, navigation graphs and recorded or live episodes.
///
/// INPUT is a scene (`.ply` mesh or point cloud, labelled `.npy` cloud, ScanNet
/// `<scene>_vh_clean_2.ply`), a Matterport `<scan>_connectivity.json` graph, or an eval output
/// folder (with `run.json` and `episodes.jsonl`; household (ALFRED) runs replay on a top-down
/// map).
#[derive(Debug, Parser)]
#[command(name = "waymark-view", version, about)]
pub struct Args {
    /// The scene, connectivity graph or eval output folder to open.
    pub input: PathBuf,
    /// Up axis of a PLY file that does not say it (`z` or `y`).
    #[arg(long)]
    pub up: Option<UpAxis>,
    /// Folder of `<scan>_connectivity.json` graphs (R2R eval folders; default: `assets/demo/connectivity`).
    #[arg(long)]
    pub connectivity: Option<PathBuf>,
    /// The episodes file (an eval folder's `run.json` names only its file name; with a scene or a
    /// graph, lists its episodes for live runs).
    #[arg(long)]
    pub episodes: Option<PathBuf>,
    /// Household runs: the folder of `FloorPlanN-layout.json` files (default: `layouts` beside
    /// the episodes, else `assets/household/layouts`).
    #[arg(long)]
    pub layouts: Option<PathBuf>,
    /// Folder of scenes, `<scan>.ply` per scan (default: `assets/apartments`).
    #[arg(long)]
    pub scenes: Option<PathBuf>,
    /// The scene file of a VLN-CE eval folder (or a scene to show under a graph).
    #[arg(long)]
    pub scene: Option<PathBuf>,
    /// Render `--frames` frames, save the window to this PNG file and exit.
    #[arg(long)]
    pub screenshot: Option<PathBuf>,
    /// Frames to render before the screenshot (and the FPS measurement's length).
    #[arg(long, default_value_t = 30)]
    pub frames: u32,
    /// Log the mean frames per second when the window closes (vsync off).
    #[arg(long)]
    pub fps: bool,
    /// Window width in pixels.
    #[arg(long, default_value_t = 1280)]
    pub width: u32,
    /// Window height in pixels.
    #[arg(long, default_value_t = 800)]
    pub height: u32,
    /// Open this episode (instruction id) first.
    #[arg(long)]
    pub episode: Option<String>,
    /// Start the replay at this step.
    #[arg(long)]
    pub step: Option<usize>,
    /// The planner of live mode (one of the registry's baselines).
    #[arg(long, default_value = "shortest")]
    pub planner: String,
    /// Hide geometry higher than this above the scene's floor (metres; `C` toggles it).
    #[arg(long, default_value_t = 2.2)]
    pub cut_height: f32,
}
