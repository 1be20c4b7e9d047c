//! `waymark score <task>`.

use crate::table::metrics_table;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use waymark_eval::{ScoreOptions, SubmissionEntry, load_r2r_batch, score_submission};
use waymark_scenes::json::read_json;
use waymark_sim::DEFAULT_SUCCESS_THRESHOLD_M;

/// Tasks `score` can score.
#[derive(Subcommand)]
pub enum ScoreTask {
    /// An R2R-format submission (`[{instr_id, trajectory}]`).
    R2r(ScoreR2rArgs),
}

/// Output formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON object: `episodes tl ne sr osr spl ndtw sdtw cls`, rates as fractions.
    Json,
    /// A table for people.
    Table,
}

/// Arguments of `waymark score r2r`.
#[derive(Args)]
pub struct ScoreR2rArgs {
    /// Folder of `<scan>_connectivity.json` files.
    #[arg(long)]
    connectivity: PathBuf,
    /// The R2R-format episode file the submission answers.
    #[arg(long)]
    episodes: PathBuf,
    /// The submission file.
    submission: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Success radius in metres.
    #[arg(long, default_value_t = DEFAULT_SUCCESS_THRESHOLD_M)]
    success_threshold: f64,
    /// Score only the instructions the submission holds (default: all are required).
    #[arg(long)]
    partial: bool,
}

/// The JSON output, keys in the order R2R papers report them.
#[derive(Serialize)]
struct ScoreJson {
    episodes: usize,
    tl: f64,
    ne: f64,
    sr: f64,
    osr: f64,
    spl: f64,
    ndtw: f64,
    sdtw: f64,
    cls: f64,
}

/// Runs `waymark score`.
pub fn run(task: ScoreTask) -> anyhow::Result<()> {
    let ScoreTask::R2r(args) = task;
    let (episodes, graphs) = load_r2r_batch(&args.connectivity, &args.episodes)?;
    let submission: Vec<SubmissionEntry> = read_json(&args.submission)?;
    let options = ScoreOptions {
        success_threshold_m: args.success_threshold,
        partial: args.partial,
    };
    let (m, _) = score_submission(&episodes, &graphs, &submission, options)
        .with_context(|| format!("scoring {}", args.submission.display()))?;
    match args.format {
        Format::Json => {
            let json = ScoreJson {
                episodes: m.episodes,
                tl: m.tl,
                ne: m.ne,
                sr: m.sr,
                osr: m.osr,
                spl: m.spl,
                ndtw: m.ndtw,
                sdtw: m.sdtw,
                cls: m.cls,
            };
            say!("{}", serde_json::to_string(&json)?);
        }
        Format::Table => say!("{}", metrics_table([("all", &m)]).trim_end()),
    }
    Ok(())
}
