//! Trajectories: graph poses in the official R2R submission layout, continuous poses.

use crate::ids::ViewpointId;
use serde::{Deserialize, Serialize};

/// One recorded pose, serialized as `[viewpoint, heading_rad, elevation_rad]` exactly as the
/// official R2R submission format wants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "(ViewpointId, f64, f64)", into = "(ViewpointId, f64, f64)")]
pub struct TrajectoryPoint {
    /// The viewpoint.
    pub viewpoint: ViewpointId,
    /// Heading in radians.
    pub heading_rad: f64,
    /// Elevation in radians.
    pub elevation_rad: f64,
}

impl From<(ViewpointId, f64, f64)> for TrajectoryPoint {
    fn from((viewpoint, heading_rad, elevation_rad): (ViewpointId, f64, f64)) -> Self {
        Self {
            viewpoint,
            heading_rad,
            elevation_rad,
        }
    }
}

impl From<TrajectoryPoint> for (ViewpointId, f64, f64) {
    fn from(p: TrajectoryPoint) -> Self {
        (p.viewpoint, p.heading_rad, p.elevation_rad)
    }
}

/// A continuous pose, as `episodes.jsonl` records it: `{position, heading}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PosePoint {
    /// Floor position (world, z up, metres).
    pub position: [f32; 3],
    /// Heading in radians, clockwise from +y.
    pub heading: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_a_triple() {
        let p = TrajectoryPoint {
            viewpoint: ViewpointId::new("abc"),
            heading_rad: 1.5,
            elevation_rad: 0.0,
        };
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(text, r#"["abc",1.5,0.0]"#);
        let back: TrajectoryPoint = serde_json::from_str(&text).unwrap();
        assert_eq!(back, p);
    }
}
