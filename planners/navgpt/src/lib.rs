//! NavGPT (Zhou et al., 2023) as a waymark planner, faithful to its released prompts, observation
//! text, output parser and history, against any OpenAI-compatible model.
//!
//! [`NavGptPlanner`] runs NavGPT's loop; an [`ObservationSource`] describes viewpoints:
//! [`NavgptData`] reads NavGPT's own precomputed R2R observations, [`SensorSource`] describes
//! waymark's own scenes from the environment's sensor readings (and a vision model on the
//! rendered views, when one is configured).

pub mod agent;
pub mod data;
mod known_graph;
pub mod parser;
pub mod prompt;
pub mod pyrepr;
pub mod sectors;
pub mod sensor_source;
pub mod setup;
pub mod source;

pub use agent::{NavGptConfig, NavGptPlanner, PLANNER_NAME};
pub use data::NavgptData;
pub use sensor_source::SensorSource;
pub use source::{ObservationSource, SourceError};
