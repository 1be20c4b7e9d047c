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
    /// Named regions (rooms) seen in each sector within this radius (metres), and the region
    /// the agent stands in; scenes that name no regions give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions_within_m: Option<f32>,
    /// Continuous tasks: how far the agent could walk straight on in each of the eight
    /// absolute headings, up to this many metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_space_m: Option<f32>,
    /// Continuous tasks: each seen object and region also carries the shortest walk to it
    /// ([`Walk`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub walks: bool,
    /// A bird's-eye map of the scene this many pixels on its longer side, with object ids
    /// written on it ([`BirdsEyeView`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birds_eye_px: Option<u32>,
}

impl SensorRequest {
    /// Whether nothing is asked for.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
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
    /// The named region the agent stands in, when regions were asked for and it stands in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Named regions seen in each of the eight absolute sectors (sector k centred on heading
    /// `45° · k`), nearest first, when regions were asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Vec<SeenRegion>>,
    /// Free walking distance in metres at each absolute heading `45° · k` (k = 0…7), capped at
    /// the requested distance, when free space was asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub free_m: Vec<f32>,
    /// The bird's-eye map, when one was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birds_eye: Option<BirdsEyeView>,
}

/// The scene from straight above (orthographic, cut 2 m above its lowest point so that
/// ceilings hide nothing), with each object's id written in white on black where it is
/// seen: the benchmark's object ids in grounding tasks, the scene's instance ids elsewhere.
/// Pixel `(col, row)` covers world `x = origin_m[0] + col · m_per_px` onwards and
/// `y = origin_m[1] − row · m_per_px` downwards: image right is `+x`, image up is `+y`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BirdsEyeView {
    /// World `(x, y)` of the image's top-left corner, metres.
    pub origin_m: [f32; 2],
    /// Metres per pixel.
    pub m_per_px: f32,
    /// The image as PNG, base64-encoded (standard alphabet, padded).
    pub png_base64: String,
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
    /// The shortest walk to it, when walks were asked for and one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk: Option<Walk>,
}

/// One named region (a room) seen in one sector: where its visible surfaces are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeenRegion {
    /// Its name, for example `kitchen`.
    pub name: String,
    /// The mean heading of the visible pixels inside it, absolute, degrees in `[0, 360)`.
    pub heading_deg: f32,
    /// The distance to its nearest visible pixel, metres.
    pub distance_m: f32,
    /// The shortest walk into it, when walks were asked for and one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk: Option<Walk>,
}

/// The shortest walk over the walkable floor from the agent to a seen thing (to the walkable
/// point nearest where it was seen).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    /// Its length in metres.
    pub geodesic_m: f32,
    /// The absolute heading of its first straight stretch, degrees in `[0, 360)`.
    pub first_heading_deg: f32,
    /// The length of that stretch (walkable in a straight line), metres.
    pub straight_m: f32,
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
    /// The depth along the optical axis as a 16-bit PNG in millimetres (0: nothing within
    /// range), base64-encoded; views that render depth (the voxel world's) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth_png_base64: Option<String>,
}
