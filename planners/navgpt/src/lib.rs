//! NavGPT (Zhou et al., 2023) as a waymark planner, faithful to its released prompts, observation
//! text, output parser and history, against any OpenAI-compatible model.
//!
//! [`NavGptPlanner`] runs NavGPT's loop; an [`ObservationSource`] describes viewpoints:
//! [`NavgptData`] reads NavGPT's own precomputed R2R observations, [`SceneSource`] describes
//! waymark's own scenes from the renderer (and a vision model, when one is configured).

pub mod agent;
pub mod data;
mod memo;
pub mod parser;
pub mod prompt;
pub mod pyrepr;
pub mod scene_source;
pub mod sectors;
pub mod setup;
pub mod source;

pub use agent::{NavGptConfig, NavGptPlanner, PLANNER_NAME};
pub use data::NavgptData;
pub use scene_source::SceneSource;
pub use source::{ObservationSource, SourceError};
