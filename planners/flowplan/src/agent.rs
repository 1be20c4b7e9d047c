//! The FlowPlan agent: the four planning stages at the episode's first observation, each its
//! own LLM call (all logged), then the checked plan run step by step on the household
//! executor, each target localised by its description.
//!
//! 1. Task information retrieval: the classifier's task type and slicing select the task
//!    information and constraints. An answer that names no task type counts
//!    `failure.bad_classification` and falls back to `pick_and_place_simple`, not sliced.
//! 2. Language-level reasoning: numbered steps with targets and descriptions.
//! 3. Symbolic-level planning: the calls. Lines that are not calls count `failure.bad_call`
//!    and are reported to the revision as problems.
//! 4. Logical evaluation: the code rules and the LLM check; with problems, a revision prompt
//!    and a new check, at most [`crate::FlowPlanConfig::max_revisions`] times; then the code
//!    rules' corrections (see [`crate::rules`]).
//!
//! The paper describes no re-planning while the plan runs: a step that fails is counted
//! (`failure.<cause>`) and the next one runs. The agent stops when the plan is done.

use crate::localise::choose;
use crate::parse::{Call, calls, classification, language_steps, verdict};
use crate::prompts::{Templates, render, templates_for};
use crate::rules::{Operable, Step, check, correct};
use crate::task_info::information;
use crate::{FlowPlanConfig, PLANNER_NAME};
use serde_json::json;
use std::collections::{BTreeMap, VecDeque};
use waymark_core::{Action, EpisodeContext, HouseholdObservation, Observation};
use waymark_household::{Grid, PrimitiveExecutor, Progress, Scene, household_observation};
use waymark_llm::{BlockingLlmClient, ChatRequest, Message, UsageMeter};
use waymark_planner::{EpisodeReport, Planner, PlannerError, StepLogEntry};

fn failed(message: impl Into<String>) -> PlannerError {
    PlannerError::failed(PLANNER_NAME, message)
}

/// FlowPlan over any OpenAI-compatible chat model.
pub struct FlowPlanPlanner {
    client: BlockingLlmClient,
    config: FlowPlanConfig,
    state: Option<EpisodeState>,
}

struct EpisodeState {
    client: BlockingLlmClient,
    meter: UsageMeter,
    templates: &'static Templates,
    arabic: bool,
    instruction: String,
    executor: PrimitiveExecutor,
    operable: Operable,
    planned: bool,
    plan: VecDeque<Step>,
    current: Option<Step>,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
}

impl FlowPlanPlanner {
    /// A planner calling `client`.
    pub fn new(client: BlockingLlmClient, config: FlowPlanConfig) -> Self {
        Self {
            client,
            config,
            state: None,
        }
    }
}

impl EpisodeState {
    fn count(&mut self, name: &str) {
        *self.counters.entry(name.to_string()).or_insert(0) += 1;
    }

