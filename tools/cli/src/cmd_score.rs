//! `waymark score <task>`: a submission scored with the task's official scorer.

use crate::table::metrics_table;
use crate::task_command::TaskCommand;
use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::ser::SerializeMap;
use std::path::PathBuf;
use waymark_eval::score::score_submission;
use waymark_task::ScoreOptions;

/// `waymark score <task> …`.
pub type ScoreCommand = TaskCommand<ScoreArgs>;

/// Output formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON object: `episodes` and the task's official metrics, rates as fractions.
    Json,
    /// A table for people.
    Table,
}

/// What `score` takes beside the task's options.
#[derive(Args)]
pub struct ScoreArgs {
    /// The submission file.
    submission: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Score only the episodes the submission holds (default: all are required).
    #[arg(long)]
    partial: bool,
}

/// The JSON output: `episodes`, then the official metrics in the task's order.
struct ScoreJson<'a> {
    defs: &'a [waymark_core::MetricDef],
    means: &'a waymark_core::MetricMeans,
}

impl serde::Serialize for ScoreJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("episodes", &self.means.episodes)?;
        for def in self.defs.iter().filter(|d| d.official) {
            map.serialize_entry(def.name, &self.means.get(def.name).unwrap_or(0.0))?;
        }
        map.end()
    }
}

/// Runs `waymark score`.
pub fn run(command: ScoreCommand) -> anyhow::Result<()> {
    let TaskCommand { task, args, extra } = command;
    let options = ScoreOptions {
        partial: extra.partial,
    };
    let (means, _) = score_submission(task, &args, &extra.submission, options)
        .with_context(|| format!("scoring {}", extra.submission.display()))?;
    let defs = task.info().metrics;
    match extra.format {
        Format::Json => say!(
            "{}",
            serde_json::to_string(&ScoreJson {
                defs,
                means: &means
            })?
        ),
        Format::Table => say!("{}", metrics_table(defs, [("all", &means)]).trim_end()),
    }
    Ok(())
}
