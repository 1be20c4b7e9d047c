//! The NavGPT agent loop as a waymark [`Planner`]: prompt, call, parse, act, as NavGPT's
//! LangChain executor does it, one LLM call per iteration.
//!
//! Differences from NavGPT, on purpose:
//! - A viewpoint of the scan that is not adjacent is reached as NavGPT reaches it: NavGPT's
//!   simulator moves the agent there without turning and records the breadth-first path on
//!   NavGPT's own graph (the viewpoints it has stood at, their navigable ones, and the
//!   target's); waymark walks that path, one adjacent move per environment step, so the
//!   submission stays valid for the official scorer. NavGPT fails (`None[1:]`) when that graph
//!   joins no path to the target; waymark then answers with NavGPT's invalid-id text and the
//!   agent stays (counted as `failure.unreachable_viewpoint`). NavGPT keeps that graph for the
//!   whole process, across episodes; waymark starts it afresh each episode, so results do not
//!   depend on the episodes' order or the worker count. The far move needs the target's
//!   navigable viewpoints, which NavGPT's files give; with the sensors as the source (which
//!   know only where the agent stands), and with [`NavGptConfig::adjacent_only`] (opt-in,
//!   `--navgpt-adjacent-only`), a non-adjacent id gets NavGPT's invalid-id answer instead.
//! - NavGPT's bucketing never shows candidates at an absolute heading of 337.5° or more; that is
//!   kept by default. [`NavGptConfig::show_all_candidates`] (opt-in,
//!   `--navgpt-show-all-candidates`) shows them under the direction they lie in.
//! - A move turns the agent to face the chosen viewpoint (a `Turn` then a `MoveTo`), so the
//!   environment's heading is the one NavGPT's simulator sets: the candidate's heading. Each move
//!   is two environment steps, so the step limit must be at least `2 · max_iterations + 1`.
//! - Instructions tagged Arabic (`ar`, `ar-SA` …) get waymark's Arabic translation of the
//!   GPT-3.5 prompt (whatever the model), and `الإجابة النهائية:` ends them as `Final Answer:`
//!   does; every other language gets NavGPT's English prompts and parser.
//! - The sampling temperature is the client's (NavGPT's default, 0, unless configured).

use crate::known_graph::KnownGraph;
use crate::parser::{Parsed, TOOL_NAME, invalid_tool_observation, parse_in};
use crate::prompt::{
    PromptLanguage, PromptVariant, STOP_SEQUENCES, render_prompt, truncate_scratchpad,
};
use crate::sectors::{
    ViewpointText, history_invalid, history_move, history_start, init_observation,
    invalid_viewpoint_observation, move_observation, sectors_text, turn_description,
};
use crate::source::ObservationSource;
use serde_json::json;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use waymark_core::observation::DiscreteNavObservation;
use waymark_core::{Action, Observation, ViewpointId};
use waymark_llm::{BlockingLlmClient, ChatRequest, Message, UsageMeter};
use waymark_planner::{EpisodeContext, EpisodeReport, Planner, PlannerError, StepLogEntry};

/// The planner's name in the registry and in errors.
pub const PLANNER_NAME: &str = "navgpt";

/// NavGPT's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct NavGptConfig {
    /// LLM calls per episode before the agent is stopped where it stands (NavGPT: 10).
    pub max_iterations: u32,
    /// Which system prompt: NavGPT uses its GPT-4 prompt only for the model named `gpt-4`.
    pub variant: PromptVariant,
    /// Show candidates at headings of 337.5° and more (waymark's opt-in fix; `false`, the
    /// default, is NavGPT's behaviour).
    pub show_all_candidates: bool,
    /// Refuse viewpoints that are not adjacent, as invalid (waymark's opt-in strictness;
    /// `false`, the default, moves there as NavGPT does).
    pub adjacent_only: bool,
}

impl NavGptConfig {
    /// NavGPT's defaults for `model`: 10 iterations, the prompt NavGPT picks for that name,
    /// NavGPT's bucketing.
    pub fn for_model(model: &str) -> Self {
        Self {
            max_iterations: 10,
            variant: PromptVariant::for_model(model),
            show_all_candidates: false,
            adjacent_only: false,
        }
    }
}

