//! Accounting: [`Usage`] per call, summed in a shareable [`UsageMeter`].

use std::collections::BTreeMap;
use std::ops::AddAssign;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// Prices for the cost estimate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    /// USD per 1000 prompt tokens.
    pub prompt_per_1k_usd: f64,
    /// USD per 1000 completion tokens.
    pub completion_per_1k_usd: f64,
}

impl Prices {
    /// The cost of a call in USD.
    pub fn cost_usd(&self, prompt_tokens: u64, completion_tokens: u64) -> f64 {
        (prompt_tokens as f64 * self.prompt_per_1k_usd
            + completion_tokens as f64 * self.completion_per_1k_usd)
            / 1000.0
    }
}

/// What calls used: one call's, or a sum.
///
/// Tokens are those the server reported, for cached calls too (so a replay reports the tokens
/// of the run it replays); `cost_usd` counts network calls only (a cached call costs 0) and is
/// `None` when no prices are configured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Successful calls.
    pub calls: u64,
    /// Of those, calls served from the cache.
    pub cached_calls: u64,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Estimated cost in USD, where prices are known.
    pub cost_usd: Option<f64>,
}

impl Usage {
    /// The counts a planner reports per episode: `llm_calls`, `prompt_tokens`,
    /// `completion_tokens` (whether calls came from the cache is left out, so a replayed run
    /// writes the same files as the run it replays).
    pub fn counters(&self) -> [(&'static str, u64); 3] {
        [
            ("llm_calls", self.calls),
            ("prompt_tokens", self.prompt_tokens),
            ("completion_tokens", self.completion_tokens),
        ]
    }
}

impl AddAssign<&Usage> for Usage {
    fn add_assign(&mut self, other: &Usage) {
        self.calls += other.calls;
        self.cached_calls += other.cached_calls;
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
        self.cost_usd = match (self.cost_usd, other.cost_usd) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
        };
    }
}

#[derive(Debug, Default)]
struct MeterState {
    usage: Usage,
    failures: BTreeMap<String, u64>,
}

/// A running total of [`Usage`] and of failures by [`crate::LlmError::cause`]. Clones share the
/// total, so an episode can hold its own meter while the client keeps the run's.
#[derive(Clone, Debug, Default)]
pub struct UsageMeter {
    state: Arc<Mutex<MeterState>>,
}

impl UsageMeter {
    /// An empty meter.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut MeterState) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Adds a call's usage.
    pub fn record(&self, usage: &Usage) {
        self.with(|state| state.usage += usage);
    }

    /// Counts a failed call under its cause.
    pub fn record_failure(&self, cause: &str) {
        self.with(|state| *state.failures.entry(cause.to_owned()).or_default() += 1);
    }

    /// The usage so far.
    pub fn usage(&self) -> Usage {
        self.with(|state| state.usage.clone())
    }

    /// Failed calls so far, by cause.
    pub fn failures(&self) -> BTreeMap<String, u64> {
        self.with(|state| state.failures.clone())
    }

    /// Returns the usage and failures so far and starts again from zero.
    pub fn take(&self) -> (Usage, BTreeMap<String, u64>) {
        self.with(|state| {
            let taken = std::mem::take(state);
            (taken.usage, taken.failures)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_usage_and_cost() {
        let meter = UsageMeter::new();
        let clone = meter.clone();
        clone.record(&Usage {
            calls: 1,
            cached_calls: 0,
            prompt_tokens: 1000,
            completion_tokens: 500,
            cost_usd: Some(0.25),
        });
        clone.record(&Usage {
            calls: 1,
            cached_calls: 1,
            prompt_tokens: 10,
            completion_tokens: 5,
            cost_usd: None,
        });
        meter.record_failure("timeout");
        meter.record_failure("timeout");
        let usage = meter.usage();
        assert_eq!((usage.calls, usage.cached_calls), (2, 1));
        assert_eq!((usage.prompt_tokens, usage.completion_tokens), (1010, 505));
        assert_eq!(usage.cost_usd, Some(0.25));
        assert_eq!(meter.failures().get("timeout"), Some(&2));
        let (taken, failures) = meter.take();
        assert_eq!(taken.calls, 2);
        assert_eq!(failures.len(), 1);
        assert_eq!(meter.usage(), Usage::default());
    }

    #[test]
    fn prices_are_per_thousand_tokens() {
        let prices = Prices {
            prompt_per_1k_usd: 0.5,
            completion_per_1k_usd: 1.5,
        };
        assert!((prices.cost_usd(2000, 1000) - 2.5).abs() < 1e-12);
    }
}
