//! One line of `episodes.jsonl`: an episode's metrics, how it ended and its trajectory.
//!
//! The keys are the same for every task: `index`, `instr_id` (the episode id; the name R2R's
//! files gave it, kept so existing outputs and tools read on), `scan` (the scene), `language`,
//! `task_type` (when the task has types), then the task's metrics in its order, `end`, `error`, `counters`, `cost_usd` and
//! `trajectory` (in the task's own layout).

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fmt;
use waymark_core::{MetricValue, Metrics};

/// Why an episode ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The planner chose to stop.
    Stopped,
    /// The step limit was reached.
    StepLimit,
    /// The task's limit on failed actions was reached.
    TooManyFailures,
    /// The planner failed or chose an invalid action; the agent stays where it was.
    Error,
}

impl EndReason {
    /// The name used in JSON outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stopped => "stopped",
            Self::StepLimit => "step_limit",
            Self::TooManyFailures => "too_many_failures",
            Self::Error => "error",
        }
    }
}

/// One line of `episodes.jsonl`.
#[derive(Clone, Debug)]
pub struct EpisodeRecord {
    /// Position of the episode in the episode file (before sharding), for a stable order.
    pub index: usize,
    /// The episode id (`instr_id` in JSON).
    pub id: String,
    /// The scan or scene (`scan` in JSON).
    pub scene: String,
    /// The instruction's language, when known.
    pub language: Option<String>,
    /// The task type, for tasks that have them (written only when known).
    pub task_type: Option<String>,
    /// Every metric, in the task's order.
    pub metrics: Metrics,
    /// Why the episode ended.
    pub end: EndReason,
    /// The failure, when `end` is `error`.
    pub error: Option<String>,
    /// The planner's counts (token usage, failures by cause), when it reports any.
    pub counters: BTreeMap<String, u64>,
    /// The planner's estimated cost in USD, where prices are known.
    pub cost_usd: Option<f64>,
    /// The trajectory, in the task's own layout.
    pub trajectory: Box<RawValue>,
}

impl PartialEq for EpisodeRecord {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
            && self.id == other.id
            && self.scene == other.scene
            && self.language == other.language
            && self.task_type == other.task_type
            && self.metrics == other.metrics
            && self.end == other.end
            && self.error == other.error
            && self.counters == other.counters
            && self.cost_usd == other.cost_usd
            && self.trajectory.get() == other.trajectory.get()
    }
}

impl EpisodeRecord {
    /// The trajectory parsed as the task's type.
    pub fn trajectory_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.trajectory.get())
    }
}

