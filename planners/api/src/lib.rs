//! The planner interface.
//!
//! A planner declares what it supports ([`PlannerInfo`]: tasks or observation kinds, and
//! whether it needs privileged information), is reset with an [`EpisodeContext`] (the
//! instruction, the scene, a per-episode seed; the reference path only when privileged), then
//! receives one [`Observation`] per step and answers one [`Action`], and at the end hands back
//! an [`EpisodeReport`] (a step log of [`StepLogEntry`] values, counters, cost). Planners are
//! created by name from a [`PlannerRegistry`]; the baselines `stop`, `random` and `shortest`
//! are built in.
//!
//! Every type a planner exchanges is a serde type: the same JSON is what out-of-process
//! planners read and write over the JSON-lines protocol (`planners/protocol/`).
//!
//! A new planner crate depends on this crate alone (and on `waymark-llm` if it calls a model).

pub mod baselines;
mod info;
mod prompt_language;
pub mod registry;
mod report;

pub use info::PlannerInfo;
pub use prompt_language::PromptLanguage;
pub use registry::{PlannerFactory, PlannerRegistry};
pub use report::{EpisodeReport, REPORT_FAILED, StepLogEntry};
pub use waymark_core::{Action, EpisodeContext, Observation, SensorRequest};

/// A planner: one instance drives one episode at a time.
pub trait Planner: Send {
    /// Starts a new episode.
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError>;

    /// Chooses the next action.
    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError>;

    /// Called once when the episode has ended: what the planner has to report about it.
    /// Planners with nothing to report keep the default (an empty report).
    fn finish_episode(&mut self) -> EpisodeReport {
        EpisodeReport::default()
    }
}

/// Why a planner failed an episode; the run counts episodes by this cause
/// (`failure.<cause>`) beside the planner's own counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureCause {
    /// The planner's process died or closed its output.
    Crashed,
    /// The planner did not answer within its time limit.
    Timeout,
    /// The planner answered something that is not a valid action (bad JSON, an unknown
    /// action, an action of another task).
    BadAction,
    /// Something around the planner failed, not the planner's decision: an LLM server that
    /// stays down or rate-limited, a replay-only cache miss, an unreadable data file. The run
    /// records such episodes as not done and retries them when it resumes.
    Infrastructure,
    /// Any other failure of the planner's own.
    Other,
}

impl FailureCause {
    /// The counter this cause is counted under (`failure.planner_crashed`, …), if any.
    pub fn counter(self) -> Option<&'static str> {
        match self {
            Self::Crashed => Some("failure.planner_crashed"),
            Self::Timeout => Some("failure.planner_timeout"),
            Self::BadAction => Some("failure.bad_action"),
            Self::Infrastructure | Self::Other => None,
        }
    }
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
    #[error("planner `{planner}` does not support {kind} observations")]
    UnsupportedObservation {
        /// The planner.
        planner: String,
        /// The observation's kind (`discrete_nav`, …).
        kind: String,
    },
    /// The planner failed.
    #[error("planner `{planner}` failed: {message}")]
    Failed {
        /// The planner.
        planner: String,
        /// Why, as the run counts it.
        cause: FailureCause,
        /// What went wrong.
        message: String,
    },
}

impl PlannerError {
    /// A failure of the planner's own (counted under no cause).
    pub fn failed(planner: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Failed {
            planner: planner.into(),
            cause: FailureCause::Other,
            message: message.into(),
        }
    }

    /// A failure of the planner's infrastructure (see [`FailureCause::Infrastructure`]).
    pub fn infrastructure(planner: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Failed {
            planner: planner.into(),
            cause: FailureCause::Infrastructure,
            message: message.into(),
        }
    }

    /// The cause the run counts this failure under.
    pub fn cause(&self) -> FailureCause {
        match self {
            Self::Failed { cause, .. } => *cause,
            Self::UnsupportedObservation { .. } => FailureCause::BadAction,
            Self::UnknownPlanner { .. } => FailureCause::Other,
        }
    }
}
