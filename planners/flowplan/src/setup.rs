//! FlowPlan's wiring: from its options to a registered planner, with the settings a run
//! records. The CLI only maps its flags onto [`FlowPlanOptions`].

use crate::{FlowPlanConfig, FlowPlanPlanner, PLANNER_NAME};
use std::collections::BTreeMap;
use waymark_llm::{BlockingLlmClient, LlmConfig};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// FlowPlan's settings.
#[derive(Clone, Debug)]
pub struct FlowPlanOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// The planner's own settings.
    pub config: FlowPlanConfig,
}

const DESCRIPTION: &str = "FlowPlan (Lin et al. 2025): four LLM stages (task type, language plan, symbolic plan, logical check) and context-aligned targets, on the household skills (privileged; needs --llm-url, --model)";

/// FlowPlan's declaration: households, privileged (targets are localised among every object
/// of the scene, where the paper builds a semantic map).
pub fn info() -> PlannerInfo {
    PlannerInfo::new(PLANNER_NAME, DESCRIPTION, &["household"], true)
}

/// Registers FlowPlan, configured by `options`; returns the settings a run records in
/// `run.json`.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &FlowPlanOptions,
) -> Result<BTreeMap<String, String>, waymark_llm::ConfigError> {
    let client = BlockingLlmClient::new(options.llm.clone())?;
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), options.llm.model.clone());
    settings.insert(
        "max_revisions".into(),
        options.config.max_revisions.to_string(),
    );
    settings.insert("max_tokens".into(), options.config.max_tokens.to_string());
    let config = options.config.clone();
    registry.register(
        info(),
        Box::new(move || {
            Ok(Box::new(FlowPlanPlanner::new(
                client.clone(),
                config.clone(),
            )))
        }),
    );
    Ok(settings)
}

/// Registers FlowPlan unconfigured, so that `waymark planners` lists it and creating it says
/// what it needs.
pub fn register_unconfigured(registry: &mut PlannerRegistry) {
    registry.register_unconfigured(info(), "needs an LLM server: --llm-url URL --model NAME");
}
