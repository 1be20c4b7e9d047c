//! The `llm-skills` planner: a language model chooses the next skill whenever the current
//! one ends (and at the start), from the task instruction, the observation's text and the
//! skill vocabulary ([`crate::prompt`]); the executor turns the skill into actions from the
//! observation alone (no privileged box: `nearby` offsets and `in_view`).
//!
//! An answer without a valid `SKILL:` line is counted (`failure.unparsed`) and replaced by
//! `explore`. Each skill runs for at most [`DEFAULT_SKILL_ACTIONS`] actions unless the options
//! say otherwise.

use crate::parse::parse_skill;
use crate::prompt::render_prompt;
use crate::skills::{Skill, SkillExecutor, SkillOutcome};
use serde_json::json;
use std::collections::BTreeMap;
use waymark_core::{
    Action, CrafterAction, MineRlInput, Observation, VoxelActionSpace, VoxelObservation,
};
use waymark_llm::{BlockingLlmClient, ChatRequest, Message, UsageMeter};
use waymark_planner::{EpisodeContext, EpisodeReport, Planner, PlannerError, StepLogEntry};

/// The planner's registry name.
pub const LLM_PLANNER_NAME: &str = "llm-skills";
/// Actions one skill may take before the model is asked again.
pub const DEFAULT_SKILL_ACTIONS: u32 = 200;
/// Model calls one `act` may make when skills end at once (then the step is a no-op).
const CALLS_PER_ACT: usize = 2;

struct EpisodeState {
    instruction: String,
    executor: SkillExecutor,
    meter: UsageMeter,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
    last: Option<String>,
}

/// Skills chosen by an OpenAI-compatible model.
pub struct LlmSkills {
    client: BlockingLlmClient,
    max_skill_actions: u32,
    state: Option<EpisodeState>,
}

impl LlmSkills {
    /// A planner asking `client`'s model, each skill capped at `max_skill_actions` actions.
    pub fn new(client: BlockingLlmClient, max_skill_actions: u32) -> Self {
        Self {
            client,
            max_skill_actions: max_skill_actions.max(1),
            state: None,
        }
    }
}

fn noop(space: VoxelActionSpace) -> Action {
    match space {
        VoxelActionSpace::Crafter => Action::Crafter {
            action: CrafterAction::Noop,
        },
        VoxelActionSpace::Minerl => Action::Minerl {
            input: MineRlInput::default(),
        },
    }
}

fn bump(counters: &mut BTreeMap<String, u64>, name: &str) {
    *counters.entry(name.to_string()).or_insert(0) += 1;
}

impl EpisodeState {
    /// Asks the model for the next skill (a parse failure gives `explore`).
    fn ask(
        &mut self,
        client: &BlockingLlmClient,
        obs: &VoxelObservation,
    ) -> Result<Skill, PlannerError> {
        let prompt = render_prompt(&self.instruction, obs, self.last.as_deref());
        let request = ChatRequest::new(vec![Message::user(prompt.clone())]);
        let response = client
            .metered(self.meter.clone())
            .chat(&request)
            .map_err(|e| {
                bump(&mut self.counters, &format!("failure.llm_{}", e.cause()));
                PlannerError::infrastructure(LLM_PLANNER_NAME, format!("LLM call failed: {e}"))
            })?;
        let (skill, outcome, cause) = match parse_skill(&response.content) {
            Ok(skill) => (skill, "skill", None),
            Err(failure) => {
                bump(&mut self.counters, "failure.unparsed");
                (Skill::Explore, "fallback", Some(failure.to_string()))
            }
        };
        bump(&mut self.counters, &format!("skill.{}", skill.name()));
        self.step_log.push(StepLogEntry {
            step: obs.step,
            thought: None,
            action: Some(skill.to_string()),
            outcome: outcome.into(),
            cause,
            extra: StepLogEntry::fields(json!({
                "prompt": prompt,
                "response": response.content,
            })),
        });
        Ok(skill)
    }
}

impl Planner for LlmSkills {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        self.state = None;
        if context.observation_kind != VoxelObservation::KIND {
            return Err(PlannerError::UnsupportedObservation {
                planner: LLM_PLANNER_NAME.into(),
                kind: context.observation_kind.clone(),
            });
        }
        self.state = Some(EpisodeState {
            instruction: context.instruction.clone(),
            executor: SkillExecutor::new(context.seed, self.max_skill_actions),
            meter: UsageMeter::new(),
            step_log: Vec::new(),
            counters: BTreeMap::new(),
            last: None,
        });
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| PlannerError::failed(LLM_PLANNER_NAME, "act called before reset"))?;
        let Observation::Voxel(obs) = observation else {
            return Err(PlannerError::UnsupportedObservation {
                planner: LLM_PLANNER_NAME.into(),
                kind: observation.kind().into(),
            });
        };
        let mut calls = 0;
        loop {
            if state.executor.current().is_none() {
                if calls == CALLS_PER_ACT {
                    return Ok(noop(obs.action_space));
                }
                calls += 1;
                let skill = state.ask(&self.client, obs)?;
                state.executor.start(skill, obs);
            }
            let label = state
                .executor
                .current()
                .map(ToString::to_string)
                .unwrap_or_default();
            match state.executor.step(obs) {
                SkillOutcome::Act(action) => return Ok(action),
                SkillOutcome::Done => {
                    bump(&mut state.counters, "skills.done");
                    state.last = Some(format!("{label}: done"));
                }
                SkillOutcome::Failed(why) => {
                    bump(&mut state.counters, "skills.failed");
                    state.last = Some(format!("{label}: failed ({why})"));
                }
            }
        }
    }

    /// Token counts, calls, skills by name and failures by cause.
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
