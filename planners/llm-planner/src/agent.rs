//! The LLM-Planner agent loop, as the released end-to-end agent runs it
//! (`e2e/src/run_eval.py`, `evaluate_task`), on waymark's household skills:
//!
//! 1. At the first observation, one call: the prompt with no completed plans and the objects
//!    in view; the answer is the plan.
//! 2. Steps run one after another. A step no action name starts is skipped and recorded as
//!    `<step> [SKIPPED - UNSUPPORTED]` among the completed plans, without re-planning.
//! 3. A step that fails (no such object, cannot reach it, the action failed) re-plans:
//!    a new prompt (the same examples, new cut points) with the completed plans and every
//!    object seen so far, whose answer replaces the rest of the plan. A second failure in a
//!    row, or any failure after 5 re-plans, skips the step instead (the released
//!    `max_retries = 1`, `max_replanning = 5`). With re-planning off, a failed step is
//!    dropped (the released agent's static mode).
//! 4. When the plan is used up, the agent stops.
//!
//! The "current receptacle" rule is kept: a navigation step remembers its argument, which a
//! one-word `PutObject` puts into; any step other than a put or an open forgets it.

use crate::ground::{choose, primitive};
use crate::parse::{Kind, interpret, plan_steps, type_name};
use crate::plan::{PlanStep, Subgoal, gold_steps};
use crate::prompt::{ExampleBlock, Labels, QueryBlock, build, labels_for};
use crate::{LlmPlannerConfig, PLANNER_NAME, Pool, Query};
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use waymark_core::{Action, EpisodeContext, HouseholdObservation, Interaction, Observation};
use waymark_household::{
    Grid, Primitive, PrimitiveExecutor, Progress, Scene, household_observation,
};
use waymark_llm::{BlockingLlmClient, ChatRequest, Message, UsageMeter};
use waymark_planner::{EpisodeReport, Planner, PlannerError, StepLogEntry};

fn failed(message: impl Into<String>) -> PlannerError {
    PlannerError::failed(PLANNER_NAME, message)
}

/// LLM-Planner over any OpenAI-compatible chat model.
pub struct LlmPlanner {
    client: BlockingLlmClient,
    pool: Arc<Pool>,
    config: LlmPlannerConfig,
    state: Option<EpisodeState>,
}

struct EpisodeState {
    client: BlockingLlmClient,
    meter: UsageMeter,
    labels: &'static Labels,
    task_instr: String,
    examples: Vec<usize>,
    rng: ChaCha8Rng,
    executor: PrimitiveExecutor,
    gold: Option<Vec<PlanStep>>,
    plan: VecDeque<String>,
    current: Option<String>,
    completed: Vec<String>,
    seen: Vec<String>,
    started: bool,
    retries: u32,
    replans: u32,
    receptacle: Option<String>,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
}

impl LlmPlanner {
    /// A planner calling `client` with examples from `pool`.
    pub fn new(client: BlockingLlmClient, pool: Arc<Pool>, config: LlmPlannerConfig) -> Self {
        Self {
            client,
            pool,
            config,
            state: None,
        }
    }
}

/// The object types in view, as the released agent lists them: converted like step
/// arguments, without repeats.
fn visible_types(obs: &HouseholdObservation) -> impl Iterator<Item = String> + '_ {
    obs.visible.iter().map(|o| type_name(&o.object_type))
}

impl EpisodeState {
    fn count(&mut self, name: &str) {
        *self.counters.entry(name.to_string()).or_insert(0) += 1;
    }

    /// Adds what is in view to the objects seen (sorted by code point, no repeats).
    fn see(&mut self, obs: &HouseholdObservation) {
        for name in visible_types(obs) {
            if !name.is_empty() && !self.seen.contains(&name) {
                self.seen.push(name);
            }
        }
        self.seen.sort();
    }

    fn log(&mut self, step: u32, action: Option<String>, outcome: &str, cause: Option<String>) {
        self.step_log.push(StepLogEntry {
            step,
            thought: None,
            action,
            outcome: outcome.into(),
            cause,
            extra: serde_json::Map::new(),
        });
    }

