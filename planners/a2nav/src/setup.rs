//! A²Nav's wiring: from its options to a registered planner, with the settings a run records.
//! The CLI only maps its flags onto [`A2NavOptions`].

use crate::actions::ActionMapper;
use crate::agent::{A2NavPlanner, PLANNER_NAME};
use crate::continuous;
use std::collections::BTreeMap;
use std::sync::Arc;
use waymark_core::{ContinuousNavObservation, DiscreteNavObservation, SensorRequest};
use waymark_llm::{BlockingLlmClient, LlmConfig};
use waymark_navgpt::setup::{Observations, SetupError, observation_source};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// A²Nav's settings.
#[derive(Clone, Debug)]
pub struct A2NavOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// On graphs, where the navigators' observations come from (as NavGPT's); `None` for
    /// continuous scenes, where they come from the sensor readings.
    pub observations: Option<Observations>,
    /// An embedding model (same server) for action phrases outside the five; without one, the
    /// lexical rule.
    pub embedding_model: Option<String>,
}

const DESCRIPTION: &str = "A²Nav (Chen et al. 2023): an LLM decomposes the instruction into GoTo/GoPast/GoInto/GoThrough/Exit sub-tasks, carried out by zero-shot navigators on graphs or in continuous scenes (needs --llm-url, --model)";

/// A²Nav's declaration: no privileged information; on graphs (`sensors`: what its observation
/// source needs, plus the rooms seen when that source reads the environment's sensors) or,
/// with `None`, in continuous scenes (the readings its strides need).
pub fn info(sensors: Option<SensorRequest>) -> PlannerInfo {
    let (kind, sensors) = match sensors {
        Some(sensors) if !sensors.is_empty() => (
            DiscreteNavObservation::KIND,
            SensorRequest {
                regions_within_m: Some(continuous::SEEN_WITHIN_M),
                ..sensors
            },
        ),
        Some(sensors) => (DiscreteNavObservation::KIND, sensors),
        None => (ContinuousNavObservation::KIND, continuous::sensor_request()),
    };
    PlannerInfo {
        sensors,
        ..PlannerInfo::new(PLANNER_NAME, DESCRIPTION, &[kind], false)
    }
}

/// Registers A²Nav, configured by `options`; returns the settings a run records in `run.json`.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &A2NavOptions,
) -> Result<BTreeMap<String, String>, SetupError> {
    let client = BlockingLlmClient::new(options.llm.clone())?;
    let (source, source_setting) = match &options.observations {
        Some(observations) => {
            let (source, setting) = observation_source(&options.llm, observations)?;
            (Some(source), setting)
        }
        None => (
            None,
            "sensors (continuous: objects, regions, free space, walks)".into(),
        ),
    };
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
        info(source.as_ref().map(|s| s.sensors())),
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
        PlannerInfo {
            supports: vec![
                DiscreteNavObservation::KIND.into(),
                ContinuousNavObservation::KIND.into(),
            ],
            ..info(Some(SensorRequest::default()))
        },
        "needs an LLM and, on graphs, observations: run it with `--planner a2nav --llm-url URL --model NAME --navgpt-data DIR` (or `--scenes DIR`)",
    );
}