    /// Adds `n` to a counter (none is made for 0).
    fn add(&mut self, name: &str, n: usize) {
        if n > 0 {
            *self.counters.entry(name.to_string()).or_insert(0) += n as u64;
        }
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

    /// One stage's call, logged with its prompt and answer.
    fn ask(
        &mut self,
        obs: &HouseholdObservation,
        stage: &str,
        prompt: String,
        max_tokens: u32,
    ) -> Result<String, PlannerError> {
        let request = ChatRequest::new(vec![Message::user(prompt.clone())])
            .with_temperature(0.0)
            .with_max_tokens(max_tokens);
        match self.client.chat(&request) {
            Ok(response) => {
                self.step_log.push(StepLogEntry {
                    step: obs.step,
                    thought: None,
                    action: None,
                    outcome: stage.into(),
                    cause: None,
                    extra: StepLogEntry::fields(json!({
                        "prompt": prompt,
                        "response": response.content,
                        "prompt_tokens": response.usage.prompt_tokens,
                        "completion_tokens": response.usage.completion_tokens,
                    })),
                });
                Ok(response.content)
            }
            Err(e) => {
                self.count(&format!("failure.llm_{}", e.cause()));
                self.step_log.push(StepLogEntry {
                    step: obs.step,
                    thought: None,
                    action: None,
                    outcome: "llm_error".into(),
                    cause: Some(e.to_string()),
                    extra: StepLogEntry::fields(json!({ "stage": stage, "prompt": prompt })),
                });
                Err(PlannerError::infrastructure(
                    PLANNER_NAME,
                    format!("LLM call failed ({stage}): {e}"),
                ))
            }
        }
    }

    /// The four stages.
    fn plan(
        &mut self,
        config: &FlowPlanConfig,
        obs: &HouseholdObservation,
    ) -> Result<(), PlannerError> {
        let t = self.templates;
        let instruction = self.instruction.clone();
        // 1. Task information retrieval.
        let answer = self.ask(
            obs,
            "task_information",
            render(t.task_information, &[("instruction", &instruction)]),
            config.max_tokens,
        )?;
        let (task_type, sliced) = classification(&answer).unwrap_or_else(|| {
            self.count("failure.bad_classification");
            ("pick_and_place_simple", false)
        });
        let (info, constraints) = information(task_type, sliced, self.arabic);
        self.log(
            obs.step,
            Some(format!("{task_type}, sliced: {sliced}")),
            "task_type",
            None,
        );
        // 2. Language-level reasoning.
        let language = self.ask(
            obs,
            "language_plan",
            render(
                t.language_plan,
                &[
                    ("task_information", &info),
                    ("constraints", &constraints),
                    ("instruction", &instruction),
                ],
            ),
            config.max_tokens,
        )?;
        let steps = language_steps(&language);
        if steps.is_empty() {
            self.count("failure.no_language_steps");
        }
        // 3. Symbolic-level planning.
        let answer = self.ask(
            obs,
            "symbolic_plan",
            render(
                t.symbolic_plan,
                &[
                    ("instruction", &instruction),
                    ("language_plan", language.trim()),
                ],
            ),
            config.max_tokens,
        )?;
        let (mut plan, mut bad) = calls(&answer);
        // 4. Logical evaluation, with revisions.
        let operable = self.operable.list().join(", ");
        let mut revisions = 0;
        loop {
            self.add("failure.bad_call", bad.len());
            let (_, mut problems) = check(&plan, &self.operable);
            problems.extend(
                bad.iter()
                    .map(|l| format!("`{l}` is not a call of the robot's functions")),
            );
            let written = plan
                .iter()
                .map(Call::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            let answer = self.ask(
                obs,
                "logical_check",
                render(
                    t.logical_check,
                    &[
                        ("operable", &operable),
                        ("instruction", &instruction),
                        ("symbolic_plan", &written),
                    ],
                ),
                config.max_tokens,
            )?;
            if let Some(found) = verdict(&answer) {
                self.count("llm_check_invalid");
                problems.extend(found);
            }
            self.add("rule_problems", problems.len());
            if problems.is_empty() || revisions >= config.max_revisions {
                break;
            }
            revisions += 1;
            self.count("revisions");
            let answer = self.ask(
                obs,
                "revision",
                render(
                    t.revision,
                    &[
                        ("problems", &problems.join("\n")),
                        ("instruction", &instruction),
                        ("symbolic_plan", &written),
                    ],
                ),
                config.max_tokens,
            )?;
            (plan, bad) = calls(&answer);
        }
        let checked = correct(&plan, &self.operable);
        let written: Vec<String> = checked.iter().map(|s| s.call().to_string()).collect();
        self.step_log.push(StepLogEntry {
            step: obs.step,
            thought: None,
            action: Some(written.join("; ")),
            outcome: "plan".into(),
            cause: None,
            extra: StepLogEntry::fields(json!({ "plan": written, "language_steps": steps.len() })),
        });
        self.plan = checked.into();
        Ok(())
    }
}

impl Planner for FlowPlanPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        let privileged = context.privileged.as_ref().ok_or_else(|| {
            failed("flowplan localises targets among the scene's objects: it needs the privileged context")
        })?;
        let scene = Scene::from_privileged(privileged).map_err(failed)?;
        let grid = Grid::from_privileged(privileged).map_err(failed)?;
        let meter = UsageMeter::default();
        let language = context.language.as_deref();
        self.state = Some(EpisodeState {
            client: self.client.metered(meter.clone()),
            meter,
            templates: templates_for(language),
            arabic: waymark_core::context::is_arabic(language),
            // The goal: the instruction's first line (the household task appends the
            // step-by-step instructions, which a zero-shot planner is not given).
            instruction: context
                .instruction
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
            operable: Operable::new(scene.clone()),
            executor: PrimitiveExecutor::new(grid, scene),
            planned: false,
            plan: VecDeque::new(),
            current: None,
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
        state.executor.observe(obs);
        if !state.planned {
            state.planned = true;
            state.plan(&self.config, obs)?;
        }
        loop {
            if let Some(step) = state.current.take() {
                let written = step.call().to_string();
                match state.executor.poll(obs) {
                    Progress::Act(action) => {
                        state.current = Some(step);
                        return Ok(action);
                    }
                    Progress::Done(Ok(())) => {
                        state.log(obs.step, Some(written), "step_done", None);
                    }
                    Progress::Done(Err(f)) => {
                        state.count(&format!("failure.{}", f.cause));
                        state.log(obs.step, Some(written), "step_failed", Some(f.message));
                    }
                }
            }
            let Some(step) = state.plan.pop_front() else {
                state.log(obs.step, None, "finish", None);
                return Ok(Action::Stop);
            };
            let executor = &state.executor;
            let history = executor.history();
            let chosen = choose(
                executor.scene(),
                obs,
                step.primitive,
                &step.target,
                &step.description,
                &history,
            )
            .map(|object| object.id.clone());
            match chosen {
                Some(id) => {
                    state.executor.start(step.primitive, &id, obs);
                    state.current = Some(step);
                }
                None => {
                    state.count("failure.unknown_object");
                    let message = format!("no {} in the scene", step.target);
                    state.log(
                        obs.step,
                        Some(step.call().to_string()),
                        "step_failed",
                        Some(message),
                    );
                }
            }
        }
    }

    /// Token counts, stage problems and failures by cause; whether calls came from the cache
    /// is left out, so a replayed run writes the same files as the run it replays.
    fn finish_episode(&mut self) -> EpisodeReport {
        let Some(mut state) = self.state.take() else {
            return EpisodeReport::default();
        };
        let usage = state.meter.usage();
        for (name, n) in usage.counters() {
            state.counters.insert(name.to_string(), n);
        }
        EpisodeReport {
            step_log: state.step_log,
            counters: state.counters,
            cost_usd: usage.cost_usd,
        }
    }
}
