//! The headless simulation runtime.
//!
//! Navigation graphs with cached shortest paths, the discrete vision-and-language navigation
//! environment with Matterport3DSimulator's semantics, and the official R2R metrics (also
//! without all-pairs tables, for fast submission scoring: [`ScoringGraphs`]). No rendering,
//! windowing or async code lives here.

pub mod discrete_env;
pub mod error;
pub mod graph_store;
pub mod metrics;
pub mod navgraph;
pub mod scoring;

pub use discrete_env::{DiscreteNavConfig, DiscreteNavEnv, StepOutcome};
pub use error::SimError;
pub use graph_store::GraphStore;
pub use metrics::{DEFAULT_SUCCESS_THRESHOLD_M, score_nav_trajectory};
pub use navgraph::{NavGraph, NodeIx};
pub use scoring::{Distances, ScoringGraph, ScoringGraphs};
