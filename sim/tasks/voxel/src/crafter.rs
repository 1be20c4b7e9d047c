//! The Crafter benchmark's measures (Hafner 2021): each achievement's success rate (the
//! share of episodes that unlock it at least once), the Crafter score
//! `exp(mean ln(1 + success %)) − 1` over the 22 achievements, the episode return and length;
//! and Crafter's own per-episode statistics file (`stats.jsonl`, as `crafter.Recorder` writes
//! it: `length`, `reward`, `achievement_<name>` counts), which is the submission and what
//! `waymark score crafter` reads, from waymark or from the Python Crafter.

use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;
use waymark_core::{Aggregate, MetricDef, MetricValue, Metrics, Unit};
use waymark_task::{EpisodeMeta, EpisodeRecord, ScoreOptions, TaskEpisodes, TaskError};
use waymark_voxel::ACHIEVEMENTS;

/// The achievements' metric names (Crafter's names).
pub const ACHIEVEMENT_METRICS: [&str; 22] = ACHIEVEMENTS;

const fn rate(name: &'static str) -> MetricDef {
    MetricDef::new(
        name,
        "unlocked at least once (success rate over episodes)",
        Unit::Fraction,
        Aggregate::Rate,
        true,
    )
}

/// Crafter's metrics: the score, the return, the achievements unlocked, the length, whether
/// the agent died, then each achievement's 0/1.
pub static CRAFTER_METRICS: [MetricDef; 27] = [
    MetricDef::new(
        "score",
        "Crafter score: exp(mean ln(1 + success %)) − 1 over the 22 achievements",
        Unit::Percent,
        Aggregate::LogMeanOfRates {
            rates: &ACHIEVEMENT_METRICS,
        },
        true,
    ),
    MetricDef::new(
        "reward",
        "Crafter's return: +1 per achievement first unlocked, ±0.1 per health point gained or lost",
        Unit::Count,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "achievements",
        "achievements unlocked",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "length",
        "actions taken",
        Unit::Count,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "died",
        "the agent died",
        Unit::Fraction,
        Aggregate::Rate,
        false,
    ),
    rate("collect_coal"),
    rate("collect_diamond"),
    rate("collect_drink"),
    rate("collect_iron"),
    rate("collect_sapling"),
    rate("collect_stone"),
    rate("collect_wood"),
    rate("defeat_skeleton"),
    rate("defeat_zombie"),
    rate("eat_cow"),
    rate("eat_plant"),
    rate("make_iron_pickaxe"),
    rate("make_iron_sword"),
    rate("make_stone_pickaxe"),
    rate("make_stone_sword"),
    rate("make_wood_pickaxe"),
    rate("make_wood_sword"),
    rate("place_furnace"),
    rate("place_plant"),
    rate("place_stone"),
    rate("place_table"),
    rate("wake_up"),
];

/// One episode's statistics, as Crafter's recorder writes a `stats.jsonl` line.
#[derive(Clone, Debug, PartialEq)]
pub struct CrafterStats {
    /// Actions taken.
    pub length: u32,
    /// The return.
    pub reward: f64,
    /// Times each achievement was earned, in [`ACHIEVEMENTS`] order.
    pub counts: [u32; 22],
    /// Whether the agent died (not in Crafter's file: read as false).
    pub died: bool,
}

impl CrafterStats {
    /// The episode's metrics.
    pub fn metrics(&self) -> Metrics {
        let unlocked: Vec<f64> = self
            .counts
            .iter()
            .map(|&c| if c > 0 { 1.0 } else { 0.0 })
            .collect();
        let percents: Vec<f64> = unlocked.iter().map(|u| 100.0 * u).collect();
        let mut m = Metrics::with_capacity(CRAFTER_METRICS.len())
            .with_real("score", waymark_core::crafter_score(&percents))
            .with_real("reward", self.reward)
            .with_count("achievements", unlocked.iter().sum::<f64>() as u64)
            .with_count("length", self.length.into())
            .with_real("died", if self.died { 1.0 } else { 0.0 });
        for (name, u) in ACHIEVEMENTS.iter().zip(unlocked) {
            m.set(*name, MetricValue::Real(u));
        }
        m
    }

