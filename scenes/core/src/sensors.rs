//! Sensor readings a planner can ask its observations to carry: what the agent sees, as
//! objects per direction and as rendered views. The environment produces them through the
//! sensors layer (`waymark-sensors`) from the scene it already holds; planners never load
//! scene files.

use serde::{Deserialize, Serialize};

/// The eight 45° sectors' names (NavGPT's directions), clockwise from the agent's heading.
pub const SECTOR_NAMES: [&str; 8] = [
    "Front",
    "Front Right",
    "Right",
    "Rear Right",
    "Rear",
    "Rear Left",
    "Left",
    "Front Left",
];

/// What a planner asks for beyond the task's own state (part of its declaration).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SensorRequest {
    /// Objects seen in each of the eight 45° sectors, within each of these radii (metres).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects_within_m: Vec<f32>,
    /// Rendered RGB views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views: Option<ViewRequest>,
}

impl SensorRequest {
    /// Whether nothing is asked for.
    pub fn is_empty(&self) -> bool {
        self.objects_within_m.is_empty() && self.views.is_none()
    }
}

/// Rendered views: one per absolute heading `45° · k` (k = 0…7) and elevation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewRequest {
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Horizontal field of view in degrees.
    pub hfov_deg: f32,
    /// The elevations to render at each heading, in degrees (up positive).
    pub elevations_deg: Vec<f32>,
}

/// What the sensors saw at the agent's position.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SensorReadings {
    /// Objects per sector, one entry per requested radius.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjectsWithin>,
    /// Rendered views, heading-major (all elevations of heading 0 first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<RenderedView>,
}

/// The objects seen within one radius.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectsWithin {
    /// The radius in metres.
    pub radius_m: f32,
    /// Eight absolute sectors: sector k is centred on heading `45° · k` (clockwise from +y).
    pub sectors: Vec<Vec<SeenObject>>,
}

/// One object seen in one sector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeenObject {
    /// The scene's instance id.
    pub instance: u32,
    /// Its label.
    pub label: String,
    /// The mean heading of its visible pixels, absolute, degrees in `[0, 360)`.
    pub heading_deg: f32,
    /// The distance to its nearest visible pixel, metres.
    pub distance_m: f32,
}

/// One rendered RGB view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderedView {
    /// Absolute heading in degrees (clockwise from +y).
    pub heading_deg: f32,
    /// Elevation in degrees (up positive).
    pub elevation_deg: f32,
    /// The image as PNG, base64-encoded (standard alphabet, padded).
    pub png_base64: String,
}
