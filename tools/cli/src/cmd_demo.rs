//! `waymark generate-demo`: the shipped demo data, made from waymark's own procedural
//! apartments: the apartments (PLY + scene graph), their generated navigation graphs,
//! R2R- and VLN-CE-format episodes in English and Arabic, and SG3D grounding tasks in both.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use waymark_continuous::episode_gen::{EpisodeGenConfig, SceneContext, generate_episodes};
use waymark_continuous::navgraph_gen::{NavGraphGenConfig, generate_navgraph};
use waymark_continuous::{WalkableConfig, WalkableGrid};
use waymark_core::ScanId;
use waymark_io::write_json_atomic;
use waymark_scenes::apartment::{ApartmentConfig, generate_apartment};
use waymark_scenes::scene::UpAxis;
use waymark_scenes::vlnce::write_vlnce_episodes;
use waymark_scenes::{PlyEncoding, write_connectivity, write_ply_scene, write_r2r_records};
use waymark_sg3d::{GenerateConfig, Language, SceneObjects, generate_tasks, write_tasks};

/// Arguments of `waymark generate-demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// The assets folder (gets `apartments/`, `demo/` and `household/`).
    #[arg(long, default_value = "assets")]
    out: PathBuf,
}

/// The demo apartments: name, seed, rooms across, rooms deep.
const APARTMENTS: &[(&str, u64, usize, usize)] =
    &[("apartment_a", 1, 3, 2), ("apartment_b", 2, 4, 2)];
/// Paths per apartment (one English and one Arabic instruction each).
const PATHS_PER_APARTMENT: usize = 15;
/// SG3D tasks per apartment and language.
const SG3D_TASKS: usize = 5;

/// Runs `waymark generate-demo`.
pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let apartments = args.out.join("apartments");
    let demo = args.out.join("demo");
    let connectivity = demo.join("connectivity");
    for dir in [&apartments, &connectivity] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut r2r = Vec::new();
    for (i, &(name, seed, cols, rows)) in APARTMENTS.iter().enumerate() {
        let apartment = generate_apartment(name, &ApartmentConfig { cols, rows, seed });
        let graph = apartment.scene_graph();
        write_ply_scene(
            &apartments.join(format!("{name}.ply")),
            &apartment.scene,
            UpAxis::Z,
            PlyEncoding::BinaryLittleEndian,
        )?;
        write_json_atomic(&apartments.join(format!("{name}.scene.json")), &graph, true)?;
        let grid = WalkableGrid::build(&apartment.scene, &WalkableConfig::default())?;
        let graph_config = NavGraphGenConfig {
            seed,
            ..NavGraphGenConfig::default()
        };
        let nav_graph = generate_navgraph(&ScanId::new(name), &grid, &graph_config)
            .with_context(|| format!("{name} has no walkable area"))?;
        write_connectivity(
            &connectivity,
            &nav_graph,
            f64::from(graph_config.camera_height_m),
        )?;
        let generated = generate_episodes(
            name,
            &grid,
            &nav_graph,
            SceneContext {
                rooms: &graph.rooms,
                objects: &graph.instances,
            },
            &EpisodeGenConfig {
                count: PATHS_PER_APARTMENT,
                seed: seed + 100,
                first_path_id: 1000 * (i as i64 + 1),
                ..EpisodeGenConfig::default()
            },
        );
        write_vlnce_episodes(
            &demo.join(format!("{name}_vlnce.json")),
            &generated.vlnce_records(3.0),
        )?;
        let objects = SceneObjects::of(&apartment.scene);
        let mut tasks = Vec::new();
        for (k, language) in [Language::English, Language::Arabic]
            .into_iter()
            .enumerate()
        {
            let config = GenerateConfig {
                tasks: SG3D_TASKS,
                max_steps: 4,
                seed: seed + 200 + k as u64,
                language,
            };
            tasks.extend(generate_tasks(name, &objects, &config));
        }
        write_tasks(&demo.join(format!("{name}_sg3d.json")), &tasks)?;
        say!(
            "{name}: {} viewpoints, {} paths, {} VLN-CE episodes, {} SG3D tasks",
            nav_graph.viewpoints.len(),
            generated.r2r.len(),
            generated.vlnce.len(),
            tasks.len()
        );
        r2r.extend(generated.r2r);
    }
    let episodes = demo.join("R2R_demo.json");
    write_r2r_records(&episodes, &r2r)?;
    say!(
        "wrote {} and the apartments in {}",
        episodes.display(),
        apartments.display()
    );
    // The voxel world's demo: three Crafter seeds of 2,000 steps, and STEVE-1's eleven
    // prompts on seed 0 for 1,200 ticks (a minute of Minecraft time).
    let crafter =
        waymark_voxel_tasks::demo_episodes(waymark_voxel_tasks::TaskKind::Crafter, 0..3, 2_000);
    write_json_atomic(&demo.join("crafter_demo.json"), &crafter, true)?;
    let steve1 =
        waymark_voxel_tasks::demo_episodes(waymark_voxel_tasks::TaskKind::Steve1, 0..1, 1_200);
    write_json_atomic(&demo.join("steve1_demo.json"), &steve1, true)?;
    let household = args.out.join("household");
    crate::cmd_demo_household::generate(&household)?;
    say!("wrote the household demo in {}", household.display());
    Ok(())
}
