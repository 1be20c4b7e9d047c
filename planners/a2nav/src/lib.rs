//! A²Nav (Chen et al. 2023, "Action-Aware Zero-Shot Robot Navigation by Exploiting
//! Vision-and-Language Ability of Foundation Models"; no code was released): its instruction
//! parser, navigators and planner on graphs. An LLM decomposes an instruction into an ordered list of action-specific sub-tasks,
//! each one of five actions (GoTo, GoPast, GoInto, GoThrough, Exit) with its landmark
//! ([`prompt`], one file per language; [`parse`]); an action phrase outside the five is mapped
//! to the closest one ([`actions`]: by embedding similarity when an embedding model is given,
//! as the paper does with a sentence encoder, else by a documented lexical rule).
//!
//! [`navigators`] carry the sub-tasks out on navigation graphs, from what an observation source
//! describes (NavGPT's R2R files or the environment's sensors), and in continuous scenes
//! (VLN-CE) in strides over the sensor readings ([`continuous`]); [`agent`] is the planner
//! (`a2nav`), [`setup`] its wiring.

pub mod actions;
pub mod agent;
pub mod continuous;
pub mod navigators;
pub mod parse;
pub mod prompt;
pub mod setup;

pub use actions::{ActionKind, ActionMapper, Mapped, MappedBy};
pub use agent::{A2NavPlanner, PLANNER_NAME};
pub use parse::{ParseFailure, RawSubTask, parse_subtasks};
pub use prompt::{PromptLanguage, render_prompt};
