//! Actions a planner can return.

use crate::ids::ViewpointId;
use serde::{Deserialize, Serialize};

/// An action. Discrete navigation (MatterSim semantics) uses `MoveTo`, `Turn` and `Stop`;
/// continuous navigation (VLN-CE) uses `MoveForward`, `TurnLeft`, `TurnRight`, `LookUp`,
/// `LookDown` and `Stop`; households (ALFRED) use those five moves (0.25 m, 90°, 15°),
/// `Interact` and `Stop`; sequential grounding (SG3D) uses `Ground` (and `Stop`, which leaves
/// the remaining steps unanswered); the voxel world uses `Crafter` or `Minerl` (its two action
/// spaces) and `Stop`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Action {
    /// Move to an adjacent viewpoint. Heading and elevation are kept, as in MatterSim.
    MoveTo {
        /// The adjacent viewpoint to move to.
        viewpoint: ViewpointId,
    },
    /// Turn in place by the given deltas (positive heading turns right, positive elevation looks up).
    Turn {
        /// Heading change in radians.
        heading_delta_rad: f64,
        /// Elevation change in radians.
        elevation_delta_rad: f64,
    },
    /// Continuous: step forward (VLN-CE: 0.25 m).
    MoveForward,
    /// Continuous: turn left in place (VLN-CE: 15°).
    TurnLeft,
    /// Continuous: turn right in place (VLN-CE: 15°).
    TurnRight,
    /// Continuous: tilt the camera up (VLN-CE: 30°).
    LookUp,
    /// Continuous: tilt the camera down (VLN-CE: 30°).
    LookDown,
    /// Households: interact with one object (for `Put`, the receptacle that receives the
    /// held object).
    Interact {
        /// What to do.
        interaction: crate::Interaction,
        /// The object's id.
        object_id: String,
    },
    /// Grounding: the object the current step names.
    Ground {
        /// The object's id (the benchmark's, as the observation lists it).
        object_id: u32,
    },
    /// Voxel world: one of Crafter's 17 discrete actions.
    Crafter {
        /// The action.
        action: crate::CrafterAction,
    },
    /// Voxel world: one tick of MineRL-style keys and camera.
    Minerl {
        /// The input.
        input: crate::MineRlInput,
    },
    /// End the episode here.
    Stop,
}

/// What a step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// The episode goes on.
    Running,
    /// The planner stopped.
    Stopped,
    /// The step limit was reached.
    StepLimit,
    /// The task's limit on failed actions was reached (ALFRED: 10).
    TooManyFailures,
}
