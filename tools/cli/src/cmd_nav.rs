//! `waymark navmesh`, `waymark navgraph`, `waymark episodes`: turn any scene into a navigation
//! benchmark.

use crate::cmd_scene::SceneArgs;
use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use waymark_continuous::agent::CollisionWorld;
use waymark_continuous::episode_gen::{EpisodeGenConfig, SceneContext, generate_episodes};
use waymark_continuous::navgraph_gen::{NavGraphGenConfig, generate_navgraph};
use waymark_continuous::{WalkableConfig, WalkableGrid};
use waymark_core::ScanId;
use waymark_scenes::scene::Scene;
use waymark_scenes::scene_graph::SceneGraph;
use waymark_scenes::vlnce::write_vlnce_episodes;
use waymark_scenes::{write_connectivity, write_r2r_records};

/// The agent the walkable area is built for.
#[derive(Args, Clone)]
pub struct AgentArgs {
    /// Agent radius in metres.
    #[arg(long, default_value_t = WalkableConfig::default().agent_radius_m)]
    pub agent_radius: f32,
    /// Agent height in metres.
    #[arg(long, default_value_t = WalkableConfig::default().agent_height_m)]
    pub agent_height: f32,
    /// Highest step in metres.
    #[arg(long, default_value_t = WalkableConfig::default().max_step_m)]
    pub max_step: f32,
    /// Steepest slope in degrees.
    #[arg(long, default_value_t = WalkableConfig::default().max_slope_deg)]
    pub max_slope: f32,
    /// Grid cell size in metres.
    #[arg(long, default_value_t = WalkableConfig::default().cell_m)]
    pub cell: f32,
}

impl AgentArgs {
    /// The walkable-area settings.
    pub fn config(&self) -> WalkableConfig {
        WalkableConfig {
            agent_radius_m: self.agent_radius,
            agent_height_m: self.agent_height,
            max_step_m: self.max_step,
            max_slope_deg: self.max_slope,
            cell_m: self.cell,
        }
    }
}

/// Arguments of `waymark navmesh`.
#[derive(Args)]
pub struct NavmeshArgs {
    #[command(flatten)]
    scene: SceneArgs,
    #[command(flatten)]
    agent: AgentArgs,
    /// Write a top-down PNG of the walkable area (largest island green, others blue).
    #[arg(long)]
    map: Option<PathBuf>,
}

/// Arguments of `waymark navgraph`.
#[derive(Args)]
pub struct NavgraphArgs {
    #[command(flatten)]
    scene: SceneArgs,
    #[command(flatten)]
    agent: AgentArgs,
    /// The connectivity folder to write `<scene>_connectivity.json` into.
    #[arg(long)]
    out: PathBuf,
    /// The seed of the viewpoint sampling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// Arguments of `waymark episodes`.
#[derive(Args)]
pub struct EpisodesArgs {
    #[command(flatten)]
    scene: SceneArgs,
    #[command(flatten)]
    agent: AgentArgs,
    /// Paths to generate (each with an English and an Arabic instruction).
    #[arg(long, default_value_t = 10)]
    count: usize,
    /// The seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The first path id.
    #[arg(long, default_value_t = 1)]
    first_path_id: i64,
    /// Shortest start–goal geodesic distance in metres.
    #[arg(long, default_value_t = EpisodeGenConfig::default().min_dist_m)]
    min_dist: f32,
    /// Longest start–goal geodesic distance in metres.
    #[arg(long, default_value_t = EpisodeGenConfig::default().max_dist_m)]
    max_dist: f32,
    /// Output folder: `connectivity/<scene>_connectivity.json`, `<scene>_r2r.json` (R2R format)
    /// and `<scene>_vlnce.json` (VLN-CE format).
    #[arg(long)]
    out: PathBuf,
}

fn build_grid(scene: &Scene, agent: &AgentArgs) -> anyhow::Result<WalkableGrid> {
    Ok(WalkableGrid::build(scene, &agent.config())?)
}

/// Runs `waymark navmesh`.
pub fn navmesh(args: NavmeshArgs) -> anyhow::Result<()> {
    let scene = args.scene.load()?;
    let grid = build_grid(&scene, &args.agent)?;
    let (nx, ny) = grid.dims();
    let cell2 = grid.config().cell_m * grid.config().cell_m;
    let mut sizes: Vec<usize> = grid.island_sizes().to_vec();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    say!(
        "scene {}: {nx} × {ny} cells of {} m",
        scene.name,
        grid.config().cell_m
    );
    say!(
        "  walkable   {:.2} m² in {} islands",
        grid.area_m2(),
        sizes.len()
    );
    for (i, s) in sizes.iter().take(5).enumerate() {
        say!("  island {i}   {:.2} m²", *s as f32 * cell2);
    }
    let blocked = (0..nx * ny).filter(|&c| grid.is_blocked(c)).count();
    say!(
        "  obstacles  {:.2} m² in {} collision boxes",
        blocked as f32 * cell2,
        CollisionWorld::new(&grid).box_count()
    );
    if let Some(path) = args.map {
        write_map(&path, &grid)?;
        say!("wrote {}", path.display());
    }
    Ok(())
}

/// A top-down image of the grid, north (+y) up.
fn write_map(path: &Path, grid: &WalkableGrid) -> anyhow::Result<()> {
    let (nx, ny) = grid.dims();
    let largest = grid.largest_island();
    let mut data = Vec::with_capacity(nx * ny * 3);
    for y in (0..ny).rev() {
        for x in 0..nx {
            let c = y * nx + x;
            let rgb: [u8; 3] = if grid.is_blocked(c) {
                [200, 70, 60]
            } else if !grid.is_walkable(c) {
                if grid.centre(c).z.is_nan() {
                    [30, 30, 30]
                } else {
                    [90, 90, 90]
                }
            } else if Some(grid.island(c)) == largest {
                [80, 200, 90]
            } else {
                [80, 120, 220]
            };
            data.extend(rgb);
        }
    }
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), nx as u32, ny as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(())
}

