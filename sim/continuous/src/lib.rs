//! Continuous navigation on any scene waymark loads.
//!
//! A [`WalkableGrid`] finds where an agent of a given radius, height and step can stand;
//! [`GeodesicField`] gives smoothed geodesic distances and paths to a goal on it; an
//! [`AgentBody`] moves a rapier3d capsule with a kinematic character controller that collides with the
//! scene's obstacles (as boxes on the grid), slides along walls and climbs small steps; [`ContinuousNavEnv`] runs VLN-CE episodes with
//! its actions and metrics. Navigation graphs and episodes can be generated on any scene; [`walks`] adds free space and
//! shortest walks to what the sensors see.

pub mod agent;
pub mod env;
pub mod episode_gen;
pub mod error;
pub mod geodesic;
pub mod instructions;
pub mod metrics;
pub mod navgraph_gen;
pub mod walkable;
pub mod walks;

pub use agent::AgentBody;
pub use env::{ContinuousNavConfig, ContinuousNavEnv, NavScene};
pub use error::{ActionError, NavError};
pub use geodesic::GeodesicField;
pub use walkable::{WalkableConfig, WalkableGrid};
