//! Metrics as named values, so every layer above the tasks (the batch runner, summaries,
//! tables, the window's sort keys) handles any task's metrics without knowing them.
//!
//! A task declares its metrics once, as [`MetricDef`]s in the order papers report them; each
//! episode's values are a [`Metrics`] in that order; [`MetricMeans`] aggregates them as each
//! definition says.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// One metric value: a count (serialized as a JSON integer) or a real number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MetricValue {
    /// A count (steps, collisions).
    Count(u64),
    /// A real value (metres, fractions).
    Real(f64),
}

impl MetricValue {
    /// The value as a float.
    pub fn as_f64(self) -> f64 {
        match self {
            // Counts are far below 2^53, so the conversion is exact.
            Self::Count(n) => n as f64,
            Self::Real(x) => x,
        }
    }
}

impl Serialize for MetricValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Count(n) => serializer.serialize_u64(*n),
            Self::Real(x) => serializer.serialize_f64(*x),
        }
    }
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = MetricValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_u64<E>(self, n: u64) -> Result<MetricValue, E> {
                Ok(MetricValue::Count(n))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<MetricValue, E> {
                u64::try_from(n)
                    .map(MetricValue::Count)
                    .map_err(|_| E::custom(format!("a count cannot be negative: {n}")))
            }
            fn visit_f64<E>(self, x: f64) -> Result<MetricValue, E> {
                Ok(MetricValue::Real(x))
            }
            /// JSON has no NaN or infinity: a non-finite metric is written as `null` and read
            /// back as NaN, so that a run can always read what it wrote.
            fn visit_unit<E>(self) -> Result<MetricValue, E> {
                Ok(MetricValue::Real(f64::NAN))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// One episode's metrics, by name, in the task's order. Serialized as a JSON object whose keys
/// keep that order (so outputs are byte-stable), and read back in document order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics(Vec<(Cow<'static, str>, MetricValue)>);

impl Metrics {
    /// No metrics.
    pub fn new() -> Self {
        Self::default()
    }

    /// No metrics, with room for `capacity` without reallocating.
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    /// Appends (or replaces) a metric. A task's own names are `&'static str`s and cost no
    /// allocation.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: MetricValue) {
        let name = name.into();
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Builder form of [`Metrics::set`] for a real value.
    pub fn with_real(mut self, name: impl Into<Cow<'static, str>>, value: f64) -> Self {
        self.set(name, MetricValue::Real(value));
        self
    }

    /// Builder form of [`Metrics::set`] for a count.
    pub fn with_count(mut self, name: impl Into<Cow<'static, str>>, value: u64) -> Self {
        self.set(name, MetricValue::Count(value));
        self
    }

    /// A metric's value.
    pub fn get(&self, name: &str) -> Option<MetricValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// A metric as a float (0 when absent).
    pub fn real(&self, name: &str) -> f64 {
        self.get(name).map_or(0.0, MetricValue::as_f64)
    }

    /// `(name, value)` in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, MetricValue)> {
        self.0.iter().map(|(n, v)| (n.as_ref(), *v))
    }

    /// How many metrics.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds one `name → value` to a map being serialized (for records that flatten metrics).
    pub fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        Ok(())
    }
}

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MetricsVisitor;
        impl<'de> Visitor<'de> for MetricsVisitor {
            type Value = Metrics;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of metric values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Metrics, A::Error> {
                let mut m = Metrics::new();
                while let Some((name, value)) = map.next_entry::<String, MetricValue>()? {
                    m.set(name, value);
                }
                Ok(m)
            }
        }
        deserializer.deserialize_map(MetricsVisitor)
    }
}

/// How a metric aggregates over episodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The mean of the per-episode values (in record order, so the sum is deterministic).
    Mean,
    /// The mean of a 0/1 per-episode value: a rate, reported as a fraction.
    Rate,
    /// Pooled: the sum of this metric over episodes divided by the sum of `denominator`
    /// (micro-averaging, as goal-condition success is pooled over every goal condition).
    Pooled {
        /// The metric summed in the denominator.
        denominator: &'static str,
    },
    /// Crafter's score: `exp(mean_i ln(1 + s_i)) − 1` over the success rates `s_i`, in
    /// percent, of the metrics `rates` (each a 0/1 per episode). An episode's own value is the
    /// same formula over its own 0/1 values.
    LogMeanOfRates {
        /// The 0/1 metrics whose rates it combines.
        rates: &'static [&'static str],
    },
}

/// Crafter's score of success rates given in percent: `exp(mean ln(1 + s)) − 1`, in percent
/// (0 for no rates).
pub fn crafter_score(rates_percent: &[f64]) -> f64 {
    if rates_percent.is_empty() {
        return 0.0;
    }
    let mean =
        rates_percent.iter().map(|s| (1.0 + s).ln()).sum::<f64>() / rates_percent.len() as f64;
    mean.exp() - 1.0
}

/// The unit a metric is reported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Metres.
    Metres,
    /// A fraction in `[0, 1]`.
    Fraction,
    /// A count.
    Count,
    /// A percentage (0–100).
    Percent,
}

/// A metric a task reports.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MetricDef {
    /// The key in every output (lower case).
    pub name: &'static str,
    /// One line saying what it measures.
    pub description: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// How it aggregates over episodes.
    pub aggregate: Aggregate,
    /// Whether the benchmark's official evaluator reports it (`waymark score` prints these).
    pub official: bool,
}

impl MetricDef {
    /// A metric definition (a `const fn`, for the tasks' static tables).
    pub const fn new(
        name: &'static str,
        description: &'static str,
        unit: Unit,
        aggregate: Aggregate,
        official: bool,
    ) -> Self {
        Self {
            name,
            description,
            unit,
            aggregate,
            official,
        }
    }
}

