//! The grounder's wiring: from its options to a registered planner, with the settings a run
//! records. The CLI only maps its flags onto [`LlmGrounderOptions`].

use crate::agent::{LlmGrounder, PLANNER_NAME};
use std::collections::BTreeMap;
use waymark_llm::{BlockingLlmClient, ConfigError, LlmConfig};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// The grounder's settings.
#[derive(Clone, Debug)]
pub struct LlmGrounderOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// Send each step's prompt with the bird's-eye map of the scene, this many pixels on its
    /// longer side, the candidates' ids written on it (for models that accept images).
    pub map_px: Option<u32>,
}

const DESCRIPTION: &str = "an LLM answers each SG3D step's object id from the task, its steps, the earlier answers and the candidate objects (boxes, colours, relations), with --grounder-map PX also from the bird's-eye map with the ids written on it; an answer naming no candidate falls back to label-match's choice (needs --llm-url, --model)";

/// The grounder's declaration: the SG3D task (not navigate-then-ground: it never walks), no
/// privileged information, no sensors.
pub fn info() -> PlannerInfo {
    info_with_map(None)
}

/// The declaration of a grounder given the bird's-eye map of `map_px` pixels.
pub fn info_with_map(map_px: Option<u32>) -> PlannerInfo {
    let mut info = PlannerInfo::new(PLANNER_NAME, DESCRIPTION, &["sg3d"], false);
    info.sensors.birds_eye_px = map_px;
    info
}

/// Registers the grounder, configured by `options`; returns the settings a run records in
/// `run.json`.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &LlmGrounderOptions,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let client = BlockingLlmClient::new(options.llm.clone())?;
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), options.llm.model.clone());
    if let Some(px) = options.map_px {
        settings.insert("map_px".into(), px.to_string());
    }
    registry.register(
        info_with_map(options.map_px),
        Box::new(move || Ok(Box::new(LlmGrounder::new(client.clone())))),
    );
    Ok(settings)
}

/// Registers the grounder so that `waymark planners` lists it and creating it says what it
/// needs.
pub fn register_unconfigured(registry: &mut PlannerRegistry) {
    registry.register_unconfigured(
        info(),
        "needs an LLM: run it with `--planner llm-grounder --llm-url URL --model NAME`",
    );
}
