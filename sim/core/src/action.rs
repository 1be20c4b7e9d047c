//! Actions a planner can return.

use crate::ids::ViewpointId;
use serde::{Deserialize, Serialize};

/// An action in the discrete navigation environment (MatterSim semantics).
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
    /// End the episode here.
    Stop,
}
