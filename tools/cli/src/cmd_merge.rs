//! `waymark merge`.

use crate::table::metrics_table;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use waymark_eval::merge::merge_runs;

/// Arguments of `waymark merge`.
#[derive(Args)]
pub struct MergeArgs {
    /// The run folders to merge (shards of one batch, of any task).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// The merged output folder.
    #[arg(long)]
    out: PathBuf,
    /// Merge shards that are missing or unfinished (the summary then says `"partial": true`).
    #[arg(long)]
    partial: bool,
}

/// Runs `waymark merge`.
pub fn run(args: MergeArgs) -> anyhow::Result<()> {
    let summary = merge_runs(&args.dirs, &args.out, args.partial)
        .with_context(|| format!("merging into {}", args.out.display()))?;
    let task = waymark_eval::tasks::find(&summary.task)?;
    say!(
        "merged {} folders into {}:",
        args.dirs.len(),
        args.out.display()
    );
    say!(
        "{}",
        metrics_table(task.info().metrics, [("all", &summary.overall)]).trim_end()
    );
    Ok(())
}
