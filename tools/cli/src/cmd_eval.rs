//! `waymark eval <task>`.

use crate::progress_bar::BarProgress;
use crate::table::metrics_table;
use anyhow::Context;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use waymark_eval::{R2rEvalConfig, ShardSpec, run_r2r_eval};
use waymark_planner::PlannerRegistry;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, DiscreteNavConfig};

/// Tasks `eval` can run.
#[derive(Subcommand)]
pub enum EvalTask {
    /// Discrete vision-and-language navigation on Matterport-format graphs (R2R, RxR, REVERIE).
    R2r(R2rArgs),
}

/// Arguments of `waymark eval r2r`.
#[derive(Args)]
pub struct R2rArgs {
    /// The planner's name (see `waymark planners`).
    #[arg(long)]
    planner: String,
    /// Folder of `<scan>_connectivity.json` files.
    #[arg(long)]
    connectivity: PathBuf,
    /// The R2R-format episode file.
    #[arg(long)]
    episodes: PathBuf,
    /// Output folder; rerunning with the same folder resumes.
    #[arg(long)]
    out: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long)]
    workers: Option<usize>,
    /// Run only shard I of N (0-based), e.g. `--shard 2/8`.
    #[arg(long, default_value = "0/1")]
    shard: ShardSpec,
    /// Only the first N instructions of the file.
    #[arg(long)]
    limit: Option<usize>,
    /// The run's seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Actions allowed per episode.
    #[arg(long, default_value_t = DiscreteNavConfig::default().max_steps)]
    max_steps: u32,
    /// Success radius in metres.
    #[arg(long, default_value_t = DEFAULT_SUCCESS_THRESHOLD_M)]
    success_threshold: f64,
}

/// Every planner this build knows.
pub fn registry() -> PlannerRegistry {
    PlannerRegistry::with_baselines()
}

/// Runs `waymark eval`.
pub fn run(task: EvalTask) -> anyhow::Result<()> {
    match task {
        EvalTask::R2r(args) => run_r2r(args),
    }
}

fn run_r2r(args: R2rArgs) -> anyhow::Result<()> {
    let workers = args.workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let config = R2rEvalConfig {
        planner: args.planner,
        connectivity_dir: args.connectivity,
        episodes_file: args.episodes,
        out_dir: args.out,
        workers,
        shard: args.shard,
        limit: args.limit,
        seed: args.seed,
        env: DiscreteNavConfig {
            max_steps: args.max_steps,
            ..DiscreteNavConfig::default()
        },
        success_threshold_m: args.success_threshold,
    };
    let progress = BarProgress::new(&format!("r2r {}", config.planner));
    let summary = run_r2r_eval(&config, &registry(), &progress)
        .with_context(|| format!("eval r2r into {}", config.out_dir.display()))?;
    say!(
        "{} on {} ({}), shard {}:",
        summary.planner,
        summary.split,
        summary.task,
        config.shard
    );
    let mut rows = vec![("all", &summary.overall)];
    if summary.by_language.len() > 1 {
        rows.extend(summary.by_language.iter().map(|(l, m)| (l.as_str(), m)));
    }
    say!("{}", metrics_table(rows).trim_end());
    for (reason, count) in &summary.end_reasons {
        say!("  ended by {}: {count}", reason.as_str());
    }
    say!(
        "wrote {}/{{submission.json,episodes.jsonl,summary.json}}",
        config.out_dir.display()
    );
    Ok(())
}
