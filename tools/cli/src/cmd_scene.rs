//! `waymark scene …`: inspect, summarize and generate scenes.

use crate::vec3_arg::Vec3Arg;
use anyhow::Context;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use waymark_io::write_json_atomic;
use waymark_render::visible::{SECTOR_NAMES, VisibilityOptions, visible_objects};
use waymark_render::{RenderScene, Renderer};
use waymark_scenes::apartment::{ApartmentConfig, generate_apartment};
use waymark_scenes::scene::{Scene, UpAxis};
use waymark_scenes::scene_graph::SceneGraph;
use waymark_scenes::{PlyEncoding, load_scene, write_ply_scene};

/// `scene` subcommands.
#[derive(Subcommand)]
pub enum SceneCommand {
    /// Print a summary: vertex/face/point and instance counts, bounds, labels.
    Info(SceneArgs),
    /// Write the scene graph (instances with labels, centroids, boxes, sizes) as JSON.
    Graph {
        #[command(flatten)]
        scene: SceneArgs,
        /// The JSON file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate a procedural apartment (PLY + scene-graph JSON).
    Generate(GenerateArgs),
    /// List the objects visible within a radius in each 45° sector around a pose (JSON).
    Visible {
        #[command(flatten)]
        scene: SceneArgs,
        /// Agent position `X,Y,Z` in metres (the camera height included).
        #[arg(long, allow_hyphen_values = true)]
        position: Vec3Arg,
        /// Agent heading in degrees, clockwise from +y.
        #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
        heading: f32,
        /// Radius in metres.
        #[arg(long, default_value_t = 3.0)]
        radius: f32,
    },
}

/// Which scene to open.
#[derive(Args)]
pub struct SceneArgs {
    /// A scene file: PLY mesh or point cloud, ScanNet `_vh_clean_2.ply`, or an N×8 `.npy` cloud.
    pub scene: PathBuf,
    /// The file's up axis when it does not say (`z` or `y`).
    #[arg(long)]
    pub up: Option<UpAxis>,
}

impl SceneArgs {
    /// Loads the scene.
    pub fn load(&self) -> anyhow::Result<Scene> {
        Ok(load_scene(&self.scene, self.up)?)
    }
}

/// Arguments of `scene generate`.
#[derive(Args)]
pub struct GenerateArgs {
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// The apartment's name (file stem).
    #[arg(long, default_value = "apartment")]
    name: String,
    /// The seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Rooms across.
    #[arg(long, default_value_t = 3)]
    cols: usize,
    /// Rooms deep.
    #[arg(long, default_value_t = 2)]
    rows: usize,
}

/// Runs `waymark scene`.
pub fn run(command: SceneCommand) -> anyhow::Result<()> {
    match command {
        SceneCommand::Info(args) => {
            let scene = args.load()?;
            say!("{}", describe(&SceneGraph::of(&scene)).trim_end());
            Ok(())
        }
        SceneCommand::Graph { scene, out } => {
            let graph = SceneGraph::of(&scene.load()?);
            write_json_atomic(&out, &graph, true)?;
            say!(
                "wrote {} instances to {}",
                graph.instances.len(),
                out.display()
            );
            Ok(())
        }
        SceneCommand::Generate(args) => generate(args),
        SceneCommand::Visible {
            scene,
            position,
            heading,
            radius,
        } => {
            let prepared = RenderScene::new(&scene.load()?);
            let options = VisibilityOptions {
                radius_m: radius,
                ..VisibilityOptions::default()
            };
            let sectors = visible_objects(
                &mut Renderer::new(),
                &prepared,
                position.0,
                heading.to_radians(),
                &options,
            );
            let json: serde_json::Map<String, serde_json::Value> = SECTOR_NAMES
                .iter()
                .zip(sectors)
                .map(|(name, objects)| Ok(((*name).to_string(), serde_json::to_value(objects)?)))
                .collect::<Result<_, serde_json::Error>>()?;
            say!("{}", serde_json::to_string_pretty(&json)?);
            Ok(())
        }
    }
}

fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let apartment = generate_apartment(
        &args.name,
        &ApartmentConfig {
            cols: args.cols,
            rows: args.rows,
            seed: args.seed,
        },
    );
    let ply = args.out.join(format!("{}.ply", args.name));
    write_ply_scene(
        &ply,
        &apartment.scene,
        UpAxis::Z,
        PlyEncoding::BinaryLittleEndian,
    )?;
    let graph_path = args.out.join(format!("{}.scene.json", args.name));
    let graph = apartment.scene_graph();
    write_json_atomic(&graph_path, &graph, true)?;
    say!(
        "wrote {} ({} rooms, {} objects, {} triangles) and {}",
        ply.display(),
        graph.rooms.len(),
        graph.instances.len(),
        graph.face_count,
        graph_path.display()
    );
    Ok(())
}

/// A human-readable summary of a scene graph.
fn describe(graph: &SceneGraph) -> String {
    let mut out = format!("scene {}\n", graph.scene);
    if graph.point_cloud {
        out.push_str(&format!("  points     {}\n", graph.vertex_count));
    } else {
        out.push_str(&format!(
            "  vertices   {}\n  triangles  {}\n",
            graph.vertex_count, graph.face_count
        ));
    }
    out.push_str(&format!("  instances  {}\n", graph.instances.len()));
    if let Some(b) = graph.bounds {
        let s = b.size();
        out.push_str(&format!(
            "  bounds     [{:.2}, {:.2}, {:.2}] – [{:.2}, {:.2}, {:.2}] m ({:.2} × {:.2} × {:.2} m)\n",
            b.min.x, b.min.y, b.min.z, b.max.x, b.max.y, b.max.z, s.x, s.y, s.z
        ));
    }
    let labels = graph.label_counts();
    if !labels.is_empty() {
        let list: Vec<String> = labels.iter().map(|(l, n)| format!("{l} ×{n}")).collect();
        out.push_str(&format!("  labels     {}\n", list.join(", ")));
    }
    out
}
