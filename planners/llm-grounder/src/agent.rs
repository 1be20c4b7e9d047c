//! The planner: one LLM call per step ([`crate::prompt`]), its answer read by
//! [`crate::parse`]. An answer naming no candidate is counted by its cause
//! (`failure.no_id`, `failure.invented_id`) and the step is answered by the fallback:
//! `label-match`'s choice ([`LabelMatchPlanner::choose`]).

use crate::parse::parse_answer;
use crate::prompt::{MAP_NOTES, PromptLanguage, render_prompt};
use base64::Engine;
use serde_json::json;
use std::collections::BTreeMap;
use waymark_core::{Action, GroundingObservation, Observation};
use waymark_llm::{BlockingLlmClient, ChatRequest, ChatResponse, ContentPart, Message, UsageMeter};
use waymark_planner::baselines::LabelMatchPlanner;
use waymark_planner::{EpisodeContext, EpisodeReport, Planner, PlannerError, StepLogEntry};

/// The planner's name in the registry.
pub const PLANNER_NAME: &str = "llm-grounder";

/// The episode in progress.
struct EpisodeState {
    language: PromptLanguage,
    meter: UsageMeter,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
}

/// Sequential grounding by an OpenAI-compatible model, one call per step.
pub struct LlmGrounder {
    client: BlockingLlmClient,
    state: Option<EpisodeState>,
}

impl LlmGrounder {
    /// A planner asking `client`'s model.
    pub fn new(client: BlockingLlmClient) -> Self {
        Self {
            client,
            state: None,
        }
    }
}

fn failed(message: impl Into<String>) -> PlannerError {
    PlannerError::failed(PLANNER_NAME, message)
}

impl Planner for LlmGrounder {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        self.state = None;
        if context.observation_kind != GroundingObservation::KIND {
            return Err(PlannerError::UnsupportedObservation {
                planner: PLANNER_NAME.into(),
                kind: context.observation_kind.clone(),
            });
        }
        self.state = Some(EpisodeState {
            language: PromptLanguage::for_tag(context.language.as_deref()),
            meter: UsageMeter::new(),
            step_log: Vec::new(),
            counters: BTreeMap::new(),
        });
        Ok(())
    }

    /// A scene without candidates is answered by `Stop` without a call.
    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| failed("act called before reset"))?;
        let Observation::Grounding(obs) = observation else {
            return Err(PlannerError::UnsupportedObservation {
                planner: PLANNER_NAME.into(),
                kind: observation.kind().into(),
            });
        };
        if obs.objects.is_empty() {
            return Ok(Action::Stop);
        }
        let prompt = render_prompt(state.language, obs);
        let message = match obs.sensors.as_ref().and_then(|s| s.birds_eye.as_ref()) {
            None => Message::user(prompt.clone()),
            Some(map) => {
                let png = base64::engine::general_purpose::STANDARD
                    .decode(&map.png_base64)
                    .map_err(|e| failed(format!("the bird's-eye map is not base64: {e}")))?;
                Message::user_parts(vec![
                    ContentPart::Text(state.language.pick(MAP_NOTES).trim().to_string()),
                    ContentPart::PngImage(png),
                    ContentPart::Text(prompt.clone()),
                ])
            }
        };
        let request = ChatRequest::new(vec![message]);
        let response = self
            .client
            .metered(state.meter.clone())
            .chat(&request)
            .map_err(|e| {
                *state
                    .counters
                    .entry(format!("failure.llm_{}", e.cause()))
                    .or_insert(0) += 1;
                PlannerError::infrastructure(PLANNER_NAME, format!("LLM call failed: {e}"))
            })?;
        let parsed = parse_answer(&response.content, |id| obs.object(id).is_some());
        let (object_id, outcome, cause) = match parsed {
            Ok(id) => (id, "ground", None),
            Err(failure) => {
                *state
                    .counters
                    .entry(format!("failure.{}", failure.cause()))
                    .or_insert(0) += 1;
                let id = fallback(obs).ok_or_else(|| failed("no candidate to fall back on"))?;
                (id, "fallback", Some(failure.to_string()))
            }
        };
        state.step_log.push(StepLogEntry {
            step: obs.step,
            thought: Some(reasoning(&response).unwrap_or_else(|| format!("object {object_id}"))),
            action: Some(format!("ground {object_id}")),
            outcome: outcome.into(),
            cause,
            extra: StepLogEntry::fields(json!({
                "prompt": prompt,
                "response": response.content,
            })),
        });
        Ok(Action::Ground { object_id })
    }

    /// Token counts, calls and failures by cause.
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

/// The fallback answer: `label-match`'s choice (the candidate the step names, by label,
/// relation, colour and nearness to the previous answer); `None` without candidates.
pub fn fallback(obs: &GroundingObservation) -> Option<u32> {
    LabelMatchPlanner::choose(obs)
}

/// The reasoning a model sent beside its answer (`reasoning_content` or `reasoning` of the
/// message), when it sent any.
fn reasoning(response: &ChatResponse) -> Option<String> {
    let body: serde_json::Value = serde_json::from_str(&response.raw).ok()?;
    let message = body.get("choices")?.get(0)?.get("message")?;
    ["reasoning_content", "reasoning"]
        .iter()
        .find_map(|key| message.get(*key)?.as_str())
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::Vec3;
    use waymark_core::GroundingObject;

    fn observation(step: &str) -> GroundingObservation {
        let object = |id: u32, label: &str| GroundingObject {
            id,
            label: label.into(),
            centre_m: Vec3::ZERO,
            min_m: Vec3::ZERO,
            max_m: Vec3::ONE,
            colour_rgb: [0; 3],
            relations: Vec::new(),
        };
        GroundingObservation {
            scene: "s".into(),
            task_description: "t".into(),
            steps: vec![step.into()],
            step: 0,
            answers: Vec::new(),
            objects: vec![
                object(3, "table"),
                object(5, "coffee table"),
                object(8, "tv"),
            ],
            teacher: None,
            sensors: None,
            agent: None,
        }
    }

    #[test]
    fn the_fallback_is_label_match_s_choice() {
        assert_eq!(fallback(&observation("Turn on the TV.")), Some(8));
        // The longer label at the same place wins.
        assert_eq!(
            fallback(&observation("Put it on the coffee table.")),
            Some(5)
        );
        // Plurals name their singular label.
        assert_eq!(fallback(&observation("Dust the coffee tables.")), Some(5));
        // A step that names nothing, on the first step: the description, then the smallest id.
        assert_eq!(fallback(&observation("Look around.")), Some(3));
        let mut empty = observation("Go.");
        empty.objects.clear();
        assert_eq!(fallback(&empty), None);
    }
}
