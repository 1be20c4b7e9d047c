//! `summary.json`: the task's metrics aggregated overall, per language, per scene and per task
//! type.

use crate::batch::RunManifest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use waymark_core::{MetricDef, MetricMeans};
use waymark_task::{Breakdowns, EndReason, EpisodeRecord};

/// The summary of a run (or of merged shards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The task, for example `r2r`.
    pub task: String,
    /// The planner.
    pub planner: String,
    /// Whether the planner was given privileged information.
    #[serde(default)]
    pub privileged: bool,
    /// The split: the episode file's name without its extension.
    pub split: String,
    /// The aggregates over every episode (`episodes`, then the task's metrics in its order).
    #[serde(flatten)]
    pub overall: MetricMeans,
    /// How many episodes ended each way (`stopped`, `step_limit`, `error`).
    pub end_reasons: BTreeMap<EndReason, usize>,
    /// Aggregates per instruction language (`unknown` when the file gives none).
    pub by_language: BTreeMap<String, MetricMeans>,
    /// Aggregates per scan or scene.
    pub by_scan: BTreeMap<String, MetricMeans>,
    /// Aggregates per task type, for tasks that have types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_task_type: BTreeMap<String, MetricMeans>,
    /// The task's own breakdowns (SG3D: step accuracy by step position and by label).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub breakdowns: Breakdowns,
    /// The planner's counts summed over every episode (token usage, failures by cause).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters: BTreeMap<String, u64>,
    /// The planner's counts summed per instruction language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counters_by_language: BTreeMap<String, BTreeMap<String, u64>>,
    /// The summed estimated cost in USD, where prices are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// Episodes not done because something around the planner failed (an LLM server down, a
    /// cache miss, an unreadable data file) or not started after the batch stopped; a resume
    /// runs them again.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_done: usize,
    /// Why, with how many episodes each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_done_causes: BTreeMap<String, usize>,
    /// The batch stopped starting episodes after repeated infrastructure failures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped_early: bool,
    /// Merged from incomplete shards (`merge --partial`): some episodes are missing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Summary {
    /// Summarizes `records` (in the given order, which makes the sums deterministic) with the
    /// task's metric definitions.
    pub fn of(manifest: &RunManifest, defs: &[MetricDef], records: &[EpisodeRecord]) -> Self {
        let mut end_reasons = BTreeMap::new();
        let mut by_language: BTreeMap<String, Vec<_>> = BTreeMap::new();
        let mut by_scan: BTreeMap<String, Vec<_>> = BTreeMap::new();
        let mut by_task_type: BTreeMap<String, Vec<_>> = BTreeMap::new();
        let mut counters = BTreeMap::new();
        let mut counters_by_language: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        let mut cost_usd = None;
        for r in records {
            *end_reasons.entry(r.end).or_insert(0) += 1;
            let language = r.language.clone().unwrap_or_else(|| "unknown".into());
            for (name, n) in &r.counters {
                *counters.entry(name.clone()).or_insert(0) += n;
                *counters_by_language
                    .entry(language.clone())
                    .or_default()
                    .entry(name.clone())
                    .or_insert(0) += n;
            }
            if let Some(cost) = r.cost_usd {
                cost_usd = Some(cost_usd.unwrap_or(0.0) + cost);
            }
            by_language.entry(language).or_default().push(&r.metrics);
            by_scan.entry(r.scene.clone()).or_default().push(&r.metrics);
            if let Some(task_type) = &r.task_type {
                by_task_type
                    .entry(task_type.clone())
                    .or_default()
                    .push(&r.metrics);
            }
        }
        let means = |groups: BTreeMap<String, Vec<_>>| {
            groups
                .into_iter()
                .map(|(k, v)| (k, MetricMeans::of(defs, v)))
                .collect()
        };
        Self {
            task: manifest.task.clone(),
            planner: manifest.planner.clone(),
            privileged: manifest.privileged,
            split: split_name(&manifest.episodes_file),
            overall: MetricMeans::of(defs, records.iter().map(|r| &r.metrics)),
            end_reasons,
            by_language: means(by_language),
            by_scan: means(by_scan),
            by_task_type: means(by_task_type),
            breakdowns: Breakdowns::new(),
            counters,
            counters_by_language,
            cost_usd,
            not_done: 0,
            not_done_causes: BTreeMap::new(),
            stopped_early: false,
            partial: false,
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

fn is_zero(n: &usize) -> bool {
    *n == 0
}
