//! Planners by name, each with its declaration.

use crate::{Planner, PlannerError, PlannerInfo, baselines};
use std::collections::BTreeMap;

/// Creates a fresh planner instance.
pub type PlannerFactory = Box<dyn Fn() -> Result<Box<dyn Planner>, PlannerError> + Send + Sync>;

struct Entry {
    info: PlannerInfo,
    factory: PlannerFactory,
}

/// A set of planners, looked up by name.
pub struct PlannerRegistry {
    entries: BTreeMap<String, Entry>,
}

/// The observation kinds of the navigation tasks the baselines drive.
const NAVIGATION: [&str; 2] = ["discrete_nav", "continuous_nav"];

impl PlannerRegistry {
    /// An empty registry.
    pub fn empty() -> Self {
        Self {
            entries: BTreeMap::new(),
        }
    }

    /// A registry holding the baselines `stop`, `random`, `shortest`, `expert` and
    /// `label-match`.
    pub fn with_baselines() -> Self {
        let mut registry = Self::empty();
        registry.register(
            PlannerInfo::new(
                "stop",
                "stops at once (a floor for every metric)",
                &["*"],
                false,
            ),
            Box::new(|| Ok(Box::new(baselines::StopPlanner))),
        );
        registry.register(
            PlannerInfo::new(
                "random",
                "R2R's random agent: turns to a random heading, then up to five forward moves (households: 100 random actions; grounding: a uniformly drawn candidate per step, or while walking a random move or a candidate in view; voxel: Crafter's uniform random action, or MineRL's action_space.sample())",
                &["discrete_nav", "continuous_nav", "household", "grounding", "voxel"],
                false,
            ),
            Box::new(|| Ok(Box::new(baselines::RandomPlanner::default()))),
        );
        registry.register(
            PlannerInfo::new(
                "shortest",
                "oracle: follows the shortest path to the goal, then stops (privileged)",
                &NAVIGATION,
                true,
            ),
            Box::new(|| Ok(Box::new(baselines::ShortestPlanner))),
        );
        registry.register(
            PlannerInfo::new(
                "expert",
                "households: replays the expert's low-level actions, then stops; grounding: answers each step's gold object (navigate-then-ground: walks to where it sees it first; privileged)",
                &["household", "grounding"],
                true,
            ),
            Box::new(|| Ok(Box::new(baselines::ExpertPlanner))),
        );
        registry.register(
            PlannerInfo::new(
                "label-match",
                "grounding: the candidate whose label the step names first; ties by the relations the step mentions, then a colour it names, then nearness to the previous answer (navigate-then-ground: walks up to it without a map)",
                &["grounding"],
                false,
            ),
            Box::new(|| Ok(Box::new(baselines::LabelMatchPlanner::default()))),
        );
        registry
    }

    /// Adds (or replaces) a planner under `info.name`.
    pub fn register(&mut self, info: PlannerInfo, factory: PlannerFactory) {
        self.entries
            .insert(info.name.clone(), Entry { info, factory });
    }

    /// Registers a planner that needs settings this registry was not given: it is listed
    /// (`waymark planners`) and creating it fails with `needs`, which says what to pass.
    pub fn register_unconfigured(&mut self, info: PlannerInfo, needs: &'static str) {
        let name = info.name.clone();
        self.register(
            info,
            Box::new(move || Err(PlannerError::failed(name.clone(), needs))),
        );
    }

    /// Creates a planner by name.
    pub fn create(&self, name: &str) -> Result<Box<dyn Planner>, PlannerError> {
        (self.entry(name)?.factory)()
    }

    /// A planner's declaration.
    pub fn info(&self, name: &str) -> Result<&PlannerInfo, PlannerError> {
        Ok(&self.entry(name)?.info)
    }

    fn entry(&self, name: &str) -> Result<&Entry, PlannerError> {
        self.entries
            .get(name)
            .ok_or_else(|| PlannerError::UnknownPlanner {
                name: name.to_string(),
                available: self.entries.keys().cloned().collect::<Vec<_>>().join(", "),
            })
    }

    /// Whether a planner of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// Every planner's declaration, sorted by name.
    pub fn list(&self) -> impl Iterator<Item = &PlannerInfo> {
        self.entries.values().map(|e| &e.info)
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
            "unknown planner `gpt`; available: expert, label-match, random, shortest, stop"
        );
        assert!(registry.create("random").is_ok());
        assert_eq!(registry.list().count(), 5);
        assert!(registry.info("shortest").unwrap().privileged);
        assert!(!registry.info("random").unwrap().privileged);
    }
}