    /// Crafter's `stats.jsonl` line.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("length".into(), self.length.into());
        map.insert("reward".into(), self.reward.into());
        for (name, &count) in ACHIEVEMENTS.iter().zip(&self.counts) {
            map.insert(format!("achievement_{name}"), count.into());
        }
        Value::Object(map)
    }

    /// Reads a `stats.jsonl` line (missing achievements count 0).
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let obj = value.as_object().ok_or("expected a JSON object")?;
        let length = obj
            .get("length")
            .and_then(Value::as_u64)
            .ok_or("`length` is missing or not a count")?;
        let reward = obj
            .get("reward")
            .and_then(Value::as_f64)
            .ok_or("`reward` is missing or not a number")?;
        let mut counts = [0u32; 22];
        for (count, name) in counts.iter_mut().zip(ACHIEVEMENTS) {
            if let Some(v) = obj.get(&format!("achievement_{name}")) {
                *count = v
                    .as_u64()
                    .ok_or_else(|| format!("`achievement_{name}` is not a count"))?
                    as u32;
            }
        }
        Ok(Self {
            length: length as u32,
            reward,
            counts,
            died: false,
        })
    }
}

/// Writes the records' `stats.jsonl` (one line per episode, in file order, each with the
/// episode's id as `episode`, which Crafter's readers ignore).
pub fn write_stats(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let mut out = Vec::new();
    for r in records {
        let trajectory: crate::env::Trajectory =
            r.trajectory_as().map_err(|e| TaskError::Episode {
                file: path.to_path_buf(),
                episode: r.id.clone(),
                message: format!("its trajectory does not read: {e}"),
            })?;
        let mut line = trajectory.stats().to_json();
        if let Value::Object(map) = &mut line {
            map.insert("episode".into(), r.id.clone().into());
        }
        writeln!(out, "{line}").map_err(TaskError::source)?;
    }
    waymark_io::write_bytes_atomic(path, &out)?;
    Ok(())
}

/// Scores a `stats.jsonl`: lines with an `episode` id are matched by id, lines without
/// one by position (Crafter's own files); each line's metrics.
pub fn score_stats(
    episodes: &dyn TaskEpisodes,
    path: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let text = std::fs::read_to_string(path).map_err(|e| TaskError::Episode {
        file: path.to_path_buf(),
        episode: "-".into(),
        message: format!("cannot read: {e}"),
    })?;
    let set = episodes.set();
    let mut lines = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad = |message: String| TaskError::Episode {
            file: path.to_path_buf(),
            episode: format!("line {}", n + 1),
            message,
        };
        let value: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let stats = CrafterStats::from_json(&value).map_err(bad)?;
        let id = match value.get("episode").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => set
                .episodes
                .get(lines.len())
                .map(|e| e.id.clone())
                .ok_or_else(|| {
                    bad(format!(
                        "more lines than the {} episodes",
                        set.episodes.len()
                    ))
                })?,
        };
        lines.push((id, stats));
    }
    let entry_of = set.match_submission(lines.iter().map(|(id, _)| id.as_str()), options)?;
    Ok(set
        .episodes
        .iter()
        .zip(entry_of)
        .filter_map(|(meta, entry)| entry.map(|i| (meta.clone(), lines[i].1.metrics())))
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn crafter_score_of_episodes_by_hand() {
        // Two episodes: one unlocks collect_wood only, the other nothing. Success rates:
        // collect_wood 50 %, the rest 0 %: score = exp(ln(51) / 22) − 1.
        let mut a = CrafterStats {
            length: 10,
            reward: 1.0,
            counts: [0; 22],
            died: false,
        };
        a.counts[6] = 3;
        let b = CrafterStats {
            length: 10,
            reward: 0.0,
            counts: [0; 22],
            died: true,
        };
        let metrics = [a.metrics(), b.metrics()];
        let means = waymark_core::MetricMeans::of(&CRAFTER_METRICS, metrics.iter());
        let expected = (51f64.ln() / 22.0).exp() - 1.0;
        assert!((means.get("score").unwrap() - expected).abs() < 1e-12);
        assert_eq!(means.get("collect_wood"), Some(0.5));
        assert_eq!(means.get("died"), Some(0.5));
        // One episode's own score: exp(ln(101) / 22) − 1.
        assert!((metrics[0].real("score") - ((101f64.ln() / 22.0).exp() - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn stats_lines_round_trip() {
        let mut a = CrafterStats {
            length: 7,
            reward: 2.5,
            counts: [0; 22],
            died: false,
        };
        a.counts[0] = 1;
        a.counts[21] = 4;
        let back = CrafterStats::from_json(&a.to_json()).unwrap();
        assert_eq!(back, a);
        let json = a.to_json();
        assert_eq!(json["achievement_wake_up"], 4);
        assert!(CrafterStats::from_json(&serde_json::json!({"reward": 1})).is_err());
    }
}
