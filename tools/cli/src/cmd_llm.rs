//! The planners of a run: the LLM planners' options (`--llm-url`, `--model`, `--cache` …),
//! `exec:` planners, and their registration.

use anyhow::{Context, bail};
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;
use waymark_llm::{BlockingLlmClient, CacheMode, ChatRequest, ConfigLayer, LlmConfig, Message};
use waymark_llm_planner::LlmPlannerConfig;
use waymark_llm_planner::setup::LlmPlannerOptions;
use waymark_navgpt::setup::{NavGptOptions, Observations};
use waymark_planner::PlannerRegistry;
use waymark_task::{TaskArgs, TaskInfo};

/// Options of the LLM planners (`navgpt`, `llm-planner`, `flowplan`, `a2nav`, `llm-grounder`,
/// `llm-skills`).
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
    /// Without `--navgpt-data` (NavGPT then describes viewpoints from the environment's sensor
    /// readings, so the task needs its scenes: `--scenes DIR`): a vision model (same server)
    /// that captions the rendered views; without one, captions list the objects seen.
    #[arg(long)]
    caption_model: Option<String>,
    /// LLM calls per episode before NavGPT is stopped where it stands.
    #[arg(long, default_value_t = 10)]
    navgpt_max_iterations: u32,
    /// Show candidates at headings ≥ 337.5°, which NavGPT's own bucketing never shows (a fix;
    /// off by default, as NavGPT).
    #[arg(long)]
    navgpt_show_all_candidates: bool,
    /// Refuse viewpoints the agent is not next to, as invalid (stricter than NavGPT, which
    /// moves there along its own graph; off by default).
    #[arg(long)]
    navgpt_adjacent_only: bool,
    /// `llm-grounder`: send each step with the bird's-eye map of the scene, this many pixels
    /// on its longer side, the candidates' ids written on it (for models that accept images).
    #[arg(long, value_name = "PX")]
    grounder_map: Option<u32>,
    /// Skip the one tiny "Reply with OK." call made before a batch to check the LLM server
    /// (it is never part of an episode's accounting).
    #[arg(long)]
    no_preflight: bool,
    /// LLM-Planner's example pool: an ALFRED `json_2.1.0` folder of training trajectories
    /// (the paper retrieves from 100).
    #[arg(long)]
    llm_planner_pool: Option<PathBuf>,
    /// An embedding model (same server, `/v1/embeddings`) for LLM-Planner's example retrieval
    /// and A²Nav's mapping of action phrases; without one, BM25 over the goals (LLM-Planner)
    /// and cue words (A²Nav).
    #[arg(long)]
    embedding_model: Option<String>,
    /// In-context examples per LLM-Planner prompt.
    #[arg(long, default_value_t = 9)]
    llm_planner_k: usize,
    /// Turn LLM-Planner's re-planning off (the released agent's static mode): a failed step is
    /// dropped instead of re-prompting.
    #[arg(long)]
    llm_planner_static: bool,
    /// FlowPlan's revisions of a plan its logical evaluation finds fault with.
    #[arg(long, default_value_t = 2)]
    flowplan_max_revisions: u32,
}

/// The planner asked for, set up from the flags: the registry that can build it, its
/// registry name, and the settings to record in `run.json`.
pub struct Planners {
    /// Every planner; the one asked for configured.
    pub registry: PlannerRegistry,
    /// The registry name of the planner asked for.
    pub name: String,
    /// What `run.json` records of its set-up.
    pub settings: BTreeMap<String, String>,
}

