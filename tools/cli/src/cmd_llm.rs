//! The LLM planners' options (`--llm-url`, `--model`, `--cache` …) and their registration.

use anyhow::{Context, bail};
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_llm::{BlockingLlmClient, CacheMode, ChatRequest, ConfigLayer, LlmConfig, Message};
use waymark_navgpt::{NavGptConfig, NavGptPlanner, NavgptData, ObservationSource, SceneSource};
use waymark_planner::{PlannerError, PlannerRegistry};

/// Options of the LLM planners (`navgpt`).
#[derive(Args, Clone, Debug, Default)]
pub struct LlmArgs {
    /// The OpenAI-compatible API base, e.g. `http://127.0.0.1:8080/v1` (else `WAYMARK_LLM_URL`
    /// or `OPENAI_BASE_URL`).
    #[arg(long)]
    llm_url: Option<String>,
    /// The model name (else `WAYMARK_LLM_MODEL`).
    #[arg(long)]
    model: Option<String>,
    /// A JSON file of client settings (field names as `waymark_llm::ConfigLayer`); flags and
    /// the environment win over it.
    #[arg(long)]
    llm_config: Option<PathBuf>,
    /// LLM requests in flight at once; also the number of episodes run at once unless
    /// `--workers` says otherwise.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// The record/replay cache's folder.
    #[arg(long)]
    cache: Option<PathBuf>,
    /// `off`, `read-write` or `replay-only` (fails on a miss, never calls the server).
    #[arg(long)]
    cache_mode: Option<CacheMode>,
    /// Per-request timeout in seconds.
    #[arg(long)]
    llm_timeout: Option<f64>,
    /// Completion length limit per call (NavGPT sets none).
    #[arg(long)]
    max_tokens: Option<u32>,
    /// USD per 1000 prompt tokens, for the cost estimate in `episodes.jsonl` and `summary.json`.
    #[arg(long)]
    price_prompt_per_1k: Option<f64>,
    /// USD per 1000 completion tokens.
    #[arg(long)]
    price_completion_per_1k: Option<f64>,
    /// NavGPT's precomputed R2R observations (`navigable/`, `objects_list/`,
    /// `observations_list_summarized/`, `observations_summarized/`): the paper's setting.
    #[arg(long)]
    navgpt_data: Option<PathBuf>,
    /// Without `--navgpt-data`: the folder of waymark scenes `<scan>.ply` to describe
    /// viewpoints from (objects from the renderer).
    #[arg(long)]
    scenes: Option<PathBuf>,
    /// With `--scenes`: a vision model (same server) that captions the rendered views; without
    /// one, captions list the objects the renderer sees.
    #[arg(long)]
    caption_model: Option<String>,
    /// LLM calls per episode before NavGPT is stopped where it stands.
    #[arg(long, default_value_t = 10)]
    navgpt_max_iterations: u32,
    /// Reproduce NavGPT's bucketing exactly: candidates at headings ≥ 337.5° are never shown.
    #[arg(long)]
    navgpt_original_bucketing: bool,
}

/// An LLM planner set up from the flags: the registry that can build it and the settings to
/// record in `run.json`.
pub struct LlmPlanners {
    /// Every planner, `navgpt` configured.
    pub registry: PlannerRegistry,
    /// What `run.json` records of the set-up.
    pub settings: BTreeMap<String, String>,
}

