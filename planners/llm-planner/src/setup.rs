//! LLM-Planner's wiring: from its options to a registered planner, with the settings a run
//! records. The CLI only maps its flags onto [`LlmPlannerOptions`].

use crate::pool::{PoolError, read_pool};
use crate::retrieve::{Bm25, Retriever};
use crate::{LlmPlanner, LlmPlannerConfig, PLANNER_NAME, Pool};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_llm::{BlockingLlmClient, LlmConfig};
use waymark_planner::{PlannerInfo, PlannerRegistry};

/// LLM-Planner's settings.
#[derive(Clone, Debug)]
pub struct LlmPlannerOptions {
    /// The chat client's configuration (server, model, cache, prices…).
    pub llm: LlmConfig,
    /// The example pool: an ALFRED `json_2.1.0` folder of training trajectories.
    pub pool: PathBuf,
    /// An embedding model on the same server for the kNN; BM25 when none.
    pub embedding_model: Option<String>,
    /// The planner's own settings.
    pub config: LlmPlannerConfig,
}

/// A failure to set LLM-Planner up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The LLM client could not start.
    #[error("starting the LLM client: {0}")]
    Client(#[from] waymark_llm::ConfigError),
    /// The example pool is unusable.
    #[error("the example pool: {0}")]
    Pool(#[from] PoolError),
    /// The pool's goals could not be embedded.
    #[error("embedding the example pool with `{model}`: {source}")]
    Embed {
        /// The embedding model.
        model: String,
        /// Why.
        source: waymark_llm::LlmError,
    },
}

const DESCRIPTION: &str = "LLM-Planner (Song et al. 2023): kNN few-shot high-level plans with re-planning, on the household skills (privileged grounding; needs --llm-url, --model, --llm-planner-pool)";

/// LLM-Planner's declaration: households, privileged (its grounding reads every object of
/// the scene, as the released agent reads the simulator's metadata).
pub fn info() -> PlannerInfo {
    PlannerInfo::new(PLANNER_NAME, DESCRIPTION, &["household"], true)
}

/// Registers LLM-Planner, configured by `options`; returns the settings a run records in
/// `run.json`. Reads the pool (and embeds its goals, with an embedding model) now.
pub fn register(
    registry: &mut PlannerRegistry,
    options: &LlmPlannerOptions,
) -> Result<BTreeMap<String, String>, SetupError> {
    let client = BlockingLlmClient::new(options.llm.clone())?;
    let examples = read_pool(&options.pool)?;
    let retriever = match &options.embedding_model {
        Some(model) => {
            let goals: Vec<String> = examples.iter().map(|e| e.task_instr.clone()).collect();
            let vectors = client
                .embed(model, &goals)
                .map_err(|source| SetupError::Embed {
                    model: model.clone(),
                    source,
                })?;
            Retriever::Embeddings(vectors)
        }
        None => {
            let goals: Vec<&str> = examples.iter().map(|e| e.task_instr.as_str()).collect();
            Retriever::Bm25(Bm25::new(&goals))
        }
    };
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), options.llm.model.clone());
    settings.insert(
        "pool".into(),
        format!("{} ({} examples)", options.pool.display(), examples.len()),
    );
    settings.insert(
        "retriever".into(),
        options
            .embedding_model
            .as_ref()
            .map_or_else(|| "bm25".to_string(), |m| format!("embeddings:{m}")),
    );
    settings.insert("k".into(), options.config.k.to_string());
    settings.insert("replan".into(), options.config.replan.to_string());
    let pool = Arc::new(Pool {
        examples,
        retriever,
        embedding_model: options.embedding_model.clone(),
    });
    let config = options.config.clone();
    registry.register(
        info(),
        Box::new(move || {
            Ok(Box::new(LlmPlanner::new(
                client.clone(),
                Arc::clone(&pool),
                config.clone(),
            )))
        }),
    );
    Ok(settings)
}

/// Registers LLM-Planner unconfigured, so that `waymark planners` lists it and creating it
/// says what it needs.
pub fn register_unconfigured(registry: &mut PlannerRegistry) {
    registry.register_unconfigured(
        info(),
        "needs an LLM server and an example pool: --llm-url URL --model NAME --llm-planner-pool DIR",
    );
}
