//! The A²Nav planner: one LLM call decomposes the instruction into sub-tasks
//! ([`crate::prompt`], [`crate::parse`], [`crate::actions`]); the navigators
//! ([`crate::navigators`]) carry them out one after the other, on graphs from what the
//! observation source describes at each viewpoint, in continuous scenes from the sensor
//! readings, in strides ([`crate::continuous`]); the agent stops after the last. An answer with no plan
//! is counted by its cause (`failure.no_json_list`, `failure.bad_item`, `failure.empty_plan`)
//! and the agent stops where it stands.

use crate::actions::{ActionKind, ActionMapper, MappedBy};
use crate::continuous::{self, SpaceView, Stride, StrideStep};
use crate::navigators::{Decision, Navigator, View};
use crate::parse::parse_subtasks;
use crate::prompt::{PromptLanguage, render_prompt};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use waymark_core::{
    Action, ContinuousNavObservation, DiscreteNavObservation, Observation, ViewpointId,
};
use waymark_llm::{BlockingLlmClient, ChatRequest, Message, UsageMeter};
use waymark_navgpt::ObservationSource;
use waymark_planner::{EpisodeContext, EpisodeReport, Planner, PlannerError, StepLogEntry};

/// The planner's name in the registry.
pub const PLANNER_NAME: &str = "a2nav";

/// One sub-task of the plan.
#[derive(Clone, Debug)]
struct SubTask {
    kind: ActionKind,
    phrase: String,
    landmark: String,
    mapped_by: MappedBy,
}

/// The episode in progress.
struct EpisodeState {
    instruction: String,
    language: PromptLanguage,
    /// Shared, so each step reads it without copying it.
    plan: Option<Arc<[SubTask]>>,
    current: usize,
    navigator: Option<Navigator>,
    visits: HashMap<String, u32>,
    done: bool,
    /// Continuous scenes: the move being walked.
    stride: Option<Stride>,
    meter: UsageMeter,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
}

impl EpisodeState {
    fn count(&mut self, name: &str) {
        self.count_n(name, 1);
    }

    fn count_n(&mut self, name: &str, n: u64) {
        *self.counters.entry(name.to_string()).or_insert(0) += n;
    }
}

/// A²Nav over any OpenAI-compatible model: on graphs through an [`ObservationSource`], in
/// continuous scenes through the sensor readings ([`crate::continuous::sensor_request`]).
pub struct A2NavPlanner {
    client: BlockingLlmClient,
    mapper: Arc<ActionMapper>,
    source: Option<Arc<dyn ObservationSource>>,
    state: Option<EpisodeState>,
}

impl A2NavPlanner {
    /// A planner decomposing with `client`'s model, mapping action phrases with `mapper`,
    /// seeing viewpoints on graphs through `source` (continuous scenes need none).
    pub fn new(
        client: BlockingLlmClient,
        mapper: Arc<ActionMapper>,
        source: Option<Arc<dyn ObservationSource>>,
    ) -> Self {
        Self {
            client,
            mapper,
            source,
            state: None,
        }
    }
}

fn failed(message: impl Into<String>) -> PlannerError {
    PlannerError::failed(PLANNER_NAME, message)
}