impl Serialize for EpisodeRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("index", &self.index)?;
        map.serialize_entry("instr_id", &self.id)?;
        map.serialize_entry("scan", &self.scene)?;
        map.serialize_entry("language", &self.language)?;
        if let Some(task_type) = &self.task_type {
            map.serialize_entry("task_type", task_type)?;
        }
        self.metrics.serialize_entries(&mut map)?;
        map.serialize_entry("end", &self.end)?;
        if let Some(error) = &self.error {
            map.serialize_entry("error", error)?;
        }
        if !self.counters.is_empty() {
            map.serialize_entry("counters", &self.counters)?;
        }
        if let Some(cost) = &self.cost_usd {
            map.serialize_entry("cost_usd", cost)?;
        }
        map.serialize_entry("trajectory", &self.trajectory)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for EpisodeRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = EpisodeRecord;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an episode record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EpisodeRecord, A::Error> {
        let mut index = None;
        let mut id = None;
        let mut scene = None;
        let mut language = None;
        let mut task_type = None;
        let mut metrics = Metrics::new();
        let mut end = None;
        let mut error = None;
        let mut counters = BTreeMap::new();
        let mut cost_usd = None;
        let mut trajectory = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "index" => index = Some(map.next_value()?),
                "instr_id" => id = Some(map.next_value()?),
                "scan" => scene = Some(map.next_value()?),
                "language" => language = map.next_value()?,
                "task_type" => task_type = map.next_value()?,
                "end" => end = Some(map.next_value()?),
                "error" => error = map.next_value()?,
                "counters" => counters = map.next_value()?,
                "cost_usd" => cost_usd = map.next_value()?,
                "trajectory" => trajectory = Some(map.next_value()?),
                _ => {
                    let value: MetricValue = map.next_value()?;
                    metrics.set(key, value);
                }
            }
        }
        let missing = |field: &'static str| de::Error::missing_field(field);
        Ok(EpisodeRecord {
            index: index.ok_or_else(|| missing("index"))?,
            id: id.ok_or_else(|| missing("instr_id"))?,
            scene: scene.ok_or_else(|| missing("scan"))?,
            language,
            task_type,
            metrics,
            end: end.ok_or_else(|| missing("end"))?,
            error,
            counters,
            cost_usd,
            trajectory: trajectory.ok_or_else(|| missing("trajectory"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn records_round_trip_byte_for_byte() {
        let line = r#"{"index":3,"instr_id":"12_1","scan":"s","language":null,"tl":1.5,"ne":0.0,"steps":2,"end":"stopped","counters":{"llm_calls":2},"trajectory":[["a",0.0,0.0],["b",1.5,0.0]]}"#;
        let record: EpisodeRecord = serde_json::from_str(line).unwrap();
        assert_eq!(record.id, "12_1");
        assert_eq!(record.metrics.get("steps"), Some(MetricValue::Count(2)));
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
        let with_error = r#"{"index":0,"instr_id":"e","scan":"s","language":"ar","sr":0.0,"end":"error","error":"boom","cost_usd":0.5,"trajectory":[{"position":[1.0,2.0,0.0],"heading":0.5}]}"#;
        let record: EpisodeRecord = serde_json::from_str(with_error).unwrap();
        assert_eq!(serde_json::to_string(&record).unwrap(), with_error);
    }

    /// Every field, including a task type and non-finite metrics (JSON has no NaN: written
    /// as `null`, read back as NaN, written again the same).
    #[test]
    fn every_field_round_trips_even_non_finite_metrics() {
        let record = EpisodeRecord {
            index: 7,
            id: "t_2".into(),
            scene: "FloorPlan1".into(),
            language: Some("ar".into()),
            task_type: Some("pick_and_place_simple".into()),
            metrics: Metrics::default()
                .with_real("ne", f64::NAN)
                .with_real("spl", f64::INFINITY)
                .with_count("steps", 3),
            end: EndReason::StepLimit,
            error: Some("x".into()),
            counters: [("llm_calls".to_string(), 4)].into_iter().collect(),
            cost_usd: Some(0.25),
            trajectory: serde_json::value::RawValue::from_string("[1,2]".into()).unwrap(),
        };
        let line = serde_json::to_string(&record).unwrap();
        assert!(
            line.contains(r#""ne":null"#) && line.contains(r#""spl":null"#),
            "{line}"
        );
        let back: EpisodeRecord = serde_json::from_str(&line).unwrap();
        assert!(back.metrics.real("ne").is_nan() && back.metrics.real("spl").is_nan());
        assert_eq!(back.metrics.get("steps"), Some(MetricValue::Count(3)));
        assert_eq!(serde_json::to_string(&back).unwrap(), line);
        assert_eq!(
            (back.index, back.end, back.cost_usd),
            (7, EndReason::StepLimit, Some(0.25))
        );
        assert_eq!(back.task_type.as_deref(), Some("pick_and_place_simple"));
    }

    #[test]
    fn missing_fields_and_bad_metrics_are_errors() {
        let err = serde_json::from_str::<EpisodeRecord>(r#"{"index":0,"scan":"s"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("instr_id"), "{err}");
        assert!(
            serde_json::from_str::<EpisodeRecord>(
                r#"{"index":0,"instr_id":"e","scan":"s","sr":"x","end":"stopped","trajectory":[]}"#
            )
            .is_err()
        );
    }
}
