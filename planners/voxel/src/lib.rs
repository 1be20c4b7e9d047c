//! Voxel-world planners built on skills.
//!
//! - [`grid`]: a walkable model of the privileged block box and a breadth-first search.
//! - [`skills`]: the skills (go to, mine, place, craft, drink, eat a cow, sleep, fight,
//!   explore; for STEVE-1 look up, dig down, swim, dive, open the inventory) and the
//!   executor that turns one into Crafter or MineRL actions.
//! - [`scripted`]: the privileged `scripted` planner (a priority list for Crafter, one skill
//!   per STEVE-1 prompt family); [`register`] adds it to a registry.
//! - [`llm`], [`prompt`], [`parse`], [`setup`]: `llm-skills`, a language model choosing the
//!   next skill from the observation's text.

pub mod grid;
pub mod llm;
pub mod parse;
pub mod prompt;
pub mod scripted;
pub mod setup;
pub mod skills;

pub use llm::{LLM_PLANNER_NAME, LlmSkills};
pub use parse::{ParseFailure, parse_skill};
pub use scripted::{SCRIPTED_PLANNER_NAME, ScriptedPlanner, register, scripted_info};
pub use skills::{Skill, SkillError, SkillExecutor, SkillOutcome};
