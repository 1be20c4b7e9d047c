//! FlowPlan (Lin, Tang, Ye, Zhang 2025, arXiv 2503.02698: zero-shot task planning with LLM
//! flow engineering) on waymark's households. No code was released; what the paper's text
//! and figures fix is kept (four stages, each its own LLM call: task information retrieval,
//! language-level reasoning, symbolic-level planning, logical evaluation with code rules and
//! an LLM check; context-aligned target localisation), and every choice the paper leaves open
//! is documented where it is made:
//! - [`prompts`]: one file per stage (English and Arabic), the paper's openings and formats;
//! - [`task_info`]: the task information and constraints per ALFRED task type;
//! - [`parse`]: reading each stage's answer;
//! - [`rules`]: the code rules and their corrections;
//! - [`localise`]: the context-aligned choice of instance;
//! - the agent ([`FlowPlanPlanner`]) and its wiring ([`setup`]).

mod agent;
pub mod localise;
pub mod parse;
pub mod prompts;
pub mod rules;
pub mod setup;
pub mod task_info;

pub use agent::FlowPlanPlanner;

/// The registry name.
pub const PLANNER_NAME: &str = "flowplan";

/// FlowPlan's settings (waymark's choices: the paper gives none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowPlanConfig {
    /// Revisions of the symbolic plan after the logical evaluation finds problems (2).
    pub max_revisions: u32,
    /// Token limit of each stage's answer (512).
    pub max_tokens: u32,
}

impl Default for FlowPlanConfig {
    fn default() -> Self {
        Self {
            max_revisions: 2,
            max_tokens: 512,
        }
    }
}
