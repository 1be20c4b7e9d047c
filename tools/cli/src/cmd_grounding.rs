//! `waymark grounding-tasks`: SG3D-format tasks generated from templates for any
//! instance-labelled scene, in English and Arabic.

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use waymark_sg3d::{GenerateConfig, Language, SceneObjects, generate_tasks, write_tasks};

/// Which languages to write tasks in.
#[derive(Clone, Copy, ValueEnum)]
pub enum LanguageArg {
    /// English.
    En,
    /// Modern Standard Arabic.
    Ar,
    /// Both: the same number of tasks in each.
    Both,
}

/// Options of `waymark grounding-tasks`.
#[derive(Args)]
pub struct GroundingTasksArgs {
    /// An instance-labelled scene: PLY with instance and label properties, ScanNet
    /// `_vh_clean_2.ply` with its segments and aggregation beside it, or an N×8 `.npy` cloud.
    scene: PathBuf,
    /// The JSON task file to write (SG3D's format, with a `language` tag per task).
    #[arg(long)]
    out: PathBuf,
    /// The scan id the tasks name (default: `ScanNet_<scene name>`).
    #[arg(long)]
    scan_id: Option<String>,
    /// Tasks per language.
    #[arg(long, default_value_t = 10)]
    tasks: usize,
    /// The most steps a task has (at least 2).
    #[arg(long, default_value_t = 4)]
    max_steps: usize,
    /// The seed of every choice.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The languages.
    #[arg(long, value_enum, default_value_t = LanguageArg::En)]
    language: LanguageArg,
}

/// Runs `waymark grounding-tasks`.
pub fn run(args: GroundingTasksArgs) -> Result<()> {
    if args.max_steps < 2 {
        bail!("--max-steps must be at least 2 (a task names two objects or more)");
    }
    let scene = waymark_scenes::load_scene(&args.scene, None)
        .with_context(|| format!("cannot load {}", args.scene.display()))?;
    let objects = SceneObjects::of(&scene);
    let scan_id = args
        .scan_id
        .unwrap_or_else(|| format!("ScanNet_{}", scene.name));
    let languages: &[Language] = match args.language {
        LanguageArg::En => &[Language::English],
        LanguageArg::Ar => &[Language::Arabic],
        LanguageArg::Both => &[Language::English, Language::Arabic],
    };
    let mut tasks = Vec::new();
    for (k, &language) in languages.iter().enumerate() {
        let config = GenerateConfig {
            tasks: args.tasks,
            max_steps: args.max_steps,
            seed: args.seed + k as u64,
            language,
        };
        tasks.extend(generate_tasks(&scan_id, &objects, &config));
    }
    if tasks.is_empty() {
        bail!(
            "{} has {} candidate objects, too few that a phrase tells apart to make a task",
            args.scene.display(),
            objects.objects.len()
        );
    }
    write_tasks(&args.out, &tasks)?;
    let steps: usize = tasks.iter().map(|t| t.steps.len()).sum();
    say!(
        "wrote {} tasks ({steps} steps) on {scan_id} ({} candidates) to {}",
        tasks.len(),
        objects.objects.len(),
        args.out.display()
    );
    Ok(())
}