    /// Asks the model for the rest of the plan.
    fn call(
        &mut self,
        pool: &Pool,
        config: &LlmPlannerConfig,
        obs: &HouseholdObservation,
    ) -> Result<(), PlannerError> {
        let splits: Vec<usize> = self
            .examples
            .iter()
            .map(|&i| match pool.examples[i].steps.len() {
                0 => 0,
                n => self.rng.random_range(0..n),
            })
            .collect();
        let blocks: Vec<ExampleBlock<'_>> = self
            .examples
            .iter()
            .zip(&splits)
            .map(|(&i, &split)| {
                let e = &pool.examples[i];
                ExampleBlock {
                    task_instr: &e.task_instr,
                    steps: &e.steps,
                    split,
                    vis_objs: &e.vis_objs,
                }
            })
            .collect();
        let prompt = build(
            self.labels,
            &blocks,
            &QueryBlock {
                task_instr: &self.task_instr,
                completed: &self.completed,
                vis_objs: &self.seen,
            },
        );
        let request = ChatRequest::new(vec![Message::user(prompt.clone())])
            .with_temperature(0.0)
            .with_max_tokens(config.max_tokens);
        let initial = self.step_log.is_empty();
        let response = match self.client.chat(&request) {
            Ok(r) => r,
            Err(e) => {
                self.count(&format!("failure.llm_{}", e.cause()));
                self.step_log.push(StepLogEntry {
                    step: obs.step,
                    thought: None,
                    action: None,
                    outcome: "llm_error".into(),
                    cause: Some(e.to_string()),
                    extra: StepLogEntry::fields(json!({ "prompt": prompt })),
                });
                return Err(PlannerError::infrastructure(
                    PLANNER_NAME,
                    format!("LLM call failed: {e}"),
                ));
            }
        };
        let steps = plan_steps(&response.content, self.labels.next_plans);
        if initial && let Some(exact) = self.gold.as_ref().map(|gold| same_plan(&steps, gold)) {
            self.count("high_level_plans");
            if exact {
                self.count("high_level_plans_exact");
            }
        }
        self.step_log.push(StepLogEntry {
            step: obs.step,
            thought: None,
            action: Some(steps.join(", ")),
            outcome: if initial { "plan" } else { "replan" }.into(),
            cause: None,
            extra: StepLogEntry::fields(json!({
                "prompt": prompt,
                "response": response.content,
                "plan": steps,
                "examples": self.examples.iter().map(|&i| &pool.examples[i].task).collect::<Vec<_>>(),
                "gold_plan": self.gold.as_ref().filter(|_| initial)
                    .map(|g| g.iter().map(ToString::to_string).collect::<Vec<_>>()),
                "prompt_tokens": response.usage.prompt_tokens,
                "completion_tokens": response.usage.completion_tokens,
            })),
        });
        self.plan = steps.into();
        Ok(())
    }

    /// A step failed: re-plan, skip it, or (static mode) drop it.
    fn on_failure(
        &mut self,
        pool: &Pool,
        config: &LlmPlannerConfig,
        obs: &HouseholdObservation,
        step: String,
        cause: &'static str,
        message: String,
    ) -> Result<(), PlannerError> {
        self.count(&format!("failure.{cause}"));
        self.log(obs.step, Some(step), "step_failed", Some(message));
        if !config.replan {
            return Ok(());
        }
        if self.retries >= config.max_retries || self.replans >= config.max_replanning {
            self.retries = 0;
            self.count("skipped_steps");
            return Ok(());
        }
        self.retries += 1;
        self.replans += 1;
        self.see(obs);
        self.call(pool, config, obs)
    }

    /// The object the step acts on, or why there is none.
    fn ground(
        &mut self,
        kind: Kind,
        arg: &str,
        obs: &HouseholdObservation,
    ) -> Result<(Primitive, String), (&'static str, String)> {
        let scene = self.executor.scene();
        let name = match kind {
            Kind::Interact(Interaction::Put) => {
                let words: Vec<&str> = arg.split_whitespace().collect();
                match (words.len(), &self.receptacle) {
                    (0 | 1, Some(r)) => type_name(r),
                    (0 | 1, None) => {
                        return Err((
                            "no_receptacle",
                            format!("no receptacle to put into: `{arg}`"),
                        ));
                    }
                    _ => type_name(words[words.len() - 1]),
                }
            }
            _ => type_name(arg),
        };
        let object = choose(scene, obs, kind, &name, &self.executor.history())
            .ok_or_else(|| ("unknown_object", format!("Cannot find {name}")))?;
        Ok((primitive(kind), object.id.clone()))
    }
}

/// Whether a predicted plan is the gold one: the same steps in order, compared as the prompt
/// writes them (objects in lower case), whitespace collapsed.
fn same_plan(predicted: &[String], gold: &[PlanStep]) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    predicted.len() == gold.len()
        && predicted
            .iter()
            .zip(gold)
            .all(|(p, g)| norm(p) == norm(&g.to_string()))
}

