//! A²Nav in continuous scenes (VLN-CE): the same five navigators ([`crate::navigators`]) over
//! strides. At each decision the agent's neighbours are the points one stride ([`STRIDE_M`])
//! away at the eight absolute headings `45° · k` that the free-space reading says are clear,
//! and, for each thing seen, the point along the first straight stretch of its shortest walk
//! (a stride of at most [`STRIDE_M`], at least [`MIN_STRIDE_M`]), so that a navigator heads
//! for the doorway, not the wall between. Objects and named regions (rooms) come from the
//! rendered instance views within [`SEEN_WITHIN_M`], each at the heading of that first
//! stretch; where the agent stands is the region it is in. A move is carried out with the
//! task's own actions: turns until the heading is within [`ALIGNED_DEG`] of the stride's, then
//! forward steps of [`STEP_M`]; a collision ends the stride early and the navigator decides
//! again from there. Neighbours are named by their place on a 1 m lattice ([`place`]), which
//! the navigators' visit counts key.

use crate::navigators::View;
use glam::Vec3;
use std::collections::HashMap;
use waymark_core::sensors::Walk;
use waymark_core::{Action, ContinuousNavObservation, SensorRequest};

/// The length of one move, metres.
pub const STRIDE_M: f32 = 1.0;
/// The shortest stride along a walk, metres.
pub const MIN_STRIDE_M: f32 = 0.5;
/// The length of one forward step (VLN-CE's), metres.
pub const STEP_M: f32 = 0.25;
/// Objects and regions are seen within this distance, metres.
pub const SEEN_WITHIN_M: f32 = 10.0;
/// Turning stops once the heading is within this of the stride's, degrees (half of VLN-CE's
/// 15° turn, so turning always ends).
pub const ALIGNED_DEG: f64 = 7.5;

/// The sensor readings the navigators need in continuous scenes.
pub fn sensor_request() -> SensorRequest {
    SensorRequest {
        objects_within_m: vec![SEEN_WITHIN_M],
        regions_within_m: Some(SEEN_WITHIN_M),
        free_space_m: Some(STRIDE_M),
        walks: true,
        views: None,
        birds_eye_px: None,
    }
}

/// The name of the place around `p` on a 1 m lattice (the navigators' viewpoint ids, which
/// their visit counts key).
pub fn place(p: Vec3) -> String {
    format!("{},{}", p.x.round() as i64, p.y.round() as i64)
}

/// The heading a navigator should steer by: the walk's first stretch when there is a walk,
/// else straight at the thing; radians.
fn steer_rad(heading_deg: f32, walk: Option<Walk>) -> f64 {
    f64::from(walk.map_or(heading_deg, |w| w.first_heading_deg)).to_radians()
}

/// What the navigators see at one position, with the stride to each neighbour.
#[derive(Clone, Debug)]
pub struct SpaceView {
    /// What the navigators see.
    pub view: View,
    /// Each neighbour's stride: absolute heading (radians) and forward steps.
    pub strides: HashMap<String, (f64, u32)>,
}

/// What the navigators see at the observation's position; an error names what the readings
/// lack.
pub fn view(obs: &ContinuousNavObservation) -> Result<SpaceView, String> {
    let readings = obs
        .sensors
        .as_ref()
        .ok_or("the observation carries no sensor readings")?;
    if readings.free_m.len() != 8 {
        return Err("the readings carry no free space".into());
    }
    let mut candidates: Vec<(String, f64)> = Vec::new();
    let mut strides = HashMap::new();
    let mut add = |heading: f64, length_m: f32| {
        let step = Vec3::new(heading.sin() as f32, heading.cos() as f32, 0.0) * length_m;
        let id = place(obs.position_m + step);
        let steps = (length_m / STEP_M + 1e-3).floor() as u32;
        match candidates.iter_mut().find(|(c, _)| *c == id) {
            Some(c) => c.1 = heading,
            None => candidates.push((id.clone(), heading)),
        }
        strides.insert(id, (heading, steps));
    };
    for (k, free) in readings.free_m.iter().enumerate() {
        if *free >= STRIDE_M {
            add((45.0 * k as f64).to_radians(), STRIDE_M);
        }
    }
    let walks = readings
        .objects
        .iter()
        .filter(|o| o.radius_m == SEEN_WITHIN_M)
        .flat_map(|o| o.sectors.iter().flatten().map(|o| o.walk))
        .chain(readings.regions.iter().flatten().map(|r| r.walk));
    for walk in walks.flatten() {
        if walk.straight_m >= MIN_STRIDE_M {
            add(
                f64::from(walk.first_heading_deg).to_radians(),
                walk.straight_m.min(STRIDE_M),
            );
        }
    }
    let objects = readings
        .objects
        .iter()
        .filter(|o| o.radius_m == SEEN_WITHIN_M)
        .flat_map(|o| o.sectors.iter().flatten())
        .map(|o| {
            (
                o.label.clone(),
                steer_rad(o.heading_deg, o.walk),
                f64::from(o.distance_m),
            )
        })
        .collect();
    let regions = readings
        .regions
        .iter()
        .flatten()
        .map(|r| {
            (
                r.name.clone(),
                steer_rad(r.heading_deg, r.walk),
                f64::from(r.walk.map_or(r.distance_m, |w| w.geodesic_m)),
            )
        })
        .collect();
    Ok(SpaceView {
        view: View {
            candidates,
            objects,
            directions: Vec::new(),
            here: readings.region.clone().unwrap_or_default(),
            regions,
        },
        strides,
    })
}

