//! A²Nav's wiring: from its options to a registered planner, with the settings a run records.
//! The CLI only maps its flags onto [`A2NavOptions`].

use crate::actions::ActionMapper;
use crate::agent::{A2NavPlanner, PLANNER_NAME};
use std::collections::BTreeMap;
use std::sync::Arc;
use waymark_core::{DiscreteNavObservation, SensorRequest};
use waymark_llm::{BlockingLlmClient, LlmConfig};
use waymark_navgpt::setup::{Observations, SetupError, observation_source};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// A²Nav's settings.
#[derive(Clone, Debug)]
pub struct A2NavOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// Where the navigators' observations come from (as NavGPT's).
    pub observations: Observations,
    /// An embedding model (same server) for action phrases outside the five; without one, the
    /// lexical rule.
    pub embedding_model: Option<String>,
}

const DESCRIPTION: &str = "A²Nav (Chen et al. 2023): an LLM decomposes the instruction into GoTo/GoPast/GoInto/GoThrough/Exit sub-tasks, carried out by zero-shot navigators (needs --llm-url, --model)";

/// A²Nav's declaration: graph navigation, no privileged information, the sensor readings its
/// observation source needs.
pub fn info(sensors: SensorRequest) -> PlannerInfo {
    PlannerInfo {
        sensors,
        ..PlannerInfo::new(
            PLANNER_NAME,
            DESCRIPTION,
            &[DiscreteNavObservation::KIND],
            false,
        )
    }
}

/// Registers A²Nav, configured by `options`; returns the settings a run records in `run.json`.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &A2NavOptions,
) -> Result<BTreeMap<String, String>, SetupError> {
    let client = BlockingLlmClient::new(options.llm.clone())?;
    let (source, source_setting) = observation_source(&options.llm, &options.observations)?;
    let mapper = Arc::new(match &options.embedding_model {
        Some(model) => ActionMapper::with_embeddings(client.clone(), model.clone()),
        None => ActionMapper::lexical(),
    });
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), options.llm.model.clone());
    settings.insert("observations".into(), source_setting);
    settings.insert(
        "action_mapping".into(),
        options
            .embedding_model
            .as_ref()
            .map_or_else(|| "lexical".to_string(), |m| format!("embedding:{m}")),
    );
    registry.register(
        info(source.sensors()),
        Box::new(move || {
            Ok(Box::new(A2NavPlanner::new(
                client.clone(),
                mapper.clone(),
                source.clone(),
            )))
        }),
    );
    Ok(settings)
}

/// Registers A²Nav so that `waymark planners` lists it and creating it says what it needs.
pub fn register_unconfigured(registry: &mut PlannerRegistry) {
    registry.register_unconfigured(
        info(SensorRequest::default()),
        "needs an LLM and observations: run it with `--planner a2nav --llm-url URL --model NAME --navgpt-data DIR` (or `--scenes DIR`)",
    );
}
