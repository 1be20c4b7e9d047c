//! Core types shared by every waymark crate.
//!
//! This crate is the bottom of the dependency graph: it holds plain data (ids, poses, actions,
//! observations, episode specs, trajectories and metric records) and a few pure functions on
//! them. It never does I/O and never depends on a renderer, a window or an async runtime.

pub mod action;
pub mod angles;
pub mod context;
pub mod dijkstra;
pub mod episode;
pub mod grounding;
pub mod household;
pub mod ids;
pub mod label_names;
pub mod memo;
pub mod metrics;
pub mod named_metrics;
pub mod object_ids;
pub mod observation;
pub mod sensors;
pub mod trajectory;
pub mod voxel;

pub use action::{Action, StepOutcome};
pub use context::EpisodeContext;
pub use episode::{ContinuousEpisode, NavEpisode};
pub use grounding::{
    GroundingAgent, GroundingObject, GroundingObservation, InView, Relation, RelationKind,
};
pub use household::{
    ActionResult, HouseholdObservation, Interaction, ObjectState, SeenHouseholdObject,
};
pub use ids::{InstrId, ScanId, ViewpointId};
pub use metrics::{NAV_METRICS, NavMetrics};
pub use named_metrics::{
    Aggregate, MetricDef, MetricMeans, MetricValue, Metrics, Unit, crafter_score,
};
pub use observation::{Candidate, ContinuousNavObservation, DiscreteNavObservation, Observation};
pub use sensors::{SensorReadings, SensorRequest};
pub use trajectory::{PosePoint, TrajectoryPoint};
pub use voxel::{
    BlockInView, CrafterAction, LocalBlocks, MineRlInput, NearbyThing, Steve1Family, Vitals,
    VoxelActionSpace, VoxelObservation, VoxelPrivileged,
};