impl Planner for A2NavPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        self.state = None;
        let graphs =
            context.observation_kind == DiscreteNavObservation::KIND && self.source.is_some();
        if !graphs && context.observation_kind != ContinuousNavObservation::KIND {
            return Err(PlannerError::UnsupportedObservation {
                planner: PLANNER_NAME.into(),
                kind: context.observation_kind.clone(),
            });
        }
        self.state = Some(EpisodeState {
            instruction: context.instruction.clone(),
            language: PromptLanguage::for_tag(context.language.as_deref()),
            plan: None,
            current: 0,
            navigator: None,
            visits: HashMap::new(),
            done: false,
            stride: None,
            meter: UsageMeter::new(),
            step_log: Vec::new(),
            counters: BTreeMap::new(),
        });
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| failed("act called before reset"))?;
        if state.done {
            return Ok(Action::Stop);
        }
        match observation {
            Observation::DiscreteNav(obs) => {
                let source = self
                    .source
                    .as_deref()
                    .ok_or_else(|| failed("no observation source for graphs was configured"))?;
                *state.visits.entry(obs.viewpoint.to_string()).or_insert(0) += 1;
                let plan = plan(&self.client, &self.mapper, state, obs.step)?;
                let view = view(source, obs)?;
                Ok(
                    match decide(state, &plan, &view, obs.step, obs.viewpoint.as_str()) {
                        Some(to) => Action::MoveTo {
                            viewpoint: ViewpointId::from(to.as_str()),
                        },
                        None => Action::Stop,
                    },
                )
            }
            Observation::ContinuousNav(obs) => {
                let plan = plan(&self.client, &self.mapper, state, obs.step)?;
                loop {
                    if let Some(stride) = state.stride.as_mut() {
                        match stride.next(obs) {
                            StrideStep::Act(action) => return Ok(action),
                            StrideStep::Over { blocked } => {
                                if blocked {
                                    state.count("strides_blocked");
                                }
                                state.stride = None;
                            }
                        }
                    }
                    let SpaceView { view, strides } = continuous::view(obs)
                        .map_err(|message| PlannerError::infrastructure(PLANNER_NAME, message))?;
                    let place = continuous::place(obs.position_m);
                    *state.visits.entry(place.clone()).or_insert(0) += 1;
                    let Some(to) = decide(state, &plan, &view, obs.step, &place) else {
                        return Ok(Action::Stop);
                    };
                    let (heading, steps) = strides
                        .get(&to)
                        .copied()
                        .ok_or_else(|| failed(format!("a navigator chose {to}, no neighbour")))?;
                    state.stride = Some(Stride::new(heading, steps, obs));
                }
            }
            other => Err(PlannerError::UnsupportedObservation {
                planner: PLANNER_NAME.into(),
                kind: other.kind().into(),
            }),
        }
    }

    /// Token counts, sub-tasks done and given up, how action phrases were mapped, failures by
    /// cause.
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

/// The episode's plan: decomposed by the one LLM call on the first step.
fn plan(
    client: &BlockingLlmClient,
    mapper: &ActionMapper,
    state: &mut EpisodeState,
    step: u32,
) -> Result<Arc<[SubTask]>, PlannerError> {
    if let Some(plan) = &state.plan {
        return Ok(plan.clone());
    }
    let plan: Arc<[SubTask]> = decompose(client, mapper, state, step)?.into();
    state.plan = Some(plan.clone());
    Ok(plan)
}

/// Runs the navigators at `place` seeing `view`: the neighbour to move to, or `None` once the
/// plan is done (the agent stops). Each decision goes to the step log.
fn decide(
    state: &mut EpisodeState,
    plan: &[SubTask],
    view: &View,
    step: u32,
    place: &str,
) -> Option<String> {
    while let Some(task) = plan.get(state.current) {
        let navigator = state
            .navigator
            .get_or_insert_with(|| Navigator::new(task.kind, &task.landmark));
        let decision = navigator.step(view, &state.visits);
        let (outcome, why, action) = match decision {
            Decision::Move { to, why } => ("move", why, Some(to)),
            Decision::Done(why) => ("subtask_done", why, None),
            Decision::GaveUp(why) => ("subtask_given_up", why, None),
        };
        state.step_log.push(StepLogEntry {
            step,
            // The window shows the thought: the sub-task and its navigator's reason.
            thought: Some(format!(
                "[{}/{} {} {}] {why}",
                state.current + 1,
                plan.len(),
                task.kind.name(),
                task.landmark
            )),
            action: action.clone(),
            outcome: outcome.into(),
            cause: None,
            extra: StepLogEntry::fields(json!({
                "subtask": state.current,
                "action_type": task.kind.name(),
                "landmark": task.landmark,
                "viewpoint": place,
            })),
        });
        if action.is_some() {
            return action;
        }
        state.count(&format!(
            "subtasks.{}",
            outcome.trim_start_matches("subtask_")
        ));
        state.current += 1;
        state.navigator = None;
    }
    state.done = true;
    None
}