/// One intermediate step, as LangChain keeps it: the tool, the log that enters the
/// scratchpad, and the observation the tool returned.
struct IntermediateStep {
    tool: String,
    log: String,
    observation: String,
}

/// A move decided but not yet seen through: what the tool's observation needs once the agent
/// stands at the new viewpoint.
struct Arrival {
    viewpoint: String,
    turn: String,
    heading_rad: f64,
    completion: String,
}

/// The state of the episode in progress.
struct EpisodeState {
    arriving: Option<Arrival>,
    /// Viewpoint ids the episode has shown (visited or listed as navigable), which tell an
    /// invented id from a real one when the source cannot.
    seen: std::collections::HashSet<String>,
    /// NavGPT's graph of what it has stood at and been shown, for far moves.
    known: KnownGraph,
    scan: String,
    instruction: String,
    language: PromptLanguage,
    /// Where NavGPT believes the agent stands and faces (its simulator's state).
    viewpoint: String,
    heading_rad: f64,
    history: Vec<String>,
    steps: Vec<IntermediateStep>,
    iterations: u32,
    /// Actions decided but not yet handed to the environment (the `MoveTo` after a `Turn`).
    pending: VecDeque<Action>,
    done: bool,
    meter: UsageMeter,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
}

/// NavGPT over any OpenAI-compatible model and any [`ObservationSource`].
pub struct NavGptPlanner {
    client: BlockingLlmClient,
    source: Arc<dyn ObservationSource>,
    config: NavGptConfig,
    state: Option<EpisodeState>,
}

impl NavGptPlanner {
    /// A planner calling `client` (its configuration names the model), describing viewpoints
    /// from `source`.
    pub fn new(
        client: BlockingLlmClient,
        source: Arc<dyn ObservationSource>,
        config: NavGptConfig,
    ) -> Self {
        Self {
            client,
            source,
            config,
            state: None,
        }
    }
}

fn failed(message: impl Into<String>) -> PlannerError {
    PlannerError::failed(PLANNER_NAME, message)
}

impl EpisodeState {
    fn count(&mut self, name: &str) {
        *self.counters.entry(name.to_string()).or_insert(0) += 1;
    }

    /// NavGPT's `_construct_scratchpad`: every step's log and observation, where the
    /// observation of every `action_maker` step but the last is replaced by its one-line
    /// history entry.
    fn scratchpad(&self) -> String {
        let mut thoughts = String::new();
        let mut nav_step = 1;
        for (i, step) in self.steps.iter().enumerate() {
            thoughts.push_str(&step.log);
            let observation = if i + 1 == self.steps.len() || step.tool != TOOL_NAME {
                &step.observation
            } else {
                nav_step += 1;
                self.history.get(nav_step - 1).unwrap_or(&step.observation)
            };
            thoughts.push_str("\nObservation: ");
            thoughts.push_str(observation);
            thoughts.push_str("\nThought:");
        }
        thoughts
    }
}

