//! `waymark eval <task>`.

use crate::cmd_llm::{LlmArgs, planners};
use crate::cmd_nav::AgentArgs;
use crate::progress_bar::BarProgress;
use crate::table::metrics_table;
use anyhow::Context;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use waymark_continuous::ContinuousNavConfig;
use waymark_eval::{
    R2rEvalConfig, ShardSpec, Summary, VlnceEvalConfig, run_r2r_eval, run_vlnce_eval,
};
use waymark_planner::PlannerRegistry;
use waymark_scenes::scene::UpAxis;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, DiscreteNavConfig};

/// Tasks `eval` can run.
#[derive(Subcommand)]
pub enum EvalTask {
    /// Discrete vision-and-language navigation on Matterport-format graphs (R2R, RxR, REVERIE).
    R2r(Box<R2rArgs>),
    /// Continuous vision-and-language navigation (VLN-CE episodes) on any mesh scene.
    Vlnce(VlnceArgs),
}

/// Arguments of `waymark eval vlnce`.
#[derive(Args)]
pub struct VlnceArgs {
    /// The planner's name (see `waymark planners`).
    #[arg(long)]
    planner: String,
    /// The scene file (PLY, ScanNet layout) the episodes take place in.
    #[arg(long)]
    scene: PathBuf,
    /// The scene file's up axis, when it does not say (`z` or `y`).
    #[arg(long)]
    up: Option<UpAxis>,
    /// The VLN-CE episode file.
    #[arg(long)]
    episodes: PathBuf,
    #[command(flatten)]
    batch: BatchArgs,
    /// Actions allowed per episode.
    #[arg(long, default_value_t = ContinuousNavConfig::default().max_steps)]
    max_steps: u32,
    /// `MOVE_FORWARD` distance in metres.
    #[arg(long, default_value_t = ContinuousNavConfig::default().forward_m)]
    forward_step: f32,
    /// `TURN_LEFT` / `TURN_RIGHT` angle in degrees.
    #[arg(long, default_value_t = ContinuousNavConfig::default().turn_deg)]
    turn_angle: f32,
    /// `LOOK_UP` / `LOOK_DOWN` angle in degrees.
    #[arg(long, default_value_t = ContinuousNavConfig::default().look_deg)]
    look_angle: f32,
    #[command(flatten)]
    agent: AgentArgs,
}

/// Options every batch shares.
#[derive(Args)]
pub struct BatchArgs {
    /// Output folder; rerunning with the same folder resumes.
    #[arg(long)]
    out: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long)]
    workers: Option<usize>,
    /// Run only shard I of N (0-based), e.g. `--shard 2/8`.
    #[arg(long, default_value = "0/1")]
    shard: ShardSpec,
    /// Only the first N episodes of the file.
    #[arg(long)]
    limit: Option<usize>,
    /// The run's seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Success radius in metres.
    #[arg(long, default_value_t = DEFAULT_SUCCESS_THRESHOLD_M)]
    success_threshold: f64,
}

impl BatchArgs {
    /// `--workers`, else `concurrency` (an LLM planner's requests in flight), else one per core.
    fn workers(&self, concurrency: Option<usize>) -> usize {
        self.workers.or(concurrency).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }
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
    #[command(flatten)]
    batch: BatchArgs,
    /// Actions allowed per episode.
    #[arg(long, default_value_t = DiscreteNavConfig::default().max_steps)]
    max_steps: u32,
    #[command(flatten)]
    llm: LlmArgs,
}

/// Every planner this build knows (the LLM planners unconfigured).
pub fn registry() -> anyhow::Result<PlannerRegistry> {
    Ok(planners("", &LlmArgs::default(), None)?.registry)
}

/// Runs `waymark eval`.
pub fn run(task: EvalTask) -> anyhow::Result<()> {
    match task {
        EvalTask::R2r(args) => run_r2r(*args),
        EvalTask::Vlnce(args) => run_vlnce(args),
    }
}

fn run_r2r(args: R2rArgs) -> anyhow::Result<()> {
    let b = &args.batch;
    args.llm.check_step_limit(&args.planner, args.max_steps)?;
    let llm = planners(&args.planner, &args.llm, Some(&args.connectivity))?;
    let config = R2rEvalConfig {
        batch: waymark_eval::BatchConfig {
            planner: args.planner.clone(),
            planner_settings: llm.settings,
            episodes_file: args.episodes.clone(),
            out_dir: b.out.clone(),
            workers: b.workers(args.llm.concurrency),
            shard: b.shard,
            limit: b.limit,
            seed: b.seed,
            success_threshold_m: b.success_threshold,
        },
        connectivity_dir: args.connectivity.clone(),
        env: DiscreteNavConfig {
            max_steps: args.max_steps,
            ..DiscreteNavConfig::default()
        },
    };
    let progress = BarProgress::new(&format!("r2r {}", config.batch.planner));
    let summary = run_r2r_eval(&config, &llm.registry, &progress)
        .with_context(|| format!("eval r2r into {}", b.out.display()))?;
    report(&summary, b);
    Ok(())
}

fn run_vlnce(args: VlnceArgs) -> anyhow::Result<()> {
    let b = &args.batch;
    let config = VlnceEvalConfig {
        batch: waymark_eval::BatchConfig {
            planner: args.planner.clone(),
            planner_settings: Default::default(),
            episodes_file: args.episodes.clone(),
            out_dir: b.out.clone(),
            workers: b.workers(None),
            shard: b.shard,
            limit: b.limit,
            seed: b.seed,
            success_threshold_m: b.success_threshold,
        },
        scene: args.scene.clone(),
        up: args.up,
        env: ContinuousNavConfig {
            max_steps: args.max_steps,
            forward_m: args.forward_step,
            turn_deg: args.turn_angle,
            look_deg: args.look_angle,
            ..ContinuousNavConfig::default()
        },
        walkable: args.agent.config(),
    };
    let progress = BarProgress::new(&format!("vlnce {}", config.batch.planner));
    let summary = run_vlnce_eval(&config, &registry()?, &progress)
        .with_context(|| format!("eval vlnce into {}", b.out.display()))?;
    report(&summary, b);
    Ok(())
}

/// Prints a batch's summary table and where its files are.
fn report(summary: &Summary, b: &BatchArgs) {
    say!(
        "{} on {} ({}), shard {}:",
        summary.planner,
        summary.split,
        summary.task,
        b.shard
    );
    let mut rows = vec![("all", &summary.overall)];
    if summary.by_language.len() > 1 {
        rows.extend(summary.by_language.iter().map(|(l, m)| (l.as_str(), m)));
    }
    say!("{}", metrics_table(rows).trim_end());
    if summary.task == "vlnce" {
        say!(
            "  collisions per episode: {:.2}",
            summary.overall.collisions
        );
    }
    for (reason, count) in &summary.end_reasons {
        say!("  ended by {}: {count}", reason.as_str());
    }
    if !summary.counters.is_empty() {
        let counts: Vec<String> = summary
            .counters
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        say!("  planner counts: {}", counts.join(", "));
    }
    if let Some(cost) = summary.cost_usd {
        say!("  estimated cost: ${cost:.4}");
    }
    say!(
        "wrote {}/{{submission.json,episodes.jsonl,summary.json}}",
        b.out.display()
    );
}
