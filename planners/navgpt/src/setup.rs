//! NavGPT's wiring: from its options to a registered planner, with the settings a run records
//! and the step limit it needs. The CLI only maps its flags onto [`NavGptOptions`].

use crate::{
    NavGptConfig, NavGptPlanner, NavgptData, ObservationSource, PLANNER_NAME, SensorSource,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::DiscreteNavObservation;
use waymark_core::SensorRequest;
use waymark_llm::{BlockingLlmClient, LlmConfig};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// What NavGPT describes viewpoints from.
#[derive(Clone, Debug, PartialEq)]
pub enum Observations {
    /// NavGPT's own precomputed R2R observations (the paper's setting).
    NavgptData(PathBuf),
    /// The environment's sensor readings on waymark's own scenes (the task needs its scenes:
    /// `--scenes DIR` for R2R), captions from `caption_model` on the rendered views when
    /// given.
    Sensors {
        /// A vision model on the same server, for captions.
        caption_model: Option<String>,
    },
}

/// NavGPT's settings.
#[derive(Clone, Debug)]
pub struct NavGptOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// Where observations come from.
    pub observations: Observations,
    /// LLM calls per episode before NavGPT is stopped where it stands.
    pub max_iterations: u32,
    /// Show candidates at headings ≥ 337.5°, which NavGPT's bucketing hides (opt-in fix).
    pub show_all_candidates: bool,
    /// Refuse viewpoints that are not adjacent instead of moving there as NavGPT does
    /// (opt-in strictness).
    pub adjacent_only: bool,
}

/// A failure to set NavGPT up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The LLM client could not start.
    #[error("starting the LLM client: {0}")]
    Client(#[from] waymark_llm::ConfigError),
    /// NavGPT's data folder is unusable.
    #[error(transparent)]
    Source(#[from] crate::SourceError),
}

const DESCRIPTION: &str =
    "NavGPT (Zhou et al. 2023): an LLM reasons over text observations (needs --llm-url, --model)";

/// NavGPT's declaration: graph navigation, no privileged information, the sensor readings its
/// observation source needs, and a step limit of two actions per iteration (a move is a turn
/// then a step) plus the stop. A far move takes one step per viewpoint on its path, within the
/// task's `--max-steps`.
pub fn info(max_iterations: u32, sensors: SensorRequest) -> PlannerInfo {
    PlannerInfo {
        min_max_steps: Some(max_iterations.saturating_mul(2).saturating_add(1)),
        sensors,
        ..PlannerInfo::new(
            PLANNER_NAME,
            DESCRIPTION,
            &[DiscreteNavObservation::KIND],
            false,
        )
    }
}

/// The observation source `observations` names (captions, when asked for, from a vision model
/// on `llm`'s server) and the setting a run records for it. Shared with the other graph
/// planners that read the same observations (A²Nav).
pub fn observation_source(
    llm: &LlmConfig,
    observations: &Observations,
) -> Result<(Arc<dyn ObservationSource>, String), SetupError> {
    let made: (Arc<dyn ObservationSource>, String) = match observations {
        Observations::NavgptData(dir) => (
            Arc::new(NavgptData::new(dir)?),
            format!("navgpt-data:{}", file_name(dir)),
        ),
        Observations::Sensors { caption_model } => {
            let captioner = match caption_model {
                Some(model) => Some(BlockingLlmClient::new(LlmConfig {
                    model: model.clone(),
                    ..llm.clone()
                })?),
                None => None,
            };
            (
                Arc::new(SensorSource::new(captioner)),
                format!(
                    "sensors{}",
                    caption_model
                        .as_ref()
                        .map(|m| format!(" captions:{m}"))
                        .unwrap_or_default()
                ),
            )
        }
    };
    Ok(made)
}

/// Registers NavGPT, configured by `options`; returns the settings a run records in `run.json`.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &NavGptOptions,
) -> Result<BTreeMap<String, String>, SetupError> {
    let client = BlockingLlmClient::new(options.llm.clone())?;
    let (source, source_setting) = observation_source(&options.llm, &options.observations)?;
    let navgpt = NavGptConfig {
        max_iterations: options.max_iterations,
        show_all_candidates: options.show_all_candidates,
        adjacent_only: options.adjacent_only,
        ..NavGptConfig::for_model(&options.llm.model)
    };
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), options.llm.model.clone());
    settings.insert("observations".into(), source_setting);
    settings.insert("prompt".into(), format!("{:?}", navgpt.variant));
    settings.insert("max_iterations".into(), navgpt.max_iterations.to_string());
    settings.insert(
        "bucketing".into(),
        if navgpt.show_all_candidates {
            "fixed"
        } else {
            "navgpt"
        }
        .into(),
    );
    settings.insert(
        "moves".into(),
        if navgpt.adjacent_only {
            "adjacent-only"
        } else {
            "navgpt"
        }
        .into(),
    );
    if let Some(max_tokens) = options.llm.max_tokens {
        settings.insert("max_tokens".into(), max_tokens.to_string());
    }
    registry.register(
        info(options.max_iterations, source.sensors()),
        Box::new(move || {
            Ok(Box::new(NavGptPlanner::new(
                client.clone(),
                Arc::clone(&source),
                navgpt.clone(),
            )))
        }),
    );
    Ok(settings)
}

/// Registers NavGPT unconfigured, so that `waymark planners` lists it and creating it says
/// what it needs.
pub fn register_unconfigured(registry: &mut PlannerRegistry) {
    registry.register_unconfigured(
        info(
            NavGptConfig::for_model("").max_iterations,
            SensorRequest::default(),
        ),
        "needs an LLM: run it with `--planner navgpt --llm-url URL --model NAME`",
    );
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