impl Planner for LlmPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        let privileged = context.privileged.as_ref().ok_or_else(|| {
            failed(
                "llm-planner grounds steps in the scene's objects: it needs the privileged context",
            )
        })?;
        let scene = Scene::from_privileged(privileged).map_err(failed)?;
        let grid = Grid::from_privileged(privileged).map_err(failed)?;
        let gold = privileged
            .get("expert_subgoals")
            .and_then(|g| serde_json::from_value::<Vec<Subgoal>>(g.clone()).ok())
            .map(|subgoals| {
                let types: Vec<&str> = scene
                    .objects()
                    .iter()
                    .map(|o| o.object_type.as_str())
                    .collect();
                gold_steps(&subgoals, &types)
            });
        // The goal: the instruction's first line (the household task appends the
        // step-by-step instructions below it, which LLM-Planner's prompt leaves out).
        let task_instr = context
            .instruction
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        let embedding;
        let query = match &self.pool.embedding_model {
            Some(model) => {
                embedding = self
                    .client
                    .embed(model, std::slice::from_ref(&task_instr))
                    .map_err(|e| {
                        PlannerError::infrastructure(
                            PLANNER_NAME,
                            format!("embedding the goal: {e}"),
                        )
                    })?
                    .pop()
                    .unwrap_or_default();
                Query::Embedding(&embedding)
            }
            None => Query::Text(&task_instr),
        };
        let examples = self.pool.retriever.nearest(query, self.config.k);
        let meter = UsageMeter::default();
        self.state = Some(EpisodeState {
            client: self.client.metered(meter.clone()),
            meter,
            labels: labels_for(context.language.as_deref()),
            task_instr,
            examples,
            rng: ChaCha8Rng::seed_from_u64(context.seed),
            executor: PrimitiveExecutor::new(grid, scene),
            gold,
            plan: VecDeque::new(),
            current: None,
            completed: Vec::new(),
            seen: Vec::new(),
            started: false,
            retries: 0,
            replans: 0,
            receptacle: None,
            step_log: Vec::new(),
            counters: BTreeMap::new(),
        });
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let obs = household_observation(PLANNER_NAME, observation)?;
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| failed("act before reset"))?;
        let (pool, config) = (&*self.pool, &self.config);
        state.executor.observe(obs);
        if !state.started {
            state.started = true;
            state.see(obs);
            state.call(pool, config, obs)?;
        }
        loop {
            if let Some(step) = state.current.take() {
                match state.executor.poll(obs) {
                    Progress::Act(action) => {
                        state.current = Some(step);
                        return Ok(action);
                    }
                    Progress::Done(Ok(())) => {
                        state.log(obs.step, Some(step.clone()), "step_done", None);
                        state.completed.push(step);
                        state.retries = 0;
                    }
                    Progress::Done(Err(f)) => {
                        state.on_failure(pool, config, obs, step, f.cause, f.message)?;
                    }
                }
            }
            let Some(step) = state.plan.pop_front() else {
                state.log(obs.step, None, "finish", None);
                return Ok(Action::Stop);
            };
            let command = interpret(&step);
            if !matches!(
                command.as_ref().map(|c| c.kind),
                Some(Kind::Interact(Interaction::Put | Interaction::Open))
            ) {
                state.receptacle = None;
            }
            let Some(command) = command else {
                state.count("failure.unsupported_step");
                state.log(
                    obs.step,
                    Some(step.clone()),
                    "step_skipped",
                    Some("instruction not supported".into()),
                );
                state
                    .completed
                    .push(format!("{step} [SKIPPED - UNSUPPORTED]"));
                state.retries = 0;
                continue;
            };
            if command.kind == Kind::Navigation {
                state.receptacle = Some(command.arg.clone());
            }
            match state.ground(command.kind, &command.arg, obs) {
                Ok((primitive, id)) => {
                    state.executor.start(primitive, &id, obs);
                    state.current = Some(step);
                }
                Err((cause, message)) => {
                    state.on_failure(pool, config, obs, step, cause, message)?
                }
            }
        }
    }

    /// Token counts, plan accuracy and failures by cause; whether calls came from the cache
    /// is left out, so a replayed run writes the same files as the run it replays.
    fn finish_episode(&mut self) -> EpisodeReport {
        let Some(mut state) = self.state.take() else {
            return EpisodeReport::default();
        };
        let usage = state.meter.usage();
        for (name, n) in usage
            .counters()
            .into_iter()
            .chain([("replans", u64::from(state.replans))])
        {
            state.counters.insert(name.to_string(), n);
        }
        if state.gold.is_some() {
            state
                .counters
                .entry("high_level_plans_exact".into())
                .or_insert(0);
        }
        EpisodeReport {
            step_log: state.step_log,
            counters: state.counters,
            cost_usd: usage.cost_usd,
        }
    }
}
