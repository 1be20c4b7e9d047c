//! `summary.json`: means overall, per language and per scan.

use crate::record::{EndReason, EpisodeRecord, RunManifest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use waymark_core::NavMetricsMean;

/// The summary of a run (or of merged shards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The task, for example `r2r`.
    pub task: String,
    /// The planner.
    pub planner: String,
    /// The split: the episode file's name without its extension.
    pub split: String,
    /// Means over every episode (keys `episodes tl ne sr osr spl ndtw sdtw cls steps`).
    #[serde(flatten)]
    pub overall: NavMetricsMean,
    /// How many episodes ended each way (`stopped`, `step_limit`, `error`).
    pub end_reasons: BTreeMap<EndReason, usize>,
    /// Means per instruction language (`unknown` when the file gives none).
    pub by_language: BTreeMap<String, NavMetricsMean>,
    /// Means per scan.
    pub by_scan: BTreeMap<String, NavMetricsMean>,
}

impl Summary {
    /// Summarizes `records` (in the given order, which makes the sums deterministic).
    pub fn of(manifest: &RunManifest, records: &[EpisodeRecord]) -> Self {
        let mut end_reasons = BTreeMap::new();
        let mut by_language: BTreeMap<String, Vec<_>> = BTreeMap::new();
        let mut by_scan: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for r in records {
            *end_reasons.entry(r.end).or_insert(0) += 1;
            let language = r.language.clone().unwrap_or_else(|| "unknown".into());
            by_language.entry(language).or_default().push(&r.metrics);
            by_scan
                .entry(r.scan.to_string())
                .or_default()
                .push(&r.metrics);
        }
        let means = |groups: BTreeMap<String, Vec<_>>| {
            groups
                .into_iter()
                .map(|(k, v)| (k, NavMetricsMean::of(v)))
                .collect()
        };
        Self {
            task: manifest.task.clone(),
            planner: manifest.planner.clone(),
            split: split_name(&manifest.episodes_file),
            overall: NavMetricsMean::of(records.iter().map(|r| &r.metrics)),
            end_reasons,
            by_language: means(by_language),
            by_scan: means(by_scan),
        }
    }
}

/// `R2R_val_seen.json` → `R2R_val_seen`.
fn split_name(episodes_file: &str) -> String {
    episodes_file
        .strip_suffix(".json")
        .unwrap_or(episodes_file)
        .to_string()
}