/// Aggregated metrics over a set of episodes: `episodes` and one value per defined metric, in
/// definition order. Serialized as `{"episodes": N, name: value, …}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricMeans {
    /// How many episodes were aggregated.
    pub episodes: usize,
    /// Each metric's aggregate, in definition order.
    pub values: Vec<(String, f64)>,
}

impl MetricMeans {
    /// Aggregates `metrics` (in iteration order, so the result is deterministic) as `defs`
    /// say. A metric an episode lacks counts as 0; no episodes give zero values.
    pub fn of<'a>(defs: &[MetricDef], metrics: impl IntoIterator<Item = &'a Metrics>) -> Self {
        // Sums of the defined metrics, then of the pooled metrics' denominators.
        let denominators: Vec<&str> = defs
            .iter()
            .filter_map(|d| match d.aggregate {
                Aggregate::Pooled { denominator } => Some(denominator),
                Aggregate::Mean | Aggregate::Rate | Aggregate::LogMeanOfRates { .. } => None,
            })
            .collect();
        let names: Vec<&str> = defs.iter().map(|d| d.name).chain(denominators).collect();
        let mut sums = vec![0.0f64; names.len()];
        let mut episodes = 0usize;
        for m in metrics {
            episodes += 1;
            for (sum, name) in sums.iter_mut().zip(&names) {
                *sum += m.real(name);
            }
        }
        let sum_of = |name: &str| {
            names
                .iter()
                .position(|n| *n == name)
                .map_or(0.0, |i| sums[i])
        };
        let values = defs
            .iter()
            .zip(&sums)
            .map(|(def, &sum)| {
                let value = match def.aggregate {
                    _ if episodes == 0 => 0.0,
                    Aggregate::Mean | Aggregate::Rate => sum / episodes as f64,
                    Aggregate::Pooled { denominator } => {
                        let d = sum_of(denominator);
                        if d == 0.0 { 0.0 } else { sum / d }
                    }
                    Aggregate::LogMeanOfRates { rates } => {
                        let percents: Vec<f64> = rates
                            .iter()
                            .map(|r| 100.0 * sum_of(r) / episodes as f64)
                            .collect();
                        crafter_score(&percents)
                    }
                };
                (def.name.to_string(), value)
            })
            .collect();
        Self { episodes, values }
    }

    /// A metric's aggregate.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// Adds `episodes` and every value to a map being serialized.
    pub fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("episodes", &self.episodes)?;
        for (name, value) in &self.values {
            map.serialize_entry(name, value)?;
        }
        Ok(())
    }
}

impl Serialize for MetricMeans {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len() + 1))?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for MetricMeans {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let metrics = Metrics::deserialize(deserializer)?;
        let mut means = Self::default();
        for (name, value) in metrics.iter() {
            if name == "episodes" {
                means.episodes = value.as_f64() as usize;
            } else {
                means.values.push((name.to_string(), value.as_f64()));
            }
        }
        Ok(means)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn crafter_score_by_hand() {
        // exp((ln 101 + ln 1) / 2) − 1 = √101 − 1.
        assert!((crafter_score(&[100.0, 0.0]) - (101f64.sqrt() - 1.0)).abs() < 1e-12);
        assert_eq!(crafter_score(&[0.0; 22]), 0.0);
        assert!((crafter_score(&[100.0; 22]) - 100.0).abs() < 1e-9);
    }

    use super::*;

    const DEFS: [MetricDef; 3] = [
        MetricDef {
            name: "ne",
            description: "",
            unit: Unit::Metres,
            aggregate: Aggregate::Mean,
            official: true,
        },
        MetricDef {
            name: "sr",
            description: "",
            unit: Unit::Fraction,
            aggregate: Aggregate::Rate,
            official: true,
        },
        MetricDef {
            name: "gc",
            description: "",
            unit: Unit::Fraction,
            aggregate: Aggregate::Pooled {
                denominator: "goals",
            },
            official: false,
        },
    ];

    #[test]
    fn metrics_keep_their_order_and_kinds_through_json() {
        let m = Metrics::new()
            .with_real("tl", 1.5)
            .with_real("ne", 0.0)
            .with_count("steps", 3);
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, r#"{"tl":1.5,"ne":0.0,"steps":3}"#);
        let back: Metrics = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Metrics>(r#"{"a":"x"}"#).is_err());
        assert!(serde_json::from_str::<Metrics>(r#"{"a":-1}"#).is_err());
    }

    #[test]
    fn means_rates_and_pooled_values_by_hand() {
        let a = Metrics::new()
            .with_real("ne", 1.0)
            .with_real("sr", 1.0)
            .with_real("gc", 1.0)
            .with_count("goals", 1);
        let b = Metrics::new()
            .with_real("ne", 4.0)
            .with_real("sr", 0.0)
            .with_real("gc", 2.0)
            .with_count("goals", 3);
        let m = MetricMeans::of(&DEFS, [&a, &b]);
        assert_eq!(m.episodes, 2);
        assert_eq!(m.get("ne"), Some(2.5));
        assert_eq!(m.get("sr"), Some(0.5));
        assert_eq!(m.get("gc"), Some(0.75), "3 of 4 goal conditions");
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, r#"{"episodes":2,"ne":2.5,"sr":0.5,"gc":0.75}"#);
        assert_eq!(serde_json::from_str::<MetricMeans>(&text).unwrap(), m);
        let none = MetricMeans::of(&DEFS, []);
        assert_eq!((none.episodes, none.get("gc")), (0, Some(0.0)));
    }
}