/// The registry for `planner`: the baselines, NavGPT (configured from `args` when it is the
/// planner asked for, otherwise registered so that creating it explains what it needs), and
/// an `exec:` planner when one is asked for (started once here, so that its declaration is
/// known before the first episode). With `task`, a planner that cannot drive it is refused
/// before any server is called.
pub fn planners(
    planner: &str,
    args: &LlmArgs,
    planner_timeout_s: f64,
    task: Option<&TaskInfo>,
    task_args: &TaskArgs,
) -> anyhow::Result<Planners> {
    let mut registry = PlannerRegistry::with_baselines();
    waymark_household::register(&mut registry);
    waymark_voxel_skills::register(&mut registry);
    let mut settings = BTreeMap::new();
    let mut name = planner.to_string();
    if let Some(command) = planner.strip_prefix("exec:") {
        let timeout = std::time::Duration::try_from_secs_f64(planner_timeout_s)
            .with_context(|| format!("--planner-timeout {planner_timeout_s}"))?;
        name = waymark_exec::register(&mut registry, command, timeout)
            .with_context(|| format!("starting the planner `{command}`"))?;
        settings.insert("command".into(), command.to_string());
    }
    if planner == waymark_voxel_skills::LLM_PLANNER_NAME {
        waymark_llm_grounder::setup::register_unconfigured(&mut registry);
        waymark_a2nav::setup::register_unconfigured(&mut registry);
        waymark_navgpt::setup::register_unconfigured(&mut registry);
        waymark_flowplan::setup::register_unconfigured(&mut registry);
        waymark_llm_planner::setup::register_unconfigured(&mut registry);
        return llm_skills(registry, args, task);
    }
    waymark_voxel_skills::setup::register_unconfigured(&mut registry);
    if planner == waymark_llm_grounder::PLANNER_NAME {
        waymark_a2nav::setup::register_unconfigured(&mut registry);
        waymark_navgpt::setup::register_unconfigured(&mut registry);
        waymark_flowplan::setup::register_unconfigured(&mut registry);
        waymark_llm_planner::setup::register_unconfigured(&mut registry);
        return llm_grounder(registry, args, task);
    }
    waymark_llm_grounder::setup::register_unconfigured(&mut registry);
    if planner == waymark_a2nav::PLANNER_NAME {
        waymark_navgpt::setup::register_unconfigured(&mut registry);
        waymark_flowplan::setup::register_unconfigured(&mut registry);
        waymark_llm_planner::setup::register_unconfigured(&mut registry);
        return a2nav(registry, args, task, task_args);
    }
    waymark_a2nav::setup::register_unconfigured(&mut registry);
    if planner == waymark_llm_planner::PLANNER_NAME {
        waymark_navgpt::setup::register_unconfigured(&mut registry);
        waymark_flowplan::setup::register_unconfigured(&mut registry);
        return llm_planner(registry, args, task);
    }
    waymark_llm_planner::setup::register_unconfigured(&mut registry);
    if planner == waymark_flowplan::PLANNER_NAME {
        waymark_navgpt::setup::register_unconfigured(&mut registry);
        return flowplan(registry, args, task);
    }
    waymark_flowplan::setup::register_unconfigured(&mut registry);
    if planner != waymark_navgpt::PLANNER_NAME {
        waymark_navgpt::setup::register_unconfigured(&mut registry);
        return Ok(Planners {
            registry,
            name,
            settings,
        });
    }
    if let Some(task) = task {
        // Before the server is asked anything: NavGPT may not drive this task at all.
        waymark_eval::check_support(
            &waymark_navgpt::setup::info(args.navgpt_max_iterations, Default::default()),
            task,
        )?;
    }
    let llm = args.client_config()?;
    let observations = observations(args, task_args, waymark_navgpt::PLANNER_NAME)?;
    if llm.cache_mode != CacheMode::ReplayOnly && !args.no_preflight {
        preflight(&llm)?;
    }
    let options = NavGptOptions {
        llm,
        observations,
        max_iterations: args.navgpt_max_iterations,
        show_all_candidates: args.navgpt_show_all_candidates,
        adjacent_only: args.navgpt_adjacent_only,
    };
    let mut settings = waymark_navgpt::setup::register(&mut registry, &options)?;
    {
        use waymark_navgpt::prompt as p;
        settings.insert(
            "prompts_fingerprint".into(),
            waymark_eval::inputs::fingerprint_texts(&[
                p::VLN_GPT4_PROMPT,
                p::VLN_GPT35_PROMPT,
                p::VLN_ARABIC_PROMPT,
                p::TOOL_DESCRIPTIONS,
                p::ARABIC_TOOL_DESCRIPTIONS,
            ]),
        );
    }
    observations_fingerprint(&options.observations, &mut settings)?;
    Ok(Planners {
        registry,
        name,
        settings,
    })
}

/// Where a graph planner's observations come from: NavGPT's files (`--navgpt-data`) or the
/// task's scenes through the sensors.
fn observations(
    args: &LlmArgs,
    task_args: &TaskArgs,
    planner: &str,
) -> anyhow::Result<Observations> {
    Ok(match (&args.navgpt_data, task_args.text("scenes")) {
        (Some(dir), _) => Observations::NavgptData(dir.clone()),
        (None, Some(_)) => Observations::Sensors {
            caption_model: args.caption_model.clone(),
        },
        (None, None) => bail!(
            "{planner} needs observations: --navgpt-data DIR (NavGPT's R2R files) or --scenes DIR (waymark scenes, seen through the environment's sensors)"
        ),
    })
}