/// The registry for `planner`: the baselines, and `navgpt` configured from `args` when it is
/// the planner asked for (otherwise registered so that creating it explains what it needs).
pub fn planners(
    planner: &str,
    args: &LlmArgs,
    connectivity: Option<&PathBuf>,
) -> anyhow::Result<LlmPlanners> {
    let mut registry = PlannerRegistry::with_baselines();
    if planner != waymark_navgpt::PLANNER_NAME {
        registry.register(
            waymark_navgpt::PLANNER_NAME,
            NAVGPT_DESCRIPTION,
            Box::new(|| {
                Err(PlannerError::Failed {
                    planner: waymark_navgpt::PLANNER_NAME.into(),
                    message: "needs an LLM: run it with `waymark eval r2r --planner navgpt --llm-url URL --model NAME`".into(),
                })
            }),
        );
        return Ok(LlmPlanners {
            registry,
            settings: BTreeMap::new(),
        });
    }
    let config = args.client_config()?;
    let client = BlockingLlmClient::new(config.clone()).context("starting the LLM client")?;
    let (source, source_setting): (Arc<dyn ObservationSource>, String) = match (
        &args.navgpt_data,
        &args.scenes,
    ) {
        (Some(dir), _) => (
            Arc::new(NavgptData::new(dir)?),
            format!("navgpt-data:{}", file_name(dir)),
        ),
        (None, Some(dir)) => {
            let Some(connectivity) = connectivity else {
                bail!("--scenes needs the scans' connectivity folder");
            };
            let captioner = match &args.caption_model {
                Some(model) => Some(BlockingLlmClient::new(LlmConfig {
                    model: model.clone(),
                    ..config.clone()
                })?),
                None => None,
            };
            (
                Arc::new(SceneSource::new(dir, connectivity, captioner)),
                format!(
                    "scenes:{}{}",
                    file_name(dir),
                    args.caption_model
                        .as_ref()
                        .map(|m| format!(" captions:{m}"))
                        .unwrap_or_default()
                ),
            )
        }
        (None, None) => bail!(
            "navgpt needs observations: --navgpt-data DIR (NavGPT's R2R files) or --scenes DIR (waymark scenes)"
        ),
    };
    let navgpt = NavGptConfig {
        max_iterations: args.navgpt_max_iterations,
        show_all_candidates: !args.navgpt_original_bucketing,
        ..NavGptConfig::for_model(&config.model)
    };
    let mut settings = BTreeMap::new();
    settings.insert("model".into(), config.model.clone());
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
    if let Some(max_tokens) = config.max_tokens {
        settings.insert("max_tokens".into(), max_tokens.to_string());
    }
    if config.cache_mode != CacheMode::ReplayOnly {
        preflight(&config)?;
    }
    registry.register(
        waymark_navgpt::PLANNER_NAME,
        NAVGPT_DESCRIPTION,
        Box::new(move || {
            Ok(Box::new(NavGptPlanner::new(
                client.clone(),
                Arc::clone(&source),
                navgpt.clone(),
            )))
        }),
    );
    Ok(LlmPlanners { registry, settings })
}

const NAVGPT_DESCRIPTION: &str =
    "NavGPT (Zhou et al. 2023): an LLM reasons over text observations (needs --llm-url, --model)";

impl LlmArgs {
    /// NavGPT moves with a turn and a step: the environment must allow two steps per
    /// iteration, plus the stop.
    pub fn check_step_limit(&self, planner: &str, max_steps: u32) -> anyhow::Result<()> {
        let needed = 2 * self.navgpt_max_iterations + 1;
        if planner == waymark_navgpt::PLANNER_NAME && max_steps < needed {
            bail!(
                "--max-steps {max_steps} is too few for {} NavGPT iterations (each move is a turn and a step): use at least {needed}",
                self.navgpt_max_iterations
            );
        }
        Ok(())
    }

    /// The client configuration: flags over the environment over `--llm-config`.
    fn client_config(&self) -> anyhow::Result<LlmConfig> {
        let flags = ConfigLayer {
            base_url: self.llm_url.clone(),
            model: self.model.clone(),
            concurrency: self.concurrency,
            cache_dir: self.cache.clone(),
            cache_mode: self
                .cache_mode
                .or(self.cache.as_ref().map(|_| CacheMode::ReadWrite)),
            timeout_s: self.llm_timeout,
            max_tokens: self.max_tokens,
            price_prompt_per_1k: self.price_prompt_per_1k,
            price_completion_per_1k: self.price_completion_per_1k,
            ..ConfigLayer::default()
        };
        Ok(LlmConfig::resolve(flags, self.llm_config.as_deref())?)
    }
}

/// One tiny call before the batch, not retried, so a wrong URL, model or key, or a server that
/// does not speak the API, is one clear error before anything is written, not a failure (and a
/// round of retries) per episode. Passing trouble (429, 5xx, a timeout) is left to the run's
/// retries.
fn preflight(config: &LlmConfig) -> anyhow::Result<()> {
    let probe_config = LlmConfig {
        max_retries: 0,
        cache_mode: CacheMode::Off,
        cache_dir: None,
        ..config.clone()
    };
    let client = BlockingLlmClient::new(probe_config)?;
    let probe = ChatRequest::new(vec![Message::user("Reply with OK.")]).with_max_tokens(1);
    match client.chat(&probe) {
        Ok(_) => Ok(()),
        Err(e)
            if e.status() == Some(429)
                || e.status().is_some_and(|s| s >= 500)
                || e.cause() == "timeout" =>
        {
            tracing::warn!(error = %e, "the LLM server is busy; the run will retry");
            Ok(())
        }
        Err(e) => bail!(
            "the LLM server at {} (model {}) does not answer: {e}",
            config.base_url,
            config.model
        ),
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
