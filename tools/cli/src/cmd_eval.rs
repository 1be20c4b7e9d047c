//! `waymark eval <task>`: any registered task, any planner.

use crate::cmd_llm::{LlmArgs, planners};
use crate::progress_bar::BarProgress;
use crate::table::metrics_table;
use crate::task_command::TaskCommand;
use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;
use waymark_eval::{ShardSpec, Summary, run_eval};

/// `waymark eval <task> …`.
pub type EvalCommand = TaskCommand<EvalArgs>;

/// What `eval` takes beside the task's options.
#[derive(Args)]
pub struct EvalArgs {
    /// The planner: a name from `waymark planners`, or `exec:'CMD ARGS'` for a program that
    /// speaks waymark's JSON-lines planner protocol.
    #[arg(long)]
    pub planner: String,
    /// Seconds an `exec:` planner may take to answer one message.
    #[arg(long, default_value_t = 60.0)]
    pub planner_timeout: f64,
    #[command(flatten)]
    batch: BatchArgs,
    #[command(flatten)]
    pub llm: LlmArgs,
}

/// Options every batch shares.
#[derive(Args)]
pub struct BatchArgs {
    /// Output folder; rerunning with the same folder resumes.
    #[arg(long)]
    out: PathBuf,
    /// Worker threads, each with its own planner (default: one per core).
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
    /// Exit 0 even when episodes are left not done by infrastructure failures (an LLM server
    /// down, a cache miss); they are still retried by the next run into the same folder.
    #[arg(long)]
    allow_errors: bool,
    /// Also write `report.html` (as `waymark report`) into the output folder at the end.
    #[arg(long)]
    report: bool,
}

impl BatchArgs {
    /// `--workers`, else `concurrency` (an LLM planner's requests in flight), else one per core.
    fn workers(&self, concurrency: Option<usize>) -> usize {
        self.workers.or(concurrency).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }
}

/// Runs `waymark eval`.
pub fn run(command: EvalCommand) -> anyhow::Result<()> {
    let TaskCommand { task, args, extra } = command;
    let name = task.info().name;
    let b = &extra.batch;
    let planners = planners(
        &extra.planner,
        &extra.llm,
        extra.planner_timeout,
        Some(task.info()),
        &args,
    )?;
    let config = waymark_eval::BatchConfig {
        planner: planners.name.clone(),
        planner_settings: planners.settings,
        out_dir: b.out.clone(),
        workers: b.workers(extra.llm.concurrency),
        shard: b.shard,
        limit: b.limit,
        seed: b.seed,
    };
    stop_on_signals()?;
    let progress = BarProgress::new(&format!("{name} {}", config.planner));
    let summary = run_eval(task, &args, &config, &planners.registry, &progress)
        .with_context(|| format!("eval {name} into {}", b.out.display()))?;
    report(task.info().metrics, &summary, b);
    if b.report {
        let run = waymark_report::Run::load(&b.out)?;
        crate::cmd_report::write(std::slice::from_ref(&run), &b.out.join("report.html"))?;
    }
    if waymark_eval::interrupt::stop_requested() {
        bail!(
            "interrupted by a signal: {} episode(s) not done (the finished ones are kept in {}); rerun the same command to resume",
            summary.not_done,
            b.out.display()
        );
    }
    if summary.not_done > 0 {
        let causes: Vec<String> = summary
            .not_done_causes
            .iter()
            .take(3)
            .map(|(cause, n)| format!("  {n} × {cause}"))
            .collect();
        let message = format!(
            "{} episode(s) not done because of infrastructure failures{}:\n{}\nrerun the same command to retry them",
            summary.not_done,
            if summary.stopped_early {
                " (the batch stopped starting episodes after repeated failures)"
            } else {
                ""
            },
            causes.join("\n")
        );
        if b.allow_errors {
            tracing::warn!("{message}");
        } else {
            bail!("{message} (or pass --allow-errors to accept them)");
        }
    }
    Ok(())
}

/// SIGTERM (Slurm's preemption and `scancel`, Kubernetes), SIGUSR1 (Slurm's warning before a
/// time limit) and SIGINT (Ctrl-C) stop the batch cleanly: episodes in flight finish and write
/// their lines, no more start, and the command exits non-zero so it can be rerun to resume.
/// A second Ctrl-C exits at once (the finished lines are still whole); repeated SIGTERMs, which
/// a job's shell may pass on beside the scheduler's own, change nothing.
fn stop_on_signals() -> anyhow::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM, SIGUSR1};
    let stop = waymark_eval::interrupt::stop_flag();
    // The exit first: it acts only when the flag is already set, by an earlier Ctrl-C.
    signal_hook::flag::register_conditional_shutdown(SIGINT, 128 + SIGINT, stop.clone())
        .context("handling SIGINT")?;
    for signal in [SIGTERM, SIGINT, SIGUSR1] {
        signal_hook::flag::register(signal, stop.clone())
            .with_context(|| format!("handling signal {signal}"))?;
    }
    Ok(())
}

/// Prints a batch's summary table and where its files are.
fn report(defs: &[waymark_core::MetricDef], summary: &Summary, b: &BatchArgs) {
    say!(
        "{} on {} ({}), shard {}{}:",
        summary.planner,
        summary.split,
        summary.task,
        b.shard,
        if summary.privileged {
            ", privileged"
        } else {
            ""
        }
    );
    let mut rows = vec![("all", &summary.overall)];
    if summary.by_language.len() > 1 {
        rows.extend(summary.by_language.iter().map(|(l, m)| (l.as_str(), m)));
    }
    // Per task type (ALFRED's types, STEVE-1's prompts), as those papers tabulate them.
    if summary.by_task_type.len() > 1 {
        rows.extend(summary.by_task_type.iter().map(|(t, m)| (t.as_str(), m)));
    }
    say!("{}", metrics_table(defs, rows).trim_end());
    let others: Vec<String> = defs
        .iter()
        .filter(|d| !d.official)
        .filter_map(|d| {
            let value = summary.overall.get(d.name)?;
            (value != 0.0).then(|| format!("{} {value:.2}", d.name))
        })
        .collect();
    if !others.is_empty() {
        say!("  per episode: {}", others.join(", "));
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
