//! `llm-grounder`: sequential grounding (SG3D) by a language model. Each step is one call: the
//! prompt ([`prompt`], one file per language) gives the task, every step, the step to answer,
//! the planner's earlier answers and the scene's candidate objects (id, label, box centre and
//! size, colour, relations), and asks for the object's id; [`parse`] takes the answer's first
//! integer that is a candidate id. An answer without one is counted by its cause and
//! answered by a fallback ([`agent`]); [`setup`] is the wiring.

pub mod agent;
pub mod parse;
pub mod prompt;
pub mod setup;

pub use agent::{LlmGrounder, PLANNER_NAME, fallback};
pub use parse::{ParseFailure, parse_answer};
pub use prompt::{PromptLanguage, render_prompt};