/// Runs `waymark navgraph`.
pub fn navgraph(args: NavgraphArgs) -> anyhow::Result<()> {
    let scene = args.scene.load()?;
    let grid = build_grid(&scene, &args.agent)?;
    let config = NavGraphGenConfig {
        seed: args.seed,
        ..NavGraphGenConfig::default()
    };
    let graph = generate_navgraph(&ScanId::new(&scene.name), &grid, &config)
        .with_context(|| format!("scene {} has no walkable area", scene.name))?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let path = write_connectivity(&args.out, &graph, f64::from(config.camera_height_m))?;
    say!(
        "wrote {} viewpoints and {} edges to {}",
        graph.viewpoints.len(),
        graph.edges.len(),
        path.display()
    );
    Ok(())
}

/// Runs `waymark episodes`.
pub fn episodes(args: EpisodesArgs) -> anyhow::Result<()> {
    let scene = args.scene.load()?;
    let grid = build_grid(&scene, &args.agent)?;
    let graph_config = NavGraphGenConfig {
        seed: args.seed,
        ..NavGraphGenConfig::default()
    };
    let nav_graph = generate_navgraph(&ScanId::new(&scene.name), &grid, &graph_config)
        .with_context(|| format!("scene {} has no walkable area", scene.name))?;
    let scene_graph = SceneGraph::beside_or_of(&args.scene.scene, &scene)?;
    let generated = generate_episodes(
        &scene.name,
        &grid,
        &nav_graph,
        SceneContext {
            rooms: &scene_graph.rooms,
            objects: &scene_graph.instances,
        },
        &EpisodeGenConfig {
            count: args.count,
            seed: args.seed,
            first_path_id: args.first_path_id,
            camera_height_m: graph_config.camera_height_m,
            min_dist_m: args.min_dist,
            max_dist_m: args.max_dist,
        },
    );
    if generated.r2r.is_empty() {
        anyhow::bail!(
            "scene {}: no start–goal pair {}–{} m apart on its walkable area (try --min-dist)",
            scene.name,
            args.min_dist,
            args.max_dist
        );
    }
    let connectivity = args.out.join("connectivity");
    std::fs::create_dir_all(&connectivity)
        .with_context(|| format!("creating {}", connectivity.display()))?;
    write_connectivity(
        &connectivity,
        &nav_graph,
        f64::from(graph_config.camera_height_m),
    )?;
    let r2r = args.out.join(format!("{}_r2r.json", scene.name));
    write_r2r_records(&r2r, &generated.r2r)?;
    let vlnce = args.out.join(format!("{}_vlnce.json", scene.name));
    write_vlnce_episodes(&vlnce, &generated.vlnce_records(3.0))?;
    say!(
        "wrote {} paths ({} R2R instructions, {} VLN-CE episodes) to {} and {}",
        generated.r2r.len(),
        generated
            .r2r
            .iter()
            .map(|r| r.instructions.len())
            .sum::<usize>(),
        generated.vlnce.len(),
        r2r.display(),
        vlnce.display()
    );
    Ok(())
}
