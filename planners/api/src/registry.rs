//! Planners by name.

use crate::{Planner, PlannerError, baselines};
use std::collections::BTreeMap;

/// Creates a fresh planner instance.
pub type PlannerFactory = Box<dyn Fn() -> Result<Box<dyn Planner>, PlannerError> + Send + Sync>;

struct Entry {
    description: &'static str,
    factory: PlannerFactory,
}

/// A set of planners, looked up by name.
pub struct PlannerRegistry {
    entries: BTreeMap<String, Entry>,
}

impl PlannerRegistry {
    /// An empty registry.
    pub fn empty() -> Self {
        Self {
            entries: BTreeMap::new(),
        }
    }

    /// A registry holding the baselines `stop`, `random` and `shortest`.
    pub fn with_baselines() -> Self {
        let mut registry = Self::empty();
        registry.register(
            "stop",
            "stops at once (a floor for every metric)",
            Box::new(|| Ok(Box::new(baselines::StopPlanner))),
        );
        registry.register(
            "random",
            "R2R's random agent: turns to a random heading, then up to five forward moves",
            Box::new(|| Ok(Box::new(baselines::RandomPlanner::default()))),
        );
        registry.register(
            "shortest",
            "oracle: follows the shortest path to the goal, then stops",
            Box::new(|| Ok(Box::new(baselines::ShortestPlanner))),
        );
        registry
    }

    /// Adds (or replaces) a planner.
    pub fn register(
        &mut self,
        name: impl Into<String>,
        description: &'static str,
        factory: PlannerFactory,
    ) {
        self.entries.insert(
            name.into(),
            Entry {
                description,
                factory,
            },
        );
    }

    /// Creates a planner by name.
    pub fn create(&self, name: &str) -> Result<Box<dyn Planner>, PlannerError> {
        match self.entries.get(name) {
            Some(entry) => (entry.factory)(),
            None => Err(PlannerError::UnknownPlanner {
                name: name.to_string(),
                available: self.entries.keys().cloned().collect::<Vec<_>>().join(", "),
            }),
        }
    }

    /// Whether a planner of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// `(name, description)` of every planner, sorted by name.
    pub fn list(&self) -> impl Iterator<Item = (&str, &'static str)> {
        self.entries
            .iter()
            .map(|(name, e)| (name.as_str(), e.description))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_list_the_available_planners() {
        let registry = PlannerRegistry::with_baselines();
        let err = registry.create("gpt").err().unwrap();
        assert_eq!(
            err.to_string(),
            "unknown planner `gpt`; available: random, shortest, stop"
        );
        assert!(registry.create("random").is_ok());
        assert_eq!(registry.list().count(), 3);
    }
}