impl Planner for NavGptPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        self.state = None;
        if context.observation_kind != waymark_core::DiscreteNavObservation::KIND {
            return Err(PlannerError::UnsupportedObservation {
                planner: PLANNER_NAME.into(),
                kind: context.observation_kind.clone(),
            });
        }
        self.state = Some(EpisodeState {
            arriving: None,
            seen: Default::default(),
            known: KnownGraph::default(),
            scan: context.scene.clone(),
            instruction: context.instruction.clone(),
            language: PromptLanguage::for_tag(context.language.as_deref()),
            viewpoint: String::new(),
            heading_rad: 0.0,
            history: Vec::new(),
            steps: Vec::new(),
            iterations: 0,
            pending: VecDeque::new(),
            done: false,
            meter: UsageMeter::new(),
            step_log: Vec::new(),
            counters: BTreeMap::new(),
        });
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let Observation::DiscreteNav(obs) = observation else {
            return Err(PlannerError::UnsupportedObservation {
                planner: PLANNER_NAME.into(),
                kind: observation.kind().into(),
            });
        };
        let source = Arc::clone(&self.source);
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| failed("act called before reset"))?;
        if let Some(action) = state.pending.pop_front() {
            return Ok(action);
        }
        if state.done {
            return Ok(Action::Stop);
        }
        if !state.history.is_empty() && obs.viewpoint.as_str() != state.viewpoint {
            return Err(failed(format!(
                "the environment has the agent at {}, NavGPT believes it is at {}",
                obs.viewpoint, state.viewpoint
            )));
        }
        state.seen.insert(obs.viewpoint.to_string());
        state
            .seen
            .extend(obs.navigable.iter().map(|c| c.viewpoint.to_string()));
        if let Some(arrival) = state.arriving.take() {
            let next = describe(source.as_ref(), &state.scan, obs)?;
            state.known.stand_at(
                &arrival.viewpoint,
                next.candidates.iter().map(|c| c.viewpoint.as_str()),
            );
            state.history.push(history_move(
                &arrival.turn,
                &arrival.viewpoint,
                &next.summary,
            ));
            let sectors = sectors_text(arrival.heading_rad, &next, self.config.show_all_candidates);
            let observation = move_observation(&arrival.viewpoint, &sectors);
            if let Some(entry) = state.step_log.last_mut() {
                entry.extra.insert(
                    "observation".into(),
                    serde_json::Value::String(observation.clone()),
                );
            }
            state.steps.push(IntermediateStep {
                tool: TOOL_NAME.to_string(),
                log: arrival.completion,
                observation,
            });
        }
        if state.history.is_empty() {
            state.viewpoint = obs.viewpoint.to_string();
            state.heading_rad = obs.heading_rad;
            let text = describe(source.as_ref(), &state.scan, obs)?;
            state.known.stand_at(
                &state.viewpoint,
                text.candidates.iter().map(|c| c.viewpoint.as_str()),
            );
            state
                .history
                .push(history_start(&state.viewpoint, &text.summary));
        }
        let client = self.client.metered(state.meter.clone());
        while state.iterations < self.config.max_iterations {
            state.iterations += 1;
            let init = if state.steps.is_empty() {
                let current = describe(source.as_ref(), &state.scan, obs)?;
                init_observation(&sectors_text(
                    state.heading_rad,
                    &current,
                    self.config.show_all_candidates,
                ))
            } else {
                state.history[0].clone()
            };
            let scratchpad = state.scratchpad();
            let prompt = render_prompt(
                self.config.variant,
                state.language,
                &state.instruction,
                &init,
                truncate_scratchpad(&scratchpad),
            );
            let request = ChatRequest::new(vec![Message::user(prompt.clone())])
                .with_stop(STOP_SEQUENCES.iter().map(|s| s.to_string()).collect());
            let response = match client.chat(&request) {
                Ok(r) => r,
                Err(e) => {
                    let cause = format!("failure.llm_{}", e.cause());
                    state.count(&cause);
                    state.step_log.push(StepLogEntry {
                        step: obs.step,
                        thought: None,
                        action: None,
                        outcome: "llm_error".into(),
                        cause: Some(e.to_string()),
                        extra: StepLogEntry::fields(json!({
                            "iteration": state.iterations,
                            "viewpoint": state.viewpoint,
                            "prompt": prompt,
                        })),
                    });
                    return Err(PlannerError::infrastructure(
                        PLANNER_NAME,
                        format!("LLM call failed: {e}"),
                    ));
                }
            };
            let (viewpoint, heading_rad, steps_before) = (
                state.viewpoint.clone(),
                state.heading_rad,
                state.steps.len(),
            );
            let outcome = decide(state, obs, source.as_ref(), &response.content, &self.config)?;
            let (thought, action) = crate::parser::thought_and_action(&response.content);
            state.step_log.push(StepLogEntry {
                step: obs.step,
                thought: Some(thought),
                action: (!action.is_empty()).then_some(action),
                outcome: outcome.kind.into(),
                cause: outcome.cause.map(str::to_string),
                extra: StepLogEntry::fields(json!({
                    "iteration": state.iterations,
                    "viewpoint": viewpoint,
                    "heading_deg": crate::sectors::rad2deg(heading_rad),
                    "prompt": prompt,
                    "response": response.content,
                    "prompt_tokens": response.usage.prompt_tokens,
                    "completion_tokens": response.usage.completion_tokens,
                    "observation": state.steps.get(steps_before).map(|s| s.observation.as_str()),
                    "path": (!outcome.path.is_empty()).then_some(&outcome.path),
                })),
            });
            if let Some(action) = outcome.action {
                return Ok(action);
            }
        }
        state.count("iteration_limit");
        state.done = true;
        Ok(Action::Stop)
    }

    /// Token counts and failures by cause; whether calls came from the cache is left out, so a
    /// replayed run writes the same files as the run it replays.
    fn finish_episode(&mut self) -> EpisodeReport {
        let Some(mut state) = self.state.take() else {
            return EpisodeReport::default();
        };
        let usage = state.meter.usage();
        for (name, n) in usage
            .counters()
            .into_iter()
            .chain([("iterations", u64::from(state.iterations))])
        {
            state.counters.insert(name.to_string(), n);
        }
        EpisodeReport {
            step_log: state.step_log,
            counters: state.counters,
            cost_usd: usage.cost_usd,
        }
    }
}

