//! Episode specifications: what a planner is asked to do.

use crate::ids::{InstrId, ScanId, ViewpointId};
use glam::Vec3;
use serde::{Deserialize, Serialize};

/// One instruction-level navigation episode (R2R, RxR, REVERIE and generated episodes).
///
/// R2R files hold several instructions per path; each becomes one `NavEpisode`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NavEpisode {
    /// The instruction id, unique within an episode file.
    pub instr_id: InstrId,
    /// The scan the episode takes place in.
    pub scan: ScanId,
    /// The reference path's id in the source file.
    pub path_id: i64,
    /// The reference path, from start to goal.
    pub reference_path: Vec<ViewpointId>,
    /// The agent's heading at the start, in radians (MatterSim convention).
    pub start_heading_rad: f64,
    /// The natural-language instruction.
    pub instruction: String,
    /// The instruction's language tag (`en-US`, `hi-IN`, `ar`, …) when the file gives one.
    pub language: Option<String>,
    /// The path length the source file states, in metres.
    pub distance_m: f64,
    /// REVERIE's target object id, when present.
    pub target_object_id: Option<String>,
}

impl NavEpisode {
    /// The start viewpoint (the first of the reference path).
    pub fn start(&self) -> Option<&ViewpointId> {
        self.reference_path.first()
    }

    /// The goal viewpoint (the last of the reference path).
    pub fn goal(&self) -> Option<&ViewpointId> {
        self.reference_path.last()
    }
}

/// One continuous-navigation episode (VLN-CE): reach a goal position in a scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContinuousEpisode {
    /// The episode id, unique within its file.
    pub episode_id: String,
    /// The scene's name.
    pub scene: String,
    /// Start position on the floor (world, metres, z up).
    pub start_position_m: Vec3,
    /// Start heading in radians (clockwise from `+y`).
    pub start_heading_rad: f32,
    /// Goal position on the floor.
    pub goal_position_m: Vec3,
    /// The reference path, start to goal (floor positions).
    pub reference_path_m: Vec<Vec3>,
    /// The instruction.
    pub instruction: String,
    /// The instruction's language tag.
    pub language: Option<String>,
    /// Geodesic start–goal distance the file states, in metres.
    pub geodesic_distance_m: f32,
}