/// A resume or merge over other observation files is refused like one over other episodes.
fn observations_fingerprint(
    observations: &Observations,
    settings: &mut BTreeMap<String, String>,
) -> anyhow::Result<()> {
    if let Observations::NavgptData(dir) = observations {
        settings.insert(
            "navgpt_data_fingerprint".into(),
            waymark_eval::inputs::fingerprint(dir)?,
        );
    }
    Ok(())
}

/// A²Nav, configured from the flags.
fn a2nav(
    mut registry: PlannerRegistry,
    args: &LlmArgs,
    task: Option<&TaskInfo>,
    task_args: &TaskArgs,
) -> anyhow::Result<Planners> {
    // Continuous scenes are seen through the sensor readings; graphs through an observation
    // source.
    let continuous =
        task.is_some_and(|t| t.observation_kind == waymark_core::ContinuousNavObservation::KIND);
    if let Some(task) = task.filter(|_| !continuous) {
        waymark_eval::check_support(&waymark_a2nav::setup::info(Some(Default::default())), task)?;
    }
    let llm = args.client_config()?;
    let observations = match continuous {
        true => None,
        false => Some(observations(args, task_args, waymark_a2nav::PLANNER_NAME)?),
    };
    if llm.cache_mode != CacheMode::ReplayOnly && !args.no_preflight {
        preflight(&llm)?;
    }
    let options = waymark_a2nav::setup::A2NavOptions {
        llm,
        observations,
        embedding_model: args.embedding_model.clone(),
    };
    let mut settings = waymark_a2nav::setup::register(&mut registry, &options)?;
    settings.insert(
        "prompts_fingerprint".into(),
        waymark_eval::inputs::fingerprint_texts(&waymark_a2nav::prompt::TEMPLATES),
    );
    if let Some(observations) = &options.observations {
        observations_fingerprint(observations, &mut settings)?;
    }
    Ok(Planners {
        registry,
        name: waymark_a2nav::PLANNER_NAME.into(),
        settings,
    })
}

/// The LLM grounder, configured from the flags.
fn llm_grounder(
    mut registry: PlannerRegistry,
    args: &LlmArgs,
    task: Option<&TaskInfo>,
) -> anyhow::Result<Planners> {
    if let Some(task) = task {
        waymark_eval::check_support(
            &waymark_llm_grounder::setup::info_with_map(args.grounder_map),
            task,
        )?;
    }
    let llm = args.client_config()?;
    if llm.cache_mode != CacheMode::ReplayOnly && !args.no_preflight {
        preflight(&llm)?;
    }
    let options = waymark_llm_grounder::setup::LlmGrounderOptions {
        llm,
        map_px: args.grounder_map,
    };
    let mut settings = waymark_llm_grounder::setup::register(&mut registry, &options)?;
    let prompts = waymark_llm_grounder::prompt::TEMPLATES;
    let with_map = [prompts, waymark_llm_grounder::prompt::MAP_NOTES].concat();
    settings.insert(
        "prompts_fingerprint".into(),
        waymark_eval::inputs::fingerprint_texts(match args.grounder_map {
            Some(_) => &with_map,
            None => &prompts,
        }),
    );
    Ok(Planners {
        registry,
        name: waymark_llm_grounder::PLANNER_NAME.into(),
        settings,
    })
}

/// The voxel skill planner `llm-skills`, configured from the flags.
fn llm_skills(
    mut registry: PlannerRegistry,
    args: &LlmArgs,
    task: Option<&TaskInfo>,
) -> anyhow::Result<Planners> {
    if let Some(task) = task {
        waymark_eval::check_support(&waymark_voxel_skills::setup::info(), task)?;
    }
    let llm = args.client_config()?;
    if llm.cache_mode != CacheMode::ReplayOnly && !args.no_preflight {
        preflight(&llm)?;
    }
    let options = waymark_voxel_skills::setup::LlmSkillsOptions::new(llm);
    let mut settings = waymark_voxel_skills::setup::register(&mut registry, &options)?;
    settings.insert(
        "prompts_fingerprint".into(),
        waymark_eval::inputs::fingerprint_texts(&waymark_voxel_skills::prompt::TEMPLATES),
    );
    Ok(Planners {
        registry,
        name: waymark_voxel_skills::LLM_PLANNER_NAME.into(),
        settings,
    })
}