fn describe(
    source: &dyn ObservationSource,
    scan: &str,
    obs: &DiscreteNavObservation,
) -> Result<Arc<ViewpointText>, PlannerError> {
    source
        .viewpoint(scan, obs)
        .map_err(|e| PlannerError::infrastructure(PLANNER_NAME, e.to_string()))
}

/// What one completion led to.
struct Outcome {
    kind: &'static str,
    cause: Option<&'static str>,
    action: Option<Action>,
    /// A far move's path (the viewpoints from where the agent stood to the target).
    path: Vec<String>,
}

impl Outcome {
    fn new(kind: &'static str, cause: Option<&'static str>, action: Option<Action>) -> Self {
        Self {
            kind,
            cause,
            action,
            path: Vec::new(),
        }
    }
}

/// Reads one completion and applies it as NavGPT's executor does: a stop, a move (handed to
/// the environment), or an observation fed back for the next iteration.
fn decide(
    state: &mut EpisodeState,
    obs: &DiscreteNavObservation,
    source: &dyn ObservationSource,
    completion: &str,
    config: &NavGptConfig,
) -> Result<Outcome, PlannerError> {
    let show_all = config.show_all_candidates;
    let feedback = |state: &mut EpisodeState, tool: &str, log: &str, observation: String| {
        state.steps.push(IntermediateStep {
            tool: tool.to_string(),
            log: log.to_string(),
            observation,
        });
    };
    match parse_in(completion, state.language) {
        Parsed::Finish { .. } => {
            state.done = true;
            Ok(Outcome::new("finish", None, Some(Action::Stop)))
        }
        Parsed::Error {
            log,
            observation,
            cause,
        } => {
            state.count(&format!("failure.{cause}"));
            feedback(state, "_Exception", &log, observation);
            Ok(Outcome::new("parse_error", Some(cause), None))
        }
        Parsed::Action { tool, .. } if tool != TOOL_NAME => {
            state.count("failure.invalid_tool");
            let observation = invalid_tool_observation(&tool);
            feedback(state, &tool, completion, observation);
            Ok(Outcome::new("invalid_tool", Some("invalid_tool"), None))
        }
        Parsed::Action { viewpoint, .. } => {
            let current = describe(source, &state.scan, obs)?;
            if viewpoint == state.viewpoint {
                // NavGPT's simulator ignores a move to where the agent stands; the step counts.
                let turn = turn_description(state.heading_rad, state.heading_rad);
                state
                    .history
                    .push(history_move(&turn, &viewpoint, &current.summary));
                let sectors = sectors_text(state.heading_rad, &current, show_all);
                feedback(
                    state,
                    TOOL_NAME,
                    completion,
                    move_observation(&viewpoint, &sectors),
                );
                return Ok(Outcome::new("stay", None, None));
            }
            // Adjacent in the environment's graph and listed by the source (NavGPT's heading).
            let adjacent = obs
                .navigable
                .iter()
                .find(|c| c.viewpoint.as_str() == viewpoint)
                .zip(current.candidates.iter().find(|c| c.viewpoint == viewpoint));
            let Some((candidate, listed)) = adjacent else {
                let far = (!config.adjacent_only)
                    .then(|| far_path(state, source, &viewpoint))
                    .flatten();
                if let Some(path) = far {
                    return Ok(far_move(state, path, completion));
                }
                let known = source
                    .knows(&state.scan, &viewpoint)
                    .unwrap_or_else(|| state.seen.contains(&viewpoint));
                let cause = match (
                    known,
                    config.adjacent_only,
                    source.navigable_of(&state.scan, &viewpoint),
                ) {
                    (false, _, _) => "invented_viewpoint",
                    (true, false, Some(_)) => "unreachable_viewpoint",
                    (true, _, _) => "non_adjacent_viewpoint",
                };
                state.count(&format!("failure.{cause}"));
                state.history.push(history_invalid(&viewpoint));
                let ids: Vec<String> = current
                    .candidates
                    .iter()
                    .map(|c| c.viewpoint.clone())
                    .collect();
                let sectors = sectors_text(state.heading_rad, &current, show_all);
                feedback(
                    state,
                    TOOL_NAME,
                    completion,
                    invalid_viewpoint_observation(&viewpoint, &ids, &sectors),
                );
                return Ok(Outcome::new("invalid_viewpoint", Some(cause), None));
            };
            // NavGPT's simulator faces the candidate's heading from its navigable file. The
            // tool's observation of the new viewpoint is written when the agent stands there
            // (the next observation), before the next prompt is made: the same text NavGPT's
            // simulator gives, from what the environment's sensors see there.
            let new_heading = listed.heading_rad;
            state.arriving = Some(Arrival {
                viewpoint: viewpoint.clone(),
                turn: turn_description(state.heading_rad, new_heading),
                heading_rad: new_heading,
                completion: completion.to_string(),
            });
            state.viewpoint = viewpoint.clone();
            state.heading_rad = new_heading;
            state.pending.push_back(Action::MoveTo {
                viewpoint: ViewpointId::from(viewpoint.as_str()),
            });
            Ok(Outcome::new(
                "move",
                None,
                Some(Action::Turn {
                    heading_delta_rad: candidate.rel_heading_rad,
                    elevation_delta_rad: 0.0,
                }),
            ))
        }
    }
}

