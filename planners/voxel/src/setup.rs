//! The wiring of `llm-skills`: from its options to a registered planner, with the settings a
//! run records. The CLI only maps its flags onto [`LlmSkillsOptions`].

use crate::llm::{DEFAULT_SKILL_ACTIONS, LLM_PLANNER_NAME, LlmSkills};
use std::collections::BTreeMap;
use waymark_core::VoxelObservation;
use waymark_llm::{BlockingLlmClient, ConfigError, LlmConfig};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// The planner's settings.
#[derive(Clone, Debug)]
pub struct LlmSkillsOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// Actions one skill may take before the model is asked again.
    pub max_skill_actions: u32,
}

impl LlmSkillsOptions {
    /// Options with the default skill cap.
    pub fn new(llm: LlmConfig) -> Self {
        Self {
            llm,
            max_skill_actions: DEFAULT_SKILL_ACTIONS,
        }
    }
}

/// The longest answer, in tokens, when `--max-tokens` is not given.
pub const DEFAULT_MAX_TOKENS: u32 = 256;

const DESCRIPTION: &str = "voxel world: an LLM chooses the next skill (go to, mine, place, craft, drink, eat, sleep, fight, explore; STEVE-1: look up, dig down, swim, dive, open the inventory) from the task, the observation's text and the previous skill's end; skills run from the nearby offsets and the block in view (needs --llm-url, --model)";

/// The declaration: voxel observations, no privileged information, no sensors.
pub fn info() -> PlannerInfo {
    PlannerInfo::new(
        LLM_PLANNER_NAME,
        DESCRIPTION,
        &[VoxelObservation::KIND],
        false,
    )
}

/// Registers the planner, configured by `options`; returns the settings a run records in
/// `run.json`.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &LlmSkillsOptions,
) -> Result<BTreeMap<String, String>, ConfigError> {
    // A cap on each answer unless `--max-tokens` gives one: the answer is one skill line, and
    // a small model left unbounded can ramble past the client's time limit (SmolLM2-135M did,
    // 120 s per call, on two CPU cores).
    let mut llm = options.llm.clone();
    let max_tokens = *llm.max_tokens.get_or_insert(DEFAULT_MAX_TOKENS);
    let client = BlockingLlmClient::new(llm)?;
    let cap = options.max_skill_actions;
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), options.llm.model.clone());
    settings.insert("max_tokens".into(), max_tokens.to_string());
    settings.insert("max_skill_actions".into(), cap.to_string());
    registry.register(
        info(),
        Box::new(move || Ok(Box::new(LlmSkills::new(client.clone(), cap)))),
    );
    Ok(settings)
}

/// Registers the planner so that `waymark planners` lists it and creating it says what it
/// needs.
pub fn register_unconfigured(registry: &mut PlannerRegistry) {
    registry.register_unconfigured(
        info(),
        "needs an LLM: run it with `--planner llm-skills --llm-url URL --model NAME`",
    );
}
