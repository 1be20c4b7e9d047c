//! What a planner receives each step.

use crate::ids::{ScanId, ViewpointId};
use glam::Vec3;
use serde::{Deserialize, Serialize};

/// An observation for any task. New tasks add variants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "task")]
#[non_exhaustive]
pub enum Observation {
    /// Discrete (graph) vision-and-language navigation.
    DiscreteNav(DiscreteNavObservation),
    /// Continuous vision-and-language navigation (VLN-CE).
    ContinuousNav(ContinuousNavObservation),
    /// Household instruction following (ALFRED).
    Household(crate::HouseholdObservation),
    /// Sequential grounding in 3D scenes (SG3D).
    Grounding(crate::GroundingObservation),
    /// The voxel world (STEVE-1's prompts, Crafter).
    Voxel(Box<crate::VoxelObservation>),
}

impl Observation {
    /// The observation kind, as planners declare what they support and the JSON-lines
    /// protocol tags observations: `discrete_nav`, `continuous_nav`, `household`, `grounding`, `voxel`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::DiscreteNav(_) => DiscreteNavObservation::KIND,
            Self::ContinuousNav(_) => ContinuousNavObservation::KIND,
            Self::Household(_) => crate::HouseholdObservation::KIND,
            Self::Grounding(_) => crate::GroundingObservation::KIND,
            Self::Voxel(_) => crate::VoxelObservation::KIND,
        }
    }

    /// Removes privileged information (the teacher's next step), which only planners that
    /// declare they need it may see.
    pub fn strip_privileged(&mut self) {
        match self {
            Self::DiscreteNav(o) => o.teacher = None,
            Self::ContinuousNav(o) => o.teacher = None,
            Self::Household(o) => o.teacher = None,
            Self::Grounding(o) => {
                o.teacher = None;
                if let Some(agent) = &mut o.agent {
                    agent.teacher = None;
                }
            }
            Self::Voxel(o) => o.privileged = None,
        }
    }

    /// Attaches sensor readings.
    pub fn set_sensors(&mut self, readings: crate::SensorReadings) {
        match self {
            Self::DiscreteNav(o) => o.sensors = Some(readings),
            Self::ContinuousNav(o) => o.sensors = Some(readings),
            Self::Household(o) => o.sensors = Some(readings),
            Self::Voxel(o) => o.sensors = Some(readings),
            Self::Grounding(o) => o.sensors = Some(readings),
        }
    }

    /// Whether it carries privileged information.
    pub fn has_privileged(&self) -> bool {
        match self {
            Self::DiscreteNav(o) => o.teacher.is_some(),
            Self::ContinuousNav(o) => o.teacher.is_some(),
            Self::Household(o) => o.teacher.is_some(),
            Self::Grounding(o) => {
                o.teacher.is_some() || o.agent.as_ref().is_some_and(|a| a.teacher.is_some())
            }
            Self::Voxel(o) => o.privileged.is_some(),
        }
    }
}

/// The state of the continuous navigation environment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContinuousNavObservation {
    /// The scene.
    pub scene: String,
    /// The agent's base position on the floor (world, metres, z up).
    pub position_m: Vec3,
    /// Heading in `[0, 2π)` radians, clockwise from `+y`.
    pub heading_rad: f32,
    /// Camera elevation in radians.
    pub elevation_rad: f32,
    /// Steps taken so far.
    pub step: u32,
    /// Collisions so far.
    pub collisions: u32,
    /// What the sensors saw, when the planner asked for readings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensors: Option<crate::SensorReadings>,
    /// The action a shortest-path follower would take. Privileged: present only for planners
    /// that declare they need it (oracles, training).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teacher: Option<crate::Action>,
}

impl ContinuousNavObservation {
    /// The kind name of these observations.
    pub const KIND: &'static str = "continuous_nav";
}

/// The state of the discrete navigation environment, as MatterSim reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiscreteNavObservation {
    /// The scan.
    pub scan: ScanId,
    /// The current viewpoint.
    pub viewpoint: ViewpointId,
    /// Heading in `[0, 2π)` radians, clockwise from `+y`.
    pub heading_rad: f64,
    /// Elevation in radians, up from horizontal.
    pub elevation_rad: f64,
    /// Steps taken so far.
    pub step: u32,
    /// Every adjacent viewpoint, sorted by angular distance from the view centre
    /// (MatterSim's `navigableLocations` order); `in_view` marks those MatterSim would list.
    pub navigable: Vec<Candidate>,
    /// What the sensors saw, when the planner asked for readings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensors: Option<crate::SensorReadings>,
    /// The next viewpoint on a shortest path to the goal (R2R's `teacher`), `None` at the goal.
    /// Privileged: present only for planners that declare they need it (oracles, training).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teacher: Option<ViewpointId>,
}

impl DiscreteNavObservation {
    /// The kind name of these observations.
    pub const KIND: &'static str = "discrete_nav";
}

/// One navigable adjacent viewpoint, relative to the agent's current view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The adjacent viewpoint.
    pub viewpoint: ViewpointId,
    /// Heading relative to the agent's heading, in `(-π, π]`; positive is to the right.
    pub rel_heading_rad: f64,
    /// Elevation relative to the agent's elevation.
    pub rel_elevation_rad: f64,
    /// Straight-line distance in metres.
    pub dist_m: f64,
    /// Whether it lies within the camera's horizontal field of view.
    pub in_view: bool,
}