/// LLM-Planner, configured from the flags.
fn llm_planner(
    mut registry: PlannerRegistry,
    args: &LlmArgs,
    task: Option<&TaskInfo>,
) -> anyhow::Result<Planners> {
    if let Some(task) = task {
        waymark_eval::check_support(&waymark_llm_planner::setup::info(), task)?;
    }
    let pool = args.llm_planner_pool.clone().context(
        "llm-planner needs its example pool: --llm-planner-pool DIR (ALFRED training trajectories, json_2.1.0 layout)",
    )?;
    let llm = args.client_config()?;
    if llm.cache_mode != CacheMode::ReplayOnly && !args.no_preflight {
        preflight(&llm)?;
    }
    let options = LlmPlannerOptions {
        llm,
        pool,
        embedding_model: args.embedding_model.clone(),
        config: LlmPlannerConfig {
            k: args.llm_planner_k,
            replan: !args.llm_planner_static,
            ..LlmPlannerConfig::default()
        },
    };
    let mut settings = waymark_llm_planner::setup::register(&mut registry, &options)?;
    settings.insert(
        "pool_fingerprint".into(),
        waymark_eval::inputs::fingerprint(&options.pool)?,
    );
    let labels = |l: &waymark_llm_planner::prompt::Labels| {
        [
            l.header,
            l.allowed_actions,
            l.task_description,
            l.completed_plans,
            l.visible_objects,
            l.next_plans,
        ]
    };
    let mut texts: Vec<&str> = labels(&waymark_llm_planner::prompt::ENGLISH).to_vec();
    texts.extend(labels(&waymark_llm_planner::prompt::ARABIC));
    texts.extend(waymark_llm_planner::prompt::ACTIONS);
    settings.insert(
        "prompts_fingerprint".into(),
        waymark_eval::inputs::fingerprint_texts(&texts),
    );
    Ok(Planners {
        registry,
        name: waymark_llm_planner::PLANNER_NAME.into(),
        settings,
    })
}

/// FlowPlan, configured from the flags.
fn flowplan(
    mut registry: PlannerRegistry,
    args: &LlmArgs,
    task: Option<&TaskInfo>,
) -> anyhow::Result<Planners> {
    if let Some(task) = task {
        waymark_eval::check_support(&waymark_flowplan::setup::info(), task)?;
    }
    let llm = args.client_config()?;
    if llm.cache_mode != CacheMode::ReplayOnly && !args.no_preflight {
        preflight(&llm)?;
    }
    let options = waymark_flowplan::setup::FlowPlanOptions {
        llm,
        config: waymark_flowplan::FlowPlanConfig {
            max_revisions: args.flowplan_max_revisions,
            ..waymark_flowplan::FlowPlanConfig::default()
        },
    };
    let mut settings = waymark_flowplan::setup::register(&mut registry, &options)?;
    let mut texts = Vec::new();
    for t in [
        &waymark_flowplan::prompts::ENGLISH,
        &waymark_flowplan::prompts::ARABIC,
    ] {
        texts.extend([
            t.task_information,
            t.language_plan,
            t.symbolic_plan,
            t.logical_check,
            t.revision,
        ]);
    }
    settings.insert(
        "prompts_fingerprint".into(),
        waymark_eval::inputs::fingerprint_texts(&texts),
    );
    Ok(Planners {
        registry,
        name: waymark_flowplan::PLANNER_NAME.into(),
        settings,
    })
}

impl LlmArgs {
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

/// One tiny call before the batch, not retried, so a wrong URL, model or key, a server that
/// does not speak the API or answers nothing within one call's timeout (`--llm-timeout`: a
/// busy local server may queue it behind other clients' calls), is one clear error before
/// anything is written, not a failure (and a round of retries) per episode. Passing trouble
/// (429, 5xx) is left to the run's retries.
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
        Err(e) if e.status() == Some(429) || e.status().is_some_and(|s| s >= 500) => {
            tracing::warn!(error = %e, "the LLM server is busy; the run will retry");
            Ok(())
        }
        Err(e) if e.cause() == "timeout" => bail!(
            "the LLM server at {} (model {}) did not answer within {} s: is it running and serving that model?",
            config.shown_base_url(),
            config.model,
            config.timeout.as_secs_f64()
        ),
        Err(e) => bail!(
            "the LLM server at {} (model {}) does not answer: {e}",
            config.shown_base_url(),
            config.model
        ),
    }
}