/// NavGPT's path to a viewpoint of the scan the agent is not next to: its simulator stands at
/// the target (learning the target's navigable viewpoints), then records the breadth-first
/// path on its graph. `None` when the source cannot give the target's navigable viewpoints or
/// the graph joins no path (where NavGPT fails).
fn far_path(
    state: &mut EpisodeState,
    source: &dyn ObservationSource,
    target: &str,
) -> Option<Vec<String>> {
    let navigable = source.navigable_of(&state.scan, target)?;
    let mut known = state.known.clone();
    known.stand_at(target, navigable.iter().map(String::as_str));
    let path = known.bfs(&state.viewpoint, target)?;
    state.known = known;
    Some(path)
}

/// Walks `path` (where the agent stands, then each adjacent viewpoint to the target), one move
/// per environment step, without turning, as NavGPT's simulator leaves the heading on a far
/// move; the tool's observation is written on arrival.
fn far_move(state: &mut EpisodeState, path: Vec<String>, completion: &str) -> Outcome {
    state.count("far_moves");
    let target = path.last().cloned().unwrap_or_default();
    state.arriving = Some(Arrival {
        viewpoint: target.clone(),
        turn: turn_description(state.heading_rad, state.heading_rad),
        heading_rad: state.heading_rad,
        completion: completion.to_string(),
    });
    state.viewpoint = target;
    let mut moves = path.iter().skip(1).map(|v| Action::MoveTo {
        viewpoint: ViewpointId::from(v.as_str()),
    });
    let first = moves.next();
    state.pending.extend(moves);
    Outcome {
        path,
        ..Outcome::new("far_move", None, first)
    }
}
