//! `waymark generate-demo`: the shipped demo houses, graphs and episodes.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use waymark_core::ScanId;
use waymark_scenes::demo_houses::{CAMERA_HEIGHT_M, generate_demo_house};
use waymark_scenes::{write_connectivity, write_r2r_records};
use waymark_sim::NavGraph;
use waymark_sim::episode_gen::{EpisodeGenConfig, generate_house_episodes};

/// Arguments of `waymark generate-demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Output folder (gets `connectivity/` and `R2R_demo.json`).
    #[arg(long, default_value = "assets/r2r-demo")]
    out: PathBuf,
    /// The seed of the houses and episodes.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

/// The demo houses: scan id, rooms across, rooms deep.
const HOUSES: &[(&str, usize, usize)] = &[
    ("wm_demo_cottage", 3, 2),
    ("wm_demo_townhouse", 3, 3),
    ("wm_demo_longhouse", 4, 2),
];
/// Paths per house (three instructions each).
const PATHS_PER_HOUSE: usize = 10;

/// Runs `waymark generate-demo`.
pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let connectivity = args.out.join("connectivity");
    std::fs::create_dir_all(&connectivity)
        .with_context(|| format!("creating {}", connectivity.display()))?;
    let mut records = Vec::new();
    for (i, &(scan, cols, rows)) in HOUSES.iter().enumerate() {
        let house = generate_demo_house(&ScanId::new(scan), cols, rows, args.seed + i as u64);
        write_connectivity(&connectivity, &house.graph, CAMERA_HEIGHT_M)?;
        let graph = NavGraph::from_spec(&house.graph);
        let config = EpisodeGenConfig {
            count: PATHS_PER_HOUSE,
            min_dist_m: 5.0,
            max_dist_m: 16.0,
            first_path_id: 1000 * (i as i64 + 1),
            seed: args.seed + 100 + i as u64,
        };
        records.extend(generate_house_episodes(&house, &graph, &config));
    }
    let episodes = args.out.join("R2R_demo.json");
    write_r2r_records(&episodes, &records)?;
    say!(
        "wrote {} houses and {} paths ({} instructions) to {}",
        HOUSES.len(),
        records.len(),
        records.iter().map(|r| r.instructions.len()).sum::<usize>(),
        args.out.display()
    );
    Ok(())
}