/// The one decomposition call: the plan, with each action phrase mapped. No plan in the
/// answer is counted and gives an empty plan (the agent stops).
fn decompose(
    client: &BlockingLlmClient,
    mapper: &ActionMapper,
    state: &mut EpisodeState,
    step: u32,
) -> Result<Vec<SubTask>, PlannerError> {
    let prompt = render_prompt(state.language, &state.instruction);
    let request = ChatRequest::new(vec![Message::user(prompt.clone())]);
    let response = client
        .metered(state.meter.clone())
        .chat(&request)
        .map_err(|e| {
            state.count(&format!("failure.llm_{}", e.cause()));
            PlannerError::infrastructure(PLANNER_NAME, format!("LLM call failed: {e}"))
        })?;
    let raw = match parse_subtasks(&response.content) {
        Ok(raw) => raw,
        Err(failure) => {
            state.count(&format!("failure.{}", failure.cause()));
            state.step_log.push(StepLogEntry {
                step,
                thought: None,
                action: None,
                outcome: "parse_error".into(),
                cause: Some(failure.to_string()),
                extra: StepLogEntry::fields(
                    json!({"prompt": prompt, "response": response.content}),
                ),
            });
            return Ok(Vec::new());
        }
    };
    let mut plan = Vec::with_capacity(raw.len());
    for task in raw {
        let mapped = mapper.map(&task.action).map_err(|e| {
            PlannerError::infrastructure(
                PLANNER_NAME,
                format!("embedding the action phrase failed: {e}"),
            )
        })?;
        state.count(&format!("actions_mapped.{}", mapped.by.name()));
        plan.push(SubTask {
            kind: mapped.kind,
            phrase: task.action,
            landmark: task.landmark,
            mapped_by: mapped.by,
        });
    }
    state.count_n("subtasks", plan.len() as u64);
    let summary: Vec<String> = plan
        .iter()
        .map(|t| format!("{} {}", t.kind.name(), t.landmark))
        .collect();
    state.step_log.push(StepLogEntry {
        step,
        thought: Some(format!("plan: {}", summary.join(" → "))),
        action: None,
        outcome: "plan".into(),
        cause: None,
        extra: StepLogEntry::fields(json!({
            "prompt": prompt,
            "response": response.content,
            "subtasks": plan
                .iter()
                .map(|t| json!({
                    "action": t.kind.name(),
                    "phrase": t.phrase,
                    "mapped_by": t.mapped_by.name(),
                    "landmark": t.landmark,
                }))
                .collect::<Vec<_>>(),
        })),
    });
    Ok(plan)
}

/// What the navigators see at the observation's viewpoint: its adjacent viewpoints (from the
/// environment, with absolute headings), and the source's objects and texts.
fn view(
    source: &dyn ObservationSource,
    obs: &DiscreteNavObservation,
) -> Result<View, PlannerError> {
    let text = source
        .viewpoint(obs.scan.as_str(), obs)
        .map_err(|e| PlannerError::infrastructure(PLANNER_NAME, e.to_string()))?;
    Ok(View {
        candidates: obs
            .navigable
            .iter()
            .map(|c| {
                (
                    c.viewpoint.to_string(),
                    (obs.heading_rad + c.rel_heading_rad).rem_euclid(std::f64::consts::TAU),
                )
            })
            .collect(),
        objects: text
            .objects
            .iter()
            .flatten()
            .map(|o| (o.label.clone(), o.heading_deg.to_radians(), o.distance_m))
            .collect(),
        directions: text.captions.to_vec(),
        // The environment's sensors also say which room the viewpoint is in and which rooms
        // are seen, when the scene names its rooms.
        here: match obs.sensors.as_ref().and_then(|r| r.region.as_ref()) {
            Some(region) => format!("{region}. {}", text.summary),
            None => text.summary.clone(),
        },
        regions: obs
            .sensors
            .iter()
            .flat_map(|r| r.regions.iter().flatten())
            .map(|r| {
                (
                    r.name.clone(),
                    f64::from(r.heading_deg).to_radians(),
                    f64::from(r.distance_m),
                )
            })
            .collect(),
    })
}