/// A stride in progress.
#[derive(Clone, Copy, Debug)]
pub struct Stride {
    /// Its absolute heading, radians.
    pub heading_rad: f64,
    /// Forward steps left.
    pub steps_left: u32,
    /// The episode's collisions when it began.
    pub collisions: u32,
}

/// What a stride does next at `obs`.
#[derive(Clone, Debug, PartialEq)]
pub enum StrideStep {
    /// Take this action.
    Act(Action),
    /// The stride is over (walked, or ended by a collision).
    Over {
        /// Whether a collision ended it.
        blocked: bool,
    },
}

impl Stride {
    /// A stride of `steps` forward steps at `heading_rad` from `obs`.
    pub fn new(heading_rad: f64, steps: u32, obs: &ContinuousNavObservation) -> Self {
        Self {
            heading_rad,
            steps_left: steps,
            collisions: obs.collisions,
        }
    }

    /// The next action: a turn towards the stride's heading, a step forward, or the end.
    pub fn next(&mut self, obs: &ContinuousNavObservation) -> StrideStep {
        if obs.collisions > self.collisions {
            return StrideStep::Over { blocked: true };
        }
        let off = (self.heading_rad - f64::from(obs.heading_rad) + std::f64::consts::PI)
            .rem_euclid(std::f64::consts::TAU)
            - std::f64::consts::PI;
        if off.abs() > ALIGNED_DEG.to_radians() {
            // Headings grow clockwise: a positive offset is to the right.
            return StrideStep::Act(if off > 0.0 {
                Action::TurnRight
            } else {
                Action::TurnLeft
            });
        }
        if self.steps_left == 0 {
            return StrideStep::Over { blocked: false };
        }
        self.steps_left -= 1;
        StrideStep::Act(Action::MoveForward)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use waymark_core::SensorReadings;
    use waymark_core::sensors::{ObjectsWithin, SeenObject, SeenRegion};

    fn obs(heading_deg: f32, collisions: u32) -> ContinuousNavObservation {
        ContinuousNavObservation {
            scene: "s".into(),
            position_m: Vec3::new(2.2, 3.7, 0.0),
            heading_rad: heading_deg.to_radians(),
            elevation_rad: 0.0,
            step: 0,
            collisions,
            sensors: None,
            teacher: None,
        }
    }

    #[test]
    fn a_stride_turns_the_short_way_then_walks_its_steps() {
        let mut stride = Stride::new(90f64.to_radians(), 4, &obs(0.0, 0));
        let mut actions = Vec::new();
        let mut heading = 0.0f32;
        loop {
            match stride.next(&obs(heading, 0)) {
                StrideStep::Act(a) => {
                    match a {
                        Action::TurnRight => heading += 15.0,
                        Action::TurnLeft => heading -= 15.0,
                        _ => {}
                    }
                    actions.push(a);
                }
                StrideStep::Over { blocked } => {
                    assert!(!blocked);
                    break;
                }
            }
        }
        let mut expected = vec![Action::TurnRight; 6];
        expected.extend(vec![Action::MoveForward; 4]);
        assert_eq!(actions, expected);
        // From 350°, a stride at 10° turns right once (through north), not left round.
        let mut across = Stride::new(10f64.to_radians(), 4, &obs(350.0, 0));
        assert_eq!(
            across.next(&obs(350.0, 0)),
            StrideStep::Act(Action::TurnRight)
        );
        assert_eq!(
            across.next(&obs(5.0, 0)),
            StrideStep::Act(Action::MoveForward)
        );
        // A collision ends it.
        assert_eq!(
            across.next(&obs(5.0, 1)),
            StrideStep::Over { blocked: true }
        );
    }

    #[test]
    fn the_view_steers_by_walks_and_offers_only_clear_strides() {
        let mut o = obs(0.0, 0);
        o.sensors = Some(SensorReadings {
            objects: vec![ObjectsWithin {
                radius_m: SEEN_WITHIN_M,
                sectors: vec![vec![SeenObject {
                    instance: 4,
                    label: "chair".into(),
                    heading_deg: 0.0,
                    distance_m: 3.0,
                    walk: Some(Walk {
                        geodesic_m: 4.5,
                        first_heading_deg: 45.0,
                        straight_m: 0.75,
                    }),
                }]],
            }],
            region: Some("office".into()),
            regions: vec![vec![SeenRegion {
                name: "kitchen".into(),
                heading_deg: 90.0,
                distance_m: 2.0,
                walk: None,
            }]],
            free_m: vec![1.0, 0.99, 1.0, 0.0, 0.0, 0.0, 0.0, 0.2],
            ..SensorReadings::default()
        });
        let SpaceView { view, strides } = view(&o).unwrap();
        // North (0°) and east (90°) are clear: 1 m on from (2.2, 3.7), places (2, 5) and
        // (3, 4). The chair's walk runs straight 0.75 m at 45°, to (2.7, 4.2): place (3, 4)
        // too, which its stride (three steps) takes over.
        let ne = 45f64.to_radians();
        assert_eq!(
            view.candidates,
            vec![("2,5".to_string(), 0.0), ("3,4".to_string(), ne)]
        );
        assert_eq!(strides["3,4"], (ne, 3));
        assert_eq!(strides["2,5"], (0.0, 4));
        assert_eq!(
            view.objects,
            vec![("chair".into(), 45f64.to_radians(), 3.0)]
        );
        assert_eq!(
            view.regions,
            vec![("kitchen".into(), 90f64.to_radians(), 2.0)]
        );
        assert_eq!(view.here, "office");
        assert!(super::view(&obs(0.0, 0)).is_err());
    }
}
