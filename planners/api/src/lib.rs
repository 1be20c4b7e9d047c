//! The planner interface.
//!
//! A planner is reset with the episode (instruction, language, a per-episode seed) and then
//! receives one [`Observation`] per step and answers one [`Action`]. Planners are created by
//! name from a [`PlannerRegistry`]; the baselines `stop`, `random` and `shortest` are built in.
//!
//! A new planner crate depends on this crate alone (and on `waymark-llm` if it calls a model).

pub mod baselines;
pub mod registry;

pub use registry::{PlannerFactory, PlannerRegistry};
use std::collections::BTreeMap;
pub use waymark_core::{Action, EpisodeRef, Observation};

/// What a planner learns at the start of an episode.
#[derive(Clone, Copy, Debug)]
pub struct EpisodeContext<'a> {
    /// The episode: instruction, language, scene, start.
    pub episode: EpisodeRef<'a>,
    /// A seed derived from the run's seed and the instruction id, so any randomness is the same
    /// whatever the worker count or order.
    pub seed: u64,
}

/// A planner: one instance drives one episode at a time.
pub trait Planner: Send {
    /// Starts a new episode.
    fn reset(&mut self, context: EpisodeContext<'_>) -> Result<(), PlannerError>;

    /// Chooses the next action.
    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError>;

    /// Called once when the episode has ended: what the planner has to report about it.
    /// Planners with nothing to report keep the default (an empty report).
    fn finish_episode(&mut self) -> EpisodeReport {
        EpisodeReport::default()
    }
}

/// What a planner reports about the episode it drove, beside the environment's metrics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EpisodeReport {
    /// One JSON object per entry describing one decision (for an LLM planner: the prompt, the
    /// response and how it was read); the run writes them to `steps/<instr_id>.jsonl`.
    pub step_log: Vec<String>,
    /// Named counts summed over the run: token usage (`llm_calls`, `prompt_tokens`, …) and
    /// failures by cause (`failure.<cause>`).
    pub counters: BTreeMap<String, u64>,
    /// Estimated cost in USD, where prices are known.
    pub cost_usd: Option<f64>,
}

/// A planner failure. The run records it against the episode and goes on.
#[derive(Debug, thiserror::Error)]
pub enum PlannerError {
    /// No planner of that name is registered.
    #[error("unknown planner `{name}`; available: {available}")]
    UnknownPlanner {
        /// The requested name.
        name: String,
        /// The registered names, comma separated.
        available: String,
    },
    /// The planner cannot handle this kind of observation.
    #[error("planner `{planner}` does not support {task} observations")]
    UnsupportedObservation {
        /// The planner.
        planner: &'static str,
        /// The observation's task.
        task: &'static str,
    },
    /// The planner failed for a reason of its own.
    #[error("planner `{planner}` failed: {message}")]
    Failed {
        /// The planner.
        planner: String,
        /// What went wrong.
        message: String,
    },
}
