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
}

const DESCRIPTION: &str = "an LLM answers each SG3D step's object id from the task, its steps, the earlier answers and the candidate objects (boxes, colours, relations); an answer naming no candidate falls back to the first candidate the step names (needs --llm-url, --model)";

/// The grounder's declaration: the SG3D task (not navigate-then-ground: it never walks), no
/// privileged information, no sensors.
pub fn info() -> PlannerInfo {
    PlannerInfo::new(PLANNER_NAME, DESCRIPTION, &["sg3d"], false)
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
    registry.register(
        info(),
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
