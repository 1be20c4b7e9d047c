//! What a top-down picture of one episode shows: the task draws nothing itself, it says where
//! things are, and a report or a window draws them.

use glam::DVec2;

/// One episode seen from above, in metres on the ground plane (the world's x and y; z is up).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopDown {
    /// The map: line segments (a navigation graph's edges, outlines of the walkable area),
    /// drawn faintly under the paths.
    pub map: Vec<[DVec2; 2]>,
    /// The reference path (the annotated or expert one), in order.
    pub reference: Vec<DVec2>,
    /// Where the agent went, in order.
    pub agent: Vec<DVec2>,
    /// The success radius around the reference path's end, for tasks that have one.
    pub success_radius_m: Option<f64>,
}
