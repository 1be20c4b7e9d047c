//! LLM-Planner (Song et al., ICCV 2023; OSU-NLP-Group/LLM-Planner) on waymark's households:
//! a few-shot high-level planner whose in-context examples are retrieved by similarity of
//! goals, which re-plans with the objects it has seen when a step fails.
//!
//! - [`prompt`]: the released prompt, character for character (golden-tested), with Arabic
//!   labels for Arabic episodes.
//! - [`pool`] and [`retrieve`]: the example pool (any ALFRED `json_2.1.0` folder) and the kNN
//!   over its goals, by an embedding model or BM25.
//! - [`parse`] and [`ground`]: the released agent's reading of answers and its choice of
//!   objects.
//! - the agent loop ([`LlmPlanner`]) and its wiring ([`setup`]); [`GoldModel`], a scripted
//!   model answering with the gold plan, for end-to-end checks and benchmarks.
//!
//! Documented differences from the released code: split points come from the episode's
//! seeded generator (the original draws from Python's unseeded global one, so its prompts
//! cannot be reproduced); the model is called through the chat API with one user message (the
//! paper's text-davinci models are retired) at temperature 0 with at most 200 tokens, and the
//! original's +0.1 logit bias on visible object names is not sent (chat servers do not share
//! GPT-2's token ids); the goal loses trailing spaces (episodes hold it trimmed).

mod agent;
mod gold_model;
pub mod ground;
pub mod parse;
pub mod plan;
pub mod pool;
pub mod prompt;
pub mod retrieve;
pub mod setup;

pub use agent::LlmPlanner;
pub use gold_model::GoldModel;
pub use pool::{Example, PoolError};
pub use retrieve::{Bm25, Query, Retriever};

/// The registry name.
pub const PLANNER_NAME: &str = "llm-planner";

/// LLM-Planner's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct LlmPlannerConfig {
    /// In-context examples per prompt (9).
    pub k: usize,
    /// The answer's token limit (200).
    pub max_tokens: u32,
    /// Re-plan when a step fails (the paper's dynamic grounded re-planning); off reproduces
    /// the released agent's static mode.
    pub replan: bool,
    /// Failures in a row that re-plan before a step is skipped (1).
    pub max_retries: u32,
    /// Re-plans per episode (5).
    pub max_replanning: u32,
}

impl Default for LlmPlannerConfig {
    fn default() -> Self {
        Self {
            k: 9,
            max_tokens: 200,
            replan: true,
            max_retries: 1,
            max_replanning: 5,
        }
    }
}

/// The example pool and how it is searched.
#[derive(Clone, Debug)]
pub struct Pool {
    /// The examples, in pool order.
    pub examples: Vec<Example>,
    /// The kNN over their goals.
    pub retriever: Retriever,
    /// The embedding model queries are embedded with (none for BM25).
    pub embedding_model: Option<String>,
}
